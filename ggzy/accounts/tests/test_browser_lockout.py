"""Login failure handling in Debian's Chromium (网络安全管理办法 三, 等保三级
登录失败处理): five wrong passwords lock the account with a Chinese notice;
the 系统管理员 lifts it on 账号安全 and the person signs in again."""

import re

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login, open_settings_item, submit_login
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from ggzy.audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_attempt(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    submit_login(page, username, password)


def test_five_wrong_passwords_lock_until_the_system_admin_unlocks(center, live_server, page, other_page):
    admin = make_user(RoleKey.SYSTEM_ADMIN, username="xitong")
    user = make_user(RoleKey.DRAFTER, username="zhaoxin")
    # The administrator is already signed in (the lockout also covers this address).
    browser_login(other_page, live_server, admin)

    for n in range(4):
        password_attempt(page, live_server, "zhaoxin", f"Wrong-Passw0rd-{n}")
        expect(page.locator("#lockout-notice")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("密码不匹配，请重试")
    password_attempt(page, live_server, "ZhaoXin", "Wrong-Passw0rd-5")  # the same account
    notice = page.locator("#lockout-notice")
    expect(notice).to_have_text(re.compile(r"登录失败已达 5 次，该账号或本机地址已被锁定 30 分钟"))
    expect(notice).to_contain_text("联系系统管理员解锁")
    # Now even the right password is refused.
    password_attempt(page, live_server, "zhaoxin", DEFAULT_PASSWORD)
    expect(page.locator("#lockout-notice")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    assert AuditEvent.objects.filter(action="accounts.login.locked_out", outcome="failure").exists()

    open_settings_item(other_page, "账号安全")
    expect(other_page).to_have_url(re.compile(r"/admin/account-security/$"))
    row = other_page.locator("#lockouts tbody tr").filter(has_text="zhaoxin")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("127.0.0.1")
    row.get_by_role("button", name="解除锁定").click()
    expect(other_page.locator(".messages")).to_contain_text("已解除锁定：zhaoxin")
    expect(other_page.locator("main")).to_contain_text("目前没有被锁定的登录。")
    assert not AccessAttempt.objects.exists()
    unlocked = AuditEvent.objects.get(action="accounts.user.unlocked")
    assert unlocked.actor == admin and unlocked.extra["username"] == "zhaoxin"

    browser_login(page, live_server, user)
    expect(page.locator("#lockout-notice")).to_have_count(0)
