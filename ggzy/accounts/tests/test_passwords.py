"""密码、口令管理制度 二: rules per role, history, maximum age — through the real views."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department, PasswordHistory, PasswordPolicy, User
from ggzy.accounts.services import role_group, user_change_own_password, user_create
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user, pass_second_factor

pytestmark = pytest.mark.django_db

CHANGE_URL = "/admin/password/change/"


def change(client, old, new):
    return client.post(CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": new})


def login(client, user, password=DEFAULT_PASSWORD):
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    pass_second_factor(client, user)
    return response


@pytest.mark.parametrize(
    "role,password,message",
    [
        (RoleKey.PUBLISHER, "Jz-ggzy-2026", None),  # 12 chars, 3 classes
        (RoleKey.PUBLISHER, "Jzggzy-12345", None),  # 12 chars
        (RoleKey.PUBLISHER, "Jz-ggzy-202", "至少 12 位"),  # 11 chars
        (RoleKey.DRAFTER, "jiaozuoggzyxinxi", "至少 2 种"),  # letters only
        (RoleKey.SYSTEM_ADMIN, "jiaozuoggzy2026", "至少 3 种"),  # no special character
        (RoleKey.NETWORK_ADMIN, "Jz!ggzy#2026", None),
        (RoleKey.SECURITY_ADMIN, "Jz!ggzy#202", "至少 12 位"),
        (RoleKey.MACHINE_ROOM_ADMIN, "jzgz202", "至少 8 位"),  # office staff, shipped default 8
        (RoleKey.MACHINE_ROOM_ADMIN, "jzgz2026", None),
    ],
)
def test_password_rules_follow_the_role_through_the_change_page(client, role, password, message):
    user = make_user(role)
    login(client, user)
    response = change(client, DEFAULT_PASSWORD, password)
    user.refresh_from_db()
    if message is None:
        assert response.status_code == 302
        assert user.check_password(password)
    else:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "密码、口令管理制度 二(一)" in response.content.decode()
        assert user.check_password(DEFAULT_PASSWORD)


def test_publishing_role_refused_an_eleven_character_password():
    user = make_user(RoleKey.PUBLISHER)
    with pytest.raises(ValidationError, match="具有信息发布权限的人员的密码至少 12 位（当前 11 位）"):
        validate_password("Ab3-ggzy-jz", user=user)


def test_django_common_and_numeric_validators_still_apply():
    user = make_user()
    with pytest.raises(ValidationError) as exc:
        validate_password("12345678", user=user)
    codes = {e.code for e in exc.value.error_list}
    assert {"password_too_common", "password_entirely_numeric"} <= codes


def test_policy_may_raise_the_floors_but_never_lower_them():
    with pytest.raises(ValidationError) as exc:
        PasswordPolicy(office_min_length=5, publishing_min_length=11, publishing_min_classes=1).full_clean()
    assert {"office_min_length", "publishing_min_length", "publishing_min_classes"} <= set(
        exc.value.error_dict
    )
    # Even a row written around the form cannot lower the rule.
    PasswordPolicy.objects.create(office_min_length=3, publishing_min_length=4)
    with pytest.raises(ValidationError, match="至少 6 位"):
        validate_password("ab12c", user=make_user())
    with pytest.raises(ValidationError, match="至少 12 位"):
        validate_password("Ab3-ggzy", user=make_user(RoleKey.PUBLISHER))


def test_security_admin_raises_the_office_minimum_in_the_admin(client):
    login_as(client, make_user(RoleKey.SECURITY_ADMIN))
    response = client.get("/admin/password-policy/new/")
    assert response.status_code == 200
    data = {
        "office_min_length": "10",
        "publishing_min_length": "12",
        "publishing_min_classes": "2",
        "admin_min_length": "12",
        "office_max_age_days": "90",
        "publishing_max_age_days": "90",
        "admin_max_age_days": "60",
        "expiry_warning_days": "7",
        "history_count": "5",
    }
    refused = client.post("/admin/password-policy/new/", {**data, "office_min_length": "5"})
    assert refused.status_code == 200 and not PasswordPolicy.objects.exists()
    assert client.post("/admin/password-policy/new/", data).status_code == 302
    # Audited like every other setting (found by the audit sweep: it was not).
    from ggzy.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="accounts.passwordpolicy.created")
    assert event.object_id == str(PasswordPolicy.objects.get().pk)
    with pytest.raises(ValidationError, match="至少 10 位"):
        validate_password("jzgz20261", user=make_user())


def test_other_roles_cannot_edit_the_password_policy(client):
    for role in [RoleKey.SYSTEM_ADMIN, RoleKey.AUDIT_ADMIN, RoleKey.PUBLISHER]:
        login_as(client, make_user(role))
        assert client.get("/admin/password-policy/new/").status_code in (302, 403), role


def test_last_five_passwords_cannot_be_reused(client):
    user = make_user(RoleKey.PUBLISHER)
    passwords = [f"Jz-ggzy-{n}-history" for n in range(5)]
    current = DEFAULT_PASSWORD
    for new in passwords:
        user_change_own_password(actor=user, new_password=new)
        current = new
    login(client, user, current)
    for reused in passwords:
        response = change(client, current, reused)
        assert response.status_code == 200
        assert "不能重复使用最近 5 次用过的密码" in response.content.decode()
    # The initial password is now six changes back: allowed again.
    assert change(client, current, DEFAULT_PASSWORD).status_code == 302
    assert PasswordHistory.objects.filter(user=user).count() == 7


def test_expired_password_forces_a_change_at_login(client):
    user = make_user(RoleKey.DRAFTER)
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        login(client, user)
        response = client.get("/admin/")
        assert response.status_code == 302 and response.url == CHANGE_URL
        page = client.get(CHANGE_URL).content.decode()
        assert "密码已超过有效期" in page
        assert change(client, DEFAULT_PASSWORD, "Jz-ggzy-renewed-2026").status_code == 302
        assert client.get("/admin/").status_code == 200


def test_maximum_age_follows_the_role_policy(client):
    PasswordPolicy.objects.create(admin_max_age_days=30)
    admin = make_user(RoleKey.AUDIT_ADMIN)
    clerk = make_user(RoleKey.MACHINE_ROOM_ADMIN)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        login(client, admin)
        assert client.get("/admin/").url == CHANGE_URL
        client.logout()
        login(client, clerk)
        assert client.get("/admin/").status_code == 200


def test_login_warns_seven_days_before_expiry(client):
    user = make_user(RoleKey.MACHINE_ROOM_ADMIN)
    with time_machine.travel(timezone.now() + timedelta(days=84)):
        response = client.post(
            reverse("wagtailadmin_login"),
            {"username": user.username, "password": DEFAULT_PASSWORD},
            follow=True,
        )
        assert "您的密码将在 6 天后" in response.content.decode()
    client.logout()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert "您的密码将在" not in response.content.decode()


def test_user_create_checks_the_password_against_the_roles_given():
    department = Department.objects.get(code="xinxi")
    with pytest.raises(ValidationError, match="至少 12 位"):
        user_create(
            username="zhaoliu",
            department=department,
            password="Jz-gz-2026",
            groups=[role_group(RoleKey.PUBLISHER)],
        )
    assert user_create(username="zhaoliu", department=department, password="Jz-gz-2026").pk


def _admin_form(**extra):
    return {
        "username": "sunqi",
        "email": "sunqi@example.com",
        "first_name": "七",
        "last_name": "孙",
        "department": str(Department.objects.get(code="xinxi").pk),
        "is_active": "on",
        **extra,
    }


def test_user_admin_validates_the_password_against_the_roles_being_assigned(client):
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    data = _admin_form(
        groups=[str(role_group(RoleKey.PUBLISHER).pk)], password1="Jz-gz-2026", password2="Jz-gz-2026"
    )
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200
    assert "具有信息发布权限的人员的密码至少 12 位" in response.content.decode()
    assert not User.objects.filter(username="sunqi").exists()
    data.update(password1="Jz-ggzy-2026-x", password2="Jz-ggzy-2026-x")
    assert client.post(reverse("wagtailusers_users:add"), data).status_code == 302
    assert User.objects.get(username="sunqi").must_change_password


def test_moving_a_user_into_a_stricter_tier_forces_a_password_change(client, security_events):
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    target = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="sunqi")
    data = _admin_form(groups=[str(role_group(RoleKey.PUBLISHER).pk)], password1="", password2="")
    response = client.post(reverse("wagtailusers_users:edit", args=[target.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.must_change_password


def test_password_change_is_emitted_without_the_password(client, security_events, caplog):
    user = make_user(RoleKey.DRAFTER)
    login(client, user)
    caplog.set_level("INFO", logger="ggzy.security")
    security_events.clear()
    assert change(client, DEFAULT_PASSWORD, "Jz-ggzy-changed-1").status_code == 302
    assert [a for a, _, _ in security_events] == ["accounts.password.changed"]
    _action, outcome, kwargs = security_events[0]
    assert outcome == "success" and kwargs["actor"] == user and kwargs["obj"] == user
    assert "Jz-ggzy-changed-1" not in caplog.text and "accounts.password.changed" in caplog.text


def test_admin_reset_in_the_user_admin_forces_a_change_and_ends_sessions(client, security_events):
    from django.test import Client

    target = make_user(RoleKey.DRAFTER, username="sunqi")
    elsewhere = Client()
    login_as(elsewhere, target)
    assert elsewhere.get("/admin/").status_code == 200
    admin = login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    data = _admin_form(
        groups=[str(role_group(RoleKey.DRAFTER).pk)],
        password1="Jz-reset-by-admin-1",
        password2="Jz-reset-by-admin-1",
    )
    response = client.post(reverse("wagtailusers_users:edit", args=[target.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.must_change_password and target.check_password("Jz-reset-by-admin-1")
    assert elsewhere.get("/admin/").url.startswith("/admin/login/")
    reset = [kw for a, _, kw in security_events if a == "accounts.password.reset"]
    assert reset and reset[0]["actor"] == admin and reset[0]["obj"] == target


def test_user_set_password_by_admin_service(security_events):
    from ggzy.accounts.services import user_set_password_by_admin

    admin = make_user(RoleKey.SYSTEM_ADMIN)
    target = make_user(RoleKey.PUBLISHER)
    with pytest.raises(ValidationError, match="至少 12 位"):
        user_set_password_by_admin(user=target, password="Jz-short-1", actor=admin)
    user_set_password_by_admin(user=target, password="Jz-ggzy-reset-2026", actor=admin)
    target.refresh_from_db()
    assert target.must_change_password
    reset = [kw for a, _, kw in security_events if a == "accounts.password.reset"]
    assert reset and reset[0]["actor"] == admin


def test_there_is_only_one_password_policy(client):
    login_as(client, make_user(RoleKey.SECURITY_ADMIN))
    policy = PasswordPolicy.objects.create()
    response = client.get("/admin/password-policy/new/")
    assert response.status_code == 302 and response.url == f"/admin/password-policy/edit/{policy.pk}/"
    assert client.get(response.url).status_code == 200


def test_account_page_links_to_ggzy_password_change_instead_of_wagtails(client):
    login_as(client, make_user(RoleKey.PUBLISHER))
    html = client.get("/admin/account/").content.decode()
    assert CHANGE_URL in html and "修改密码" in html
    assert 'name="password-old_password"' not in html
