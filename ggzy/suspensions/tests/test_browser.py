"""The 网站管理员 schedules a suspension from a holiday suggestion; the public
home page shows it from the third working day before, in Chromium."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.core.models import CalendarDay, CalendarYear
from ggzy.suspensions.models import SuspensionNotice

from .factories import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "2027年元旦期间暂停交易服务的通知"


def test_website_admin_schedules_a_holiday_suspension_and_the_home_page_shows_it(center, live_server, page):
    # The 2027 arrangement as the 网站管理员 would record it (chinese-calendar stops at 2026).
    CalendarYear.objects.create(year=2027, source="国办发明电")
    for day in (1, 2, 3):
        CalendarDay.objects.create(date=at(2027, 1, day).date(), kind="holiday", name="元旦")
    admin = make_user(RoleKey.WEBSITE_ADMIN, department="xinxi")

    with time_machine.travel(at(2026, 12, 1, 9), tick=True):
        browser_login(page, live_server, admin)
        page.get_by_role("button", name="网站管理").click()
        page.get_by_role("link", name="暂停交易服务通知").click()
        expect(page).to_have_url(re.compile(r"/admin/suspensions/$"))
        page.goto(live_server.url + "/admin/suspensions/new/")
        suggestions = page.get_by_role("region", name="近期法定节假日")
        expect(suggestions).to_contain_text("通知将于 2026-12-29 起显示")
        suggestions.get_by_role("link", name="按“元旦”填写").click()
        expect(page.get_by_label("标题")).to_have_value(TITLE)
        expect(page.get_by_label("暂停开始时间")).to_have_value("2027-01-01 00:00")
        page.locator("#w-editor-form button[type=submit]").first.click()
        expect(page.locator(".messages")).to_contain_text("将于 2026-12-29 00:00 起在首页显示")
        expect(page.locator("main")).to_contain_text("待显示")

        page.goto(live_server.url + "/")
        expect(page.get_by_role("region", name="暂停交易服务通知")).to_have_count(0)

    notice = SuspensionNotice.objects.get()
    assert notice.reason_kind == "holiday" and notice.ends_at == at(2027, 1, 4)

    with time_machine.travel(at(2026, 12, 29, 8), tick=True):
        page.goto(live_server.url + "/")
        region = page.get_by_role("region", name="暂停交易服务通知")
        expect(region).to_be_visible()
        expect(region.get_by_role("heading", name=TITLE, level=3)).to_be_visible()
        expect(region).to_contain_text("1月1日至1月3日放假，共3天")
        expect(region).to_contain_text("2027年1月1日 00:00")
        border = region.evaluate("e => getComputedStyle(e).borderLeftWidth")
        assert border == "8px"  # the notice's own stylesheet is applied
