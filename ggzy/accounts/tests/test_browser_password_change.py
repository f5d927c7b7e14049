"""Changing one's own password in Debian's Chromium (密码、口令管理制度 二):
the role's rule and the history are enforced with Chinese messages, and a
good new password ends the person's other sessions."""

import re

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.accounts.tests.browser import browser_login, submit_login
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from ggzy.audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Shanyang-Road-2027#"


def open_password_change(page) -> None:
    """Sidebar account menu → 帐号 → the "more actions" tab → 修改密码."""
    page.locator(".sidebar-footer__account").click()
    page.get_by_role("complementary").get_by_role("link", name="帐号", exact=True).click()
    page.get_by_role("tab", name=re.compile("更多")).click()
    page.get_by_role("link", name=re.compile("^修改密码")).click()
    expect(page).to_have_url(re.compile(r"/admin/password/change/$"))


def submit(page, old: str, new: str) -> None:
    page.locator("#id_old_password").fill(old)
    page.locator("#id_new_password1").fill(new)
    page.locator("#id_new_password2").fill(new)
    page.get_by_role("button", name="保存新密码").click()


def test_password_policy_errors_then_a_good_password_ends_other_sessions(
    center, live_server, page, other_page
):
    user = make_user(RoleKey.DRAFTER, username="zhoujing")  # publishing tier: 12+, two classes
    browser_login(page, live_server, user)
    browser_login(other_page, live_server, user)  # the same person at another desk
    open_password_change(page)
    main = page.locator("main")

    submit(page, DEFAULT_PASSWORD, "Ab1!xyz")
    expect(main).to_contain_text("密码长度不足：具有信息发布权限的人员的密码至少 12 位（当前 7 位）")
    submit(page, DEFAULT_PASSWORD, "qingfengxuyuelai")
    expect(main).to_contain_text(
        "字符种类不足：具有信息发布权限的人员的密码须包含数字、字母、特殊字符中至少 2 种"
    )
    submit(page, DEFAULT_PASSWORD, DEFAULT_PASSWORD)
    expect(main).to_contain_text("新密码不能与当前密码相同。")
    expect(main).to_contain_text("不能重复使用最近 5 次用过的密码")
    submit(page, "not-my-password", NEW_PASSWORD)
    expect(main).to_contain_text("旧密码不正确")
    assert User.objects.get(pk=user.pk).check_password(DEFAULT_PASSWORD)  # nothing changed so far
    assert not AuditEvent.objects.filter(action="accounts.password.changed").exists()

    submit(page, DEFAULT_PASSWORD, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))  # this session carries on
    expect(page.locator(".messages")).to_contain_text("密码已修改。")
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    changed = AuditEvent.objects.get(action="accounts.password.changed")
    assert changed.actor == user and changed.extra["sessions_ended"] == 1

    # The other desk is signed out; the old password no longer works there, the new one does.
    other_page.reload()
    expect(other_page).to_have_url(re.compile(r"/admin/login/"))
    submit_login(other_page, "zhoujing")
    expect(other_page.locator("main")).to_contain_text("密码不匹配，请重试")
    other_page.locator("#id_password").fill(NEW_PASSWORD)
    other_page.locator("form.login-form button[type=submit]").click()
    expect(other_page).to_have_url(re.compile(r"/admin/mfa/verify/"))  # password accepted

    # Going back to the previous password is refused by the history (二(三)).
    open_password_change(page)
    submit(page, NEW_PASSWORD, DEFAULT_PASSWORD)
    expect(page.locator("main")).to_contain_text(
        "不能重复使用最近 5 次用过的密码。密码、口令管理制度 二(三)。"
    )
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
