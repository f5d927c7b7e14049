"""TOTP enrolment at a first login, in Debian's Chromium (网络安全管理办法 七,
等保三级 双因素身份鉴别): the setup page draws its QR code itself (no outside
service), a wrong code enrols nothing, the right one shows the recovery codes,
and a recovery code later stands in for the phone once."""

import re
from base64 import b32decode

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import secret_code, submit_login
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from ggzy.audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG_CODE_MESSAGE = "验证码不正确，请确认手机时间准确后重新输入。"


def wrong_code(secret: str) -> str:
    """A six-digit code that no step within the device's tolerance accepts."""
    near = {secret_code(secret, offset) for offset in range(-2, 3)}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in near)


@pytest.fixture
def clock():
    """The live server runs in this process: time-machine moves its clock too."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def password_step(page, live_server, username: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto(live_server.url + "/admin/")
    submit_login(page, username, password)


def test_publisher_enrols_totp_at_first_login_and_a_wrong_code_enrols_nothing(
    center, live_server, page, clock
):
    user = make_user(RoleKey.PUBLISHER, username="wangfabu")
    outside = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else outside.append(request),
    )

    password_step(page, live_server, "wangfabu")
    expect(page).to_have_url(re.compile(r"/admin/mfa/setup/$"))
    expect(page.locator("#mfa-required-notice")).to_contain_text("须使用双因素认证登录")
    # The QR code is inline SVG drawn by the server, not an image from elsewhere.
    expect(page.locator("#totp-qr svg path")).not_to_have_count(0)
    expect(page.locator("#totp-qr img")).to_have_count(0)
    secret = page.locator("#totp-secret").inner_text().strip()
    assert b32decode(secret) == TOTPDevice.objects.get(user=user, confirmed=False).bin_key

    # A wrong code: a Chinese error, the same pending secret, nothing confirmed.
    page.locator("#id_token").fill(wrong_code(secret))
    page.get_by_role("button", name="确认并启用").click()
    expect(page).to_have_url(re.compile(r"/admin/mfa/setup/$"))
    expect(page.locator("main")).to_contain_text(WRONG_CODE_MESSAGE)
    expect(page.locator("#totp-secret")).to_have_text(secret)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    failed = AuditEvent.objects.get(action="accounts.mfa.enrolment_failed")
    assert (failed.actor, failed.outcome) == (user, "failure")
    page.goto(live_server.url + "/admin/pages/")  # the admin stays closed until enrolled
    expect(page).to_have_url(re.compile(r"/admin/mfa/setup/$"))

    # The right code from the phone (after django-otp's one-second throttle
    # that followed the failure): enrolled, ten recovery codes shown once.
    clock.shift(2)
    page.locator("#id_token").fill(secret_code(secret))
    page.get_by_role("button", name="确认并启用").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("双因素认证已启用")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    shown = {code.strip() for code in page.locator("#recovery-codes code").all_inner_texts()}
    assert shown == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert TOTPDevice.objects.get(user=user).confirmed
    assert (
        AuditEvent.objects.filter(action="accounts.mfa.enrolled", actor=user, outcome="success").count() == 1
    )

    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#mfa-required-notice")).to_have_count(0)
    assert outside == [], [request.url for request in outside]

    # Next visit, phone lost: a recovery code is accepted once.
    recovery = sorted(shown)[0]
    page.context.clear_cookies()
    password_step(page, live_server, "wangfabu")
    expect(page).to_have_url(re.compile(r"/admin/mfa/verify/"))
    page.locator("#id_token").fill(recovery)
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert not StaticToken.objects.filter(device__user=user, token=recovery).exists()

    page.context.clear_cookies()
    password_step(page, live_server, "wangfabu")
    page.locator("#id_token").fill(recovery)
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/admin/mfa/verify/"))
    expect(page.locator("main")).to_contain_text("验证码不正确或已使用过。")
