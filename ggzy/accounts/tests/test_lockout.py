"""Login failure handling (等保三级 登录失败处理) with django-axes, through the real login view."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.services import user_unlock
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _intranet(settings):
    # Attempts come from several intranet addresses (网络安全管理办法 七(二) lets them in).
    settings.ADMIN_ALLOWED_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]


def attempt(client, username, password, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client, username, ip="127.0.0.1"):
    for _ in range(5):
        response = attempt(client, username, "wrong-password", ip)
    return response


def test_sixth_attempt_is_locked_even_with_the_right_password(client, security_events):
    user = make_user(RoleKey.DRAFTER)
    for n in range(4):
        response = attempt(client, user.username, f"wrong-{n}")
        assert response.status_code == 200  # the login form again, with an error
    response = attempt(client, user.username, "wrong-5")
    assert response.status_code == 429  # the 5th failure locks
    response = attempt(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "已被锁定 30 分钟" in html and 'id="lockout-notice"' in html
    assert 'name="username"' in html  # still the Wagtail login page
    assert "_auth_user_id" not in client.session
    names = [a for a, _, _ in security_events]
    assert names.count("accounts.login.failed") >= 5
    assert "accounts.login.locked_out" in names
    assert all(outcome == "failure" for a, outcome, _ in security_events if a.startswith("accounts.login"))


def test_lockout_counts_user_names_case_insensitively(client):
    user = make_user(RoleKey.DRAFTER, username="zhangsan")
    for name in ["ZhangSan", "zhangsan", "ZHANGSAN", "zhangSan", "Zhangsan"]:
        attempt(client, name, "wrong", ip="10.0.0.9")
    assert attempt(client, user.username, DEFAULT_PASSWORD, ip="10.0.0.10").status_code == 429


def test_lockout_is_per_account_from_any_address(client):
    user = make_user(RoleKey.DRAFTER)
    for n in range(5):
        attempt(client, user.username, "wrong", ip=f"10.0.0.{n + 1}")
    assert attempt(client, user.username, DEFAULT_PASSWORD, ip="10.0.0.99").status_code == 429
    other = make_user(RoleKey.DRAFTER)
    assert attempt(client, other.username, DEFAULT_PASSWORD, ip="10.0.0.99").status_code == 302


def test_lockout_is_per_address_across_accounts(client):
    users = [make_user(RoleKey.DRAFTER) for _ in range(5)]
    for user in users:
        attempt(client, user.username, "wrong", ip="10.0.0.7")
    fresh = make_user(RoleKey.DRAFTER)
    assert attempt(client, fresh.username, DEFAULT_PASSWORD, ip="10.0.0.7").status_code == 429
    assert attempt(client, fresh.username, DEFAULT_PASSWORD, ip="10.0.0.8").status_code == 302


def test_lockout_ends_after_thirty_minutes(client):
    user = make_user(RoleKey.DRAFTER)
    fail_five_times(client, user.username)
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert attempt(client, user.username, DEFAULT_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert attempt(client, user.username, DEFAULT_PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client):
    user = make_user(RoleKey.DRAFTER)
    for _ in range(4):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, DEFAULT_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, DEFAULT_PASSWORD).status_code == 302


def test_unlock_user_command_lifts_the_lockout(client, security_events):
    user = make_user(RoleKey.DRAFTER)
    fail_five_times(client, user.username)
    call_command("unlock_user", user.username.upper(), "--ip", "127.0.0.1")
    assert attempt(client, user.username, DEFAULT_PASSWORD).status_code == 302
    assert "accounts.user.unlocked" in [a for a, _, _ in security_events]


def test_only_the_system_admin_may_unlock():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        user_unlock(username="someone", actor=make_user(RoleKey.SECURITY_ADMIN))
    assert user_unlock(username="someone", actor=make_user(RoleKey.SYSTEM_ADMIN)) == 0


def test_failed_login_does_not_log_the_password(client, caplog):
    caplog.set_level("INFO", logger="ggzy.security")
    attempt(client, "nobody", "S3cret-not-logged")
    assert "accounts.login.failed" in caplog.text
    assert "S3cret-not-logged" not in caplog.text


def test_login_is_case_insensitive(client):
    user = make_user(RoleKey.DRAFTER, username="LiSi")
    assert attempt(client, "lisi", DEFAULT_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert reverse("wagtailadmin_home")


def test_system_admin_unlocks_from_the_account_security_page(client):
    user = make_user(RoleKey.DRAFTER)
    fail_five_times(client, user.username)
    admin = make_user(RoleKey.SYSTEM_ADMIN)
    login_as(client, admin)
    page = client.get("/admin/account-security/")
    assert page.status_code == 200 and user.username in page.content.decode()
    response = client.post("/admin/account-security/unlock/", {"username": user.username, "ip": "127.0.0.1"})
    assert response.status_code == 302
    client.logout()
    assert attempt(client, user.username, DEFAULT_PASSWORD).status_code == 302


def test_account_security_page_refuses_other_roles(client):
    user = make_user(RoleKey.DRAFTER)
    fail_five_times(client, user.username)
    for role in [RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN, RoleKey.PUBLISHER]:
        login_as(client, make_user(role))
        # Wagtail turns PermissionDenied in its admin into a redirect home with a message.
        response = client.get("/admin/account-security/")
        assert response.status_code == 302 and response.url == "/admin/", role
        client.post("/admin/account-security/unlock/", {"username": user.username, "ip": "127.0.0.1"})
    client.logout()
    assert attempt(client, user.username, DEFAULT_PASSWORD).status_code == 429
    assert client.get("/admin/account-security/").status_code == 302  # to the login page


def test_lockout_reaches_the_audit_chain(client):
    from ggzy.audit.models import AuditEvent
    from ggzy.audit.verify import verify_chain

    user = make_user(RoleKey.DRAFTER)
    fail_five_times(client, user.username)
    assert AuditEvent.objects.filter(action="accounts.login.failed", outcome="failure").count() >= 5
    assert AuditEvent.objects.filter(action="accounts.login.locked_out", outcome="failure").exists()
    assert verify_chain().ok
