"""The 网站管理员 records next year's holiday arrangement in Chromium once the
dashboard warns that it is missing (chinese-calendar knows 2004–2026 only): a
deadline in a year without data must be a visible warning, never a silent guess."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.core.calendar import add_working_days
from ggzy.core.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_YEARS_DAY = dt.date(2027, 1, 1)


def test_website_admin_records_2027_and_the_dashboard_warning_goes(center, live_server, page):
    assert not CalendarYear.objects.filter(year=2027).exists()
    admin = make_user(RoleKey.WEBSITE_ADMIN, department="xinxi")

    with time_machine.travel(dt.datetime(2026, 12, 15, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        browser_login(page, live_server, admin)
        warning = page.locator("#calendar-warning")
        expect(warning).to_contain_text("工作日历待更新")
        expect(warning).to_contain_text("2027年的法定节假日与调休安排尚未录入")
        expect(warning).not_to_contain_text("2026年")

        # The year first, then its holiday, through the 工作日历 menu.
        page.get_by_role("button", name="工作日历").click()
        page.get_by_role("link", name="已录入年度").click()
        expect(page).to_have_url(re.compile(r"/admin/calendar/years/$"))
        # The screen where it is fixed carries the same warning.
        expect(page.locator("#calendar-warning")).to_contain_text("2027年的法定节假日与调休安排尚未录入")
        page.get_by_role("link", name=re.compile("添加")).first.click()
        page.get_by_label("年份").fill("2027")
        page.get_by_label("来源").fill("国办发明电〔2026〕7号")
        page.get_by_role("button", name="创建").click()
        expect(page.locator(".messages")).to_contain_text("2027")
        expect(page).to_have_url(re.compile(r"/admin/calendar/years/$"))
        expect(page.get_by_role("table")).to_contain_text("国办发明电〔2026〕7号")
        expect(page.locator("#calendar-warning")).to_have_count(0)

        page.get_by_role("button", name="工作日历").click()
        page.get_by_role("link", name="节假日与调休").click()
        expect(page).to_have_url(re.compile(r"/admin/calendar/days/$"))
        page.get_by_role("link", name=re.compile("添加")).first.click()
        page.get_by_label("日期").fill("2027-01-01")
        page.get_by_label("类型").select_option(label="法定节假日（休息）")
        page.get_by_label("节日").fill("元旦")
        page.get_by_role("button", name="创建").click()
        expect(page.locator(".messages")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/admin/calendar/days/$"))
        expect(page.get_by_role("table")).to_contain_text("元旦")

        page.goto(live_server.url + "/admin/")
        expect(page.get_by_role("heading", name="工作日历待更新")).to_have_count(0)

    year = CalendarYear.objects.get(year=2027)
    day = CalendarDay.objects.get(date=NEW_YEARS_DAY)
    assert (day.kind, day.name) == (CalendarDay.Kind.HOLIDAY, "元旦")
    # Deadlines now skip the new holiday and carry no warning.
    result = add_working_days(dt.date(2026, 12, 31), 1)
    assert (result.date, result.warning) == (dt.date(2027, 1, 4), "")

    # Both edits are on the audit chain, by the admin, with Wagtail's log entry.
    created_year = AuditEvent.objects.get(action="core.calendaryear.created")
    assert (created_year.actor, created_year.object_id) == (admin, str(year.pk))
    created_day = AuditEvent.objects.get(action="core.calendarday.created")
    assert (created_day.actor, created_day.object_id) == (admin, str(day.pk))
