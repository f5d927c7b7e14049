"""Two-factor login (TOTP) for administrators and publishing roles, through the real views."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def password_login(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client.get("/admin/")


def enrol(client, user) -> list[str]:
    page = client.get("/admin/mfa/setup/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret.encode() and "<svg" in page
    response = client.post("/admin/mfa/setup/", {"token": code_for(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())


def enrolled_user(client, role=RoleKey.PUBLISHER):
    """A user who enrolled an authenticator and logged out; and their recovery codes."""
    user = make_user(role)
    password_login(client, user)
    codes = enrol(client, user)
    client.logout()
    return user, codes


@pytest.mark.parametrize(
    "role", [RoleKey.PUBLISHER, RoleKey.DRAFTER, RoleKey.AUDIT_ADMIN, RoleKey.NETWORK_ADMIN]
)
def test_key_roles_must_enrol_before_using_the_admin(client, role, security_events):
    user = make_user(role)
    response = password_login(client, user)
    assert response.status_code == 302 and response.url == "/admin/mfa/setup/"
    assert client.get("/admin/pages/").url == "/admin/mfa/setup/"
    refused = client.post("/admin/mfa/setup/", {"token": "000000"})
    assert "验证码不正确" in refused.content.decode()
    # django-otp throttles after a failure (1 s, doubling): try again a little later.
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        codes = enrol(client, user)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    names = [a for a, _, _ in security_events]
    assert "accounts.mfa.enrolment_failed" in names and "accounts.mfa.enrolled" in names


def test_office_staff_log_in_without_a_second_factor(client):
    user = make_user(RoleKey.MACHINE_ROOM_ADMIN)
    assert password_login(client, user).status_code == 200


def test_enrolled_user_verifies_a_code_after_the_password(client, security_events):
    user, _ = enrolled_user(client)
    response = password_login(client, user)
    assert response.status_code == 302 and response.url.startswith("/admin/mfa/verify/")
    assert client.post("/admin/mfa/verify/", {"token": "123456"}).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        # The enrolment code was used; the next time step's code is accepted (tolerance 1).
        response = client.post("/admin/mfa/verify/?next=/admin/pages/", {"token": code_for(device, 1)})
    assert response.status_code == 302 and response.url == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    failed = [kw for a, outcome, kw in security_events if a == "accounts.mfa.failed"]
    assert failed and failed[0]["data"]["kind"] == "totp"


def test_verify_refuses_an_outside_redirect(client):
    user, _ = enrolled_user(client)
    password_login(client, user)
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/admin/mfa/verify/?next=https://evil.example/", {"token": code_for(device, 1)})
    assert response.url == "/admin/"


def test_a_recovery_code_works_once(client):
    user, codes = enrolled_user(client, RoleKey.SYSTEM_ADMIN)
    password_login(client, user)
    assert client.post("/admin/mfa/verify/", {"token": codes[0]}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    password_login(client, user)
    assert client.post("/admin/mfa/verify/", {"token": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_enrolled_user_verifies_before_an_expired_password_change(client):
    user, _ = enrolled_user(client)
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        response = password_login(client, user)
        assert response.url.startswith("/admin/mfa/verify/")
        assert client.get("/admin/password/change/").url.startswith("/admin/mfa/verify/")
        device = TOTPDevice.objects.get(user=user)
        client.post("/admin/mfa/verify/", {"token": code_for(device)})
        assert client.get("/admin/").url == "/admin/password/change/"


def test_system_admin_resets_a_lost_second_factor(client, security_events):
    user = make_user(RoleKey.PUBLISHER)
    login_as(client, user)  # a live, verified session
    from django.test import Client

    admin_client = Client()
    login_as(admin_client, make_user(RoleKey.SYSTEM_ADMIN))
    response = admin_client.post("/admin/account-security/reset-mfa/", {"username": user.username.upper()})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/admin/").url.startswith("/admin/login/")  # their session ended
    assert "accounts.mfa.reset" in [a for a, _, _ in security_events]
    client.post("/admin/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert client.get("/admin/").url == "/admin/mfa/setup/"


def test_only_the_system_admin_resets_and_never_their_own(client):
    target = make_user(RoleKey.PUBLISHER)
    TOTPDevice.objects.create(user=target, name="ggzy-totp", confirmed=True)
    for role in [RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN, RoleKey.WEBSITE_ADMIN]:
        login_as(client, make_user(role))
        client.post("/admin/account-security/reset-mfa/", {"username": target.username})
    assert TOTPDevice.objects.filter(user=target).exists()
    admin = login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    client.post("/admin/account-security/reset-mfa/", {"username": admin.username})
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_recovery_codes_can_be_regenerated_from_a_verified_session(client, security_events):
    user = make_user(RoleKey.PUBLISHER)
    password_login(client, user)
    old = enrol(client, user)
    assert "/admin/mfa/recovery-codes/" in client.get("/admin/account/").content.decode()
    assert client.get("/admin/mfa/recovery-codes/").status_code == 200
    response = client.post("/admin/mfa/recovery-codes/")
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)
    assert "accounts.mfa.recovery_codes_regenerated" in [a for a, _, _ in security_events]


def test_recovery_codes_page_needs_a_verified_session(client):
    user = make_user(RoleKey.PUBLISHER)
    TOTPDevice.objects.create(user=user, name="ggzy-totp", confirmed=True)
    password_login(client, user)
    response = client.post("/admin/mfa/recovery-codes/")
    assert response.status_code == 302 and response.url.startswith("/admin/mfa/verify/")
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_a_right_code_during_the_throttle_is_told_to_wait_not_called_wrong(client, security_events):
    # django-otp refuses every code for 1 s after a failure, 2 s after two, 4 s …:
    # the person must be told to wait, or they think their phone is wrong.
    user, _ = enrolled_user(client)
    password_login(client, user)
    device = TOTPDevice.objects.get(user=user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert "验证码不正确" in client.post("/admin/mfa/verify/", {"token": "123456"}).content.decode()
    with time_machine.travel(start + timedelta(seconds=1.5), tick=False):
        assert "验证码不正确" in client.post("/admin/mfa/verify/", {"token": "654321"}).content.decode()
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        page = client.post("/admin/mfa/verify/", {"token": code_for(device, 1)}).content.decode()
    assert "验证码错误次数过多，请 2 秒后再输入" in page and "验证码不正确" not in page
    throttled = [
        kw for a, _, kw in security_events if a == "accounts.mfa.failed" and kw["data"].get("throttled")
    ]
    assert len(throttled) == 1
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        response = client.post("/admin/mfa/verify/", {"token": code_for(device, 1)})
    assert response.status_code == 302


def test_enrolment_during_the_throttle_says_to_wait(client):
    user = make_user(RoleKey.PUBLISHER)
    password_login(client, user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/admin/mfa/setup/")
        assert "验证码不正确" in client.post("/admin/mfa/setup/", {"token": "000000"}).content.decode()
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        page = client.post("/admin/mfa/setup/", {"token": code_for(device)}).content.decode()
    assert "请 1 秒后再输入" in page
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
