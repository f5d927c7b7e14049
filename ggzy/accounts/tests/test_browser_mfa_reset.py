"""A lost phone, in Debian's Chromium: the 系统管理员 resets the person's second
factor on 账号安全 (网络安全管理办法 七); their sessions end and they enrol a
new authenticator at the next login. Nobody resets their own."""

import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import (
    browser_login,
    open_settings_item,
    secret_code,
    submit_login,
    totp_device,
)
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reset_mfa(page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_role("button", name="重置双因素认证").click()


def test_system_admin_resets_a_lost_phone_and_the_user_enrols_again(center, live_server, page, other_page):
    admin = make_user(RoleKey.SYSTEM_ADMIN, username="xitong")
    user = make_user(RoleKey.PUBLISHER, username="sunfa")
    old_key = totp_device(user).bin_key
    StaticDevice.objects.create(user=user, name="ggzy-recovery", confirmed=True)
    browser_login(other_page, live_server, user)
    browser_login(page, live_server, admin)

    open_settings_item(page, "账号安全")
    expect(page).to_have_url(re.compile(r"/admin/account-security/$"))
    reset_mfa(page, "nobody")
    expect(page.locator(".messages")).to_contain_text("用户“nobody”不存在。")
    reset_mfa(page, "xitong")
    expect(page.locator(".messages")).to_contain_text("不能重置自己的双因素认证，请由另一位系统管理员操作。")
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()

    reset_mfa(page, "SunFa")  # user names are case-insensitive
    expect(page.locator(".messages")).to_contain_text("已重置 sunfa 的双因素认证，其下次登录时须重新设置。")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    reset = AuditEvent.objects.get(action="accounts.mfa.reset")
    assert reset.actor == admin and reset.object_id == str(user.pk)

    # The person's session ended; at the next login they enrol a new authenticator.
    other_page.reload()
    expect(other_page).to_have_url(re.compile(r"/admin/login/"))
    submit_login(other_page, "sunfa")
    expect(other_page).to_have_url(re.compile(r"/admin/mfa/setup/$"))
    secret = other_page.locator("#totp-secret").inner_text().strip()
    assert b32decode(secret) != old_key  # the lost phone's codes are worthless
    other_page.locator("#id_token").fill(secret_code(secret))
    other_page.get_by_role("button", name="确认并启用").click()
    expect(other_page.locator("#recovery-codes li")).to_have_count(10)
    other_page.get_by_role("link", name="我已保存，继续").click()
    expect(other_page).to_have_url(re.compile(r"/admin/$"))
    assert TOTPDevice.objects.get(user=user, confirmed=True).bin_key == b32decode(secret)
