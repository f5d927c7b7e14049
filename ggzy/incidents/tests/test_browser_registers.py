"""The readiness registers in Debian's Chromium (应急预案 第十条): the 安全管理员 adds the
领导小组's lead to the contacts roster from the menu; a missing phone is refused with
the field's error; the roster lists the contact."""

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.incidents.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_security_admin_adds_a_contact(center, live_server, page):
    browser_login(page, live_server, make_user(RoleKey.SECURITY_ADMIN, username="anquan"))
    page.get_by_role("button", name="应急响应").click()
    page.get_by_role("link", name="应急准备登记").click()
    expect(page.locator("#register")).to_contain_text("暂无登记。")
    page.get_by_role("link", name="新增").click()
    page.get_by_label("姓名").fill("张明")
    page.get_by_label("所属").select_option(label="网络与信息安全领导小组")
    page.get_by_label("组长").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("必需字段")  # the phone
    assert not Contact.objects.exists()
    page.locator("#id_phone").fill("13800000000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#register")).to_contain_text("张明")
    expect(page.locator("#register")).to_contain_text("13800000000")
    assert Contact.objects.get().is_lead
