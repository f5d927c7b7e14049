"""In Debian's Chromium (网络安全管理办法 五(五)): a 网络管理员 without a grant is refused the
device-log search and asks for a grant; the 安全管理员 approves it; the 网络管理员 then
searches and sees the lines the real collector (rsyslog) received. A 审计管理员 with no
grant is still refused."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.devicelogs.models import DeviceLogGrant

from .test_access import lines  # noqa: F401 (fixture: lines sent through the collector)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grant_is_asked_approved_and_used_to_search(center, live_server, page, other_page, lines):  # noqa: F811
    reader, security = make_user(RoleKey.NETWORK_ADMIN), make_user(RoleKey.SECURITY_ADMIN)
    search_url = live_server.url + "/admin/devicelogs/search/"

    browser_login(page, live_server, reader)
    response = page.goto(search_url)
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text("Failed password for admin")
    page.get_by_role("link", name="申请查阅授权").click()
    now = timezone.localtime().replace(second=0, microsecond=0)
    page.get_by_label("查阅目的").fill("排查核心交换机登录失败")
    page.get_by_label("授权生效时间").fill((now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("授权失效时间").fill((now + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("main")).to_contain_text("排查核心交换机登录失败")
    grant = DeviceLogGrant.objects.get(grantee=reader)
    assert grant.status == "pending"
    assert page.goto(search_url).status == 403  # pending is not approved

    browser_login(other_page, live_server, security)
    other_page.goto(live_server.url + "/admin/devicelogs/grants/")
    other_page.get_by_role("button", name="批准", exact=True).first.click()
    grant.refresh_from_db()
    assert grant.status == "approved" and grant.decided_by == security

    page.goto(search_url)
    page.get_by_label("内容包含").fill("password")
    page.get_by_role("button", name="检索").click()
    table = page.get_by_role("table", name="设备日志")
    expect(table).to_contain_text("Failed password for admin")
    expect(table).to_contain_text("Accepted password for netadmin")
    expect(table).not_to_contain_text("GE0/0/1")
    event = AuditEvent.objects.filter(action="devicelogs.log.searched").order_by("-seq").first()
    assert event.actor == reader and event.extra["filters"]["text"] == "password"

    # Someone else with a reading role but no grant of their own is still refused.
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    browser_login(other_page, live_server, auditor)
    assert other_page.goto(search_url).status == 403
    expect(other_page.locator("body")).to_contain_text("申请查阅授权")
    expect(other_page.locator("body")).not_to_contain_text("Failed password for admin")
