"""The vault in Debian's Chromium (密码、口令管理制度 一): the 科室负责人 enters a
server password, the 网络管理员 confirms it in a browser of their own with their
password and TOTP code (两人同时在场), and a holder reveals it once, for a reason,
audited; the page leaves by itself and the password is in no other page."""

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login, totp_device
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from ggzy.audit.models import AuditEvent
from ggzy.credentials.models import PendingChange, SecretVersion

from .factories import SECRET, make_credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def unused_code(user) -> str:
    """A TOTP code not used yet (login consumed the current step's)."""
    device = totp_device(user)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    offset = max(0, device.last_t + 1 - totp.t())
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def test_a_server_password_is_set_by_two_people_and_revealed_once(
    center, live_server, page, other_page, settings
):
    settings.CREDENTIALS_REVEAL_SECONDS = 3
    head = make_user(RoleKey.DEPARTMENT_HEAD, username="keshi", department="xinxi")
    admin = make_user(RoleKey.NETWORK_ADMIN, username="wangluo", department="xinxi")
    holder = make_user(RoleKey.SYSTEM_ADMIN, username="yunwei", department="xinxi")
    credential = make_credential(admin, name="门户服务器 root", kind="server", holders=[holder])
    inspect_url = f"{live_server.url}/admin/credentials/inspect/{credential.pk}/"

    # The 科室负责人 finds the credential through the 运维管理 menu and enters the password.
    browser_login(page, live_server, head)
    page.locator("nav[aria-label]").get_by_role("button", name="运维管理").click()
    page.get_by_role("link", name="特权口令").click()
    expect(page).to_have_url(re.compile(r"/admin/credentials/$"))
    expect(page.locator("main")).to_contain_text("门户服务器 root")
    page.goto(inspect_url)
    page.get_by_role("link", name="设定口令").click()
    page.get_by_label("新口令", exact=True).fill("short#1A")
    page.get_by_label("再次输入新口令").fill("short#1A")
    page.get_by_label("原因").fill("新服务器上线")
    page.get_by_role("button", name="提交，等待第二人确认").click()
    expect(page.locator("main")).to_contain_text("口令长度不得少于 16 位（当前 8 位）")
    page.get_by_label("新口令", exact=True).fill(SECRET)
    page.get_by_label("再次输入新口令").fill(SECRET)
    page.get_by_role("button", name="提交，等待第二人确认").click()
    change = PendingChange.objects.get(credential=credential)
    expect(page).to_have_url(re.compile(rf"/admin/credentials/changes/{change.pk}/$"))
    expect(page.locator("#change-waiting")).to_be_visible()
    expect(page.locator("#change-confirm-form")).to_have_count(0)  # not by the same person

    # The 网络管理员, in a browser of their own, confirms with password and code.
    browser_login(other_page, live_server, admin)
    other_page.goto(inspect_url)
    other_page.locator("#pending-changes").get_by_role("link", name="打开").click()
    # A wrong password first (a wrong code is throttled by django-otp; test_two_person covers it).
    other_page.get_by_label("您的登录密码").fill("not-my-password")
    other_page.get_by_label("动态验证码").fill(unused_code(admin))
    other_page.get_by_role("button", name="确认设定").click()
    expect(other_page.locator("#form-errors")).to_contain_text("登录密码不正确。")
    assert not SecretVersion.objects.exists()
    other_page.get_by_label("您的登录密码").fill(DEFAULT_PASSWORD)
    other_page.get_by_label("动态验证码").fill(unused_code(admin))
    other_page.get_by_role("button", name="确认设定").click()
    expect(other_page).to_have_url(re.compile(rf"/admin/credentials/inspect/{credential.pk}/$"))
    expect(other_page.locator(".messages")).to_contain_text("第 1 版已由两人确认生效")
    expect(other_page.locator("#credential-versions tbody tr")).to_have_count(1)
    version = SecretVersion.objects.get()
    assert (version.set_by, version.confirmed_by) == (head, admin)
    assert SECRET not in other_page.content()
    # The 网络管理员 manages the vault but is no holder: no reveal button.
    expect(other_page.get_by_role("link", name="查看口令")).to_have_count(0)

    # A holder reveals it, once, for a reason.
    browser_login(page, live_server, holder)
    page.goto(inspect_url)
    page.get_by_role("link", name="查看口令").click()
    page.get_by_label("理由").fill("部署补丁需登录门户服务器")
    page.get_by_role("button", name="提交申请").click()
    with page.expect_response(re.compile(r"/reveals/\d+/show/$")) as shown:
        page.get_by_role("button", name="显示口令").click()
    assert "no-store" in shown.value.headers["cache-control"]
    expect(page.locator("#revealed-secret")).to_have_text(SECRET)
    revealed = AuditEvent.objects.get(action="credentials.secret.revealed")
    assert revealed.actor == holder and revealed.extra["reason"] == "部署补丁需登录门户服务器"
    # After a few seconds the page leaves by itself; the password is in no page after that.
    expect(page).to_have_url(re.compile(rf"/admin/credentials/inspect/{credential.pk}/$"), timeout=10000)
    expect(page.locator("#revealed-secret")).to_have_count(0)
    assert SECRET not in page.content()
    expect(page.locator("#credential-reveals tbody")).to_contain_text("已查看")
    # Back: the reveal was a no-store POST, Chromium has nothing to show (no resubmission).
    with pytest.raises(PlaywrightError, match="ERR_CACHE_MISS"):
        page.go_back()
    expect(page.locator("#revealed-secret")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(SECRET)
