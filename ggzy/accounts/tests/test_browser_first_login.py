"""The first administrator's first login, in Debian's Chromium: forced password
change, then TOTP enrolment with a code computed here, then a second login."""

import io
import re
import time
from base64 import b32decode

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from playwright.sync_api import expect

from ggzy.accounts.models import User
from ggzy.accounts.tests.browser import submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_code(secret: str, offset_steps: int = 0) -> str:
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + offset_steps * totp.step
    return f"{totp.token():06d}"


def test_first_admin_must_change_password_before_using_the_admin(center, live_server, page):
    out = io.StringIO()
    call_command("setup_center", stdout=out)
    username = re.search(r"user name: (\S+)", out.getvalue()).group(1)
    password = re.search(r"password:\s+(\S+)", out.getvalue()).group(1)

    page.goto(live_server.url + "/admin/")
    submit_login(page, username, password)

    expect(page).to_have_url(re.compile(r"/admin/password/change/$"))
    expect(page.locator("#forced-change-notice")).to_contain_text("首次登录须先修改密码")
    page.goto(live_server.url + "/admin/users/")
    expect(page).to_have_url(re.compile(r"/admin/password/change/$"))  # nowhere else to go

    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill("Jiaozuo-Ggzy-2026!")
    page.locator("#id_new_password2").fill("Jiaozuo-Ggzy-2026!")
    page.get_by_role("button", name="保存新密码").click()

    # An administrator then enrols TOTP before reaching the admin.
    expect(page).to_have_url(re.compile(r"/admin/mfa/setup/$"))
    assert not User.objects.get(username=username).must_change_password
    expect(page.locator("#totp-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("#id_token").fill(totp_code(secret))
    page.get_by_role("button", name="确认并启用").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.locator("#mfa-continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_enrolled_user_logs_in_with_a_code_generated_in_the_test(center, live_server, page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import make_user

    user = make_user(RoleKey.PUBLISHER, username="fabuyuan")
    page.goto(live_server.url + "/admin/")
    submit_login(page, "FaBuYuan")  # user names are case-insensitive
    expect(page).to_have_url(re.compile(r"/admin/mfa/setup/$"))
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("#id_token").fill(totp_code(secret))
    page.get_by_role("button", name="确认并启用").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert TOTPDevice.objects.get(user=user).confirmed

    page.context.clear_cookies()  # a new visit
    page.goto(live_server.url + "/admin/")
    submit_login(page, "fabuyuan")
    expect(page).to_have_url(re.compile(r"/admin/mfa/verify/"))
    # The enrolment used this time step's code; the next step's is within tolerance.
    page.locator("#id_token").fill(totp_code(secret, 1))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
