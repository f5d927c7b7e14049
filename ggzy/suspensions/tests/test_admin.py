"""The admin under 网站管理 → 暂停交易服务通知: who may open it, create with
holiday suggestions, Chinese form errors, list status and calendar warnings, cancel."""

import re
from urllib.parse import unquote

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.core.models import CalendarDay, CalendarYear
from ggzy.suspensions.models import SuspensionNotice

from .factories import at, schedule_notice, website_admin

pytestmark = pytest.mark.django_db

OTHER_ROLES = [
    RoleKey.SYSTEM_ADMIN,
    RoleKey.SECURITY_ADMIN,
    RoleKey.AUDIT_ADMIN,
    RoleKey.PUBLISHER,
    RoleKey.DEPARTMENT_HEAD,
    RoleKey.NETWORK_ADMIN,
]


@pytest.fixture
def admin_client(client):
    """Logs in on first use inside the test's time travel (sessions last 12 hours)."""

    class LoggedIn:
        user = website_admin()

        def __getattr__(self, name):
            if "_auth_user_id" not in client.session:
                login_as(client, self.user)
            return getattr(client, name)

    return LoggedIn()


def form_data(**overrides):
    return {
        "reason_kind": "maintenance",
        "title": "系统升级暂停交易服务的通知",
        "body": "系统升级，暂停网上交易。",
        "affected_services": "网上开标",
        "starts_at": "2026-12-10 08:00",
        "ends_at": "2026-12-10 18:00",
        "urgent_reason": "",
        **overrides,
    }


def test_only_the_website_admin_opens_the_suspension_admin():
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        notice = schedule_notice(starts_at=at(2026, 12, 10, 8), ends_at=at(2026, 12, 10, 18))
    urls = [
        "/admin/suspensions/",
        "/admin/suspensions/new/",
        f"/admin/suspensions/edit/{notice.pk}/",
        f"/admin/suspensions/cancel/{notice.pk}/",
        f"/admin/suspensions/inspect/{notice.pk}/",
    ]
    anonymous = Client()
    allowed = Client()
    login_as(allowed, website_admin())
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url, url
        assert allowed.get(url).status_code == 200, url
    for role in OTHER_ROLES:
        other = Client()
        login_as(other, make_user(role))
        for url in urls:
            # Wagtail answers a refused page with a redirect to the dashboard and an
            # error message, and with a bare 403 to scripts.
            response = other.get(url)
            assert response.status_code == 302 and response.url == "/admin/", (url, role)
            assert other.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403, (
                url,
                role,
            )
        cancel = f"/admin/suspensions/cancel/{notice.pk}/"
        assert (
            other.post(cancel, {"reason": "x"}, headers={"x-requested-with": "XMLHttpRequest"}).status_code
            == 403
        )
        assert other.post(cancel, {"reason": "x"}).url == "/admin/"
        assert "暂停交易服务通知" not in other.get("/admin/").content.decode()
    assert (
        f"/admin/suspensions/delete/{notice.pk}/" not in allowed.get("/admin/suspensions/").content.decode()
    )
    assert (
        allowed.get(f"/admin/suspensions/delete/{notice.pk}/").status_code == 404
    )  # cancelled, never deleted
    notice.refresh_from_db()
    assert notice.cancelled_at is None


def test_create_edit_and_cancel_through_the_admin(admin_client):
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        response = admin_client.post("/admin/suspensions/new/", form_data())
        assert response.status_code == 302, response.content.decode()[:2000]
        notice = SuspensionNotice.objects.get()
        assert notice.display_from == at(2026, 12, 7) and notice.created_by.has_role(RoleKey.WEBSITE_ADMIN)
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("将于 2026-12-07 00:00 起在首页显示" in m for m in messages)

        response = admin_client.post(
            f"/admin/suspensions/edit/{notice.pk}/",
            form_data(title="系统升级（改）", ends_at="2026-12-10 20:00"),
        )
        assert response.status_code == 302
        notice.refresh_from_db()
        assert notice.title == "系统升级（改）" and notice.ends_at == at(2026, 12, 10, 20)

        response = admin_client.post(f"/admin/suspensions/cancel/{notice.pk}/", {"reason": ""})
        assert "请填写取消原因" in response.content.decode()
        response = admin_client.post(f"/admin/suspensions/cancel/{notice.pk}/", {"reason": "供应商改期"})
        assert response.status_code == 302
        notice.refresh_from_db()
        assert notice.cancel_reason == "供应商改期"
        # Ended or cancelled notices are not edited again.
        response = admin_client.get(f"/admin/suspensions/edit/{notice.pk}/")
        assert response.status_code == 302 and "/inspect/" in response.url
    actions = list(
        AuditEvent.objects.filter(action__startswith="suspensions.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "suspensions.notice.scheduled",
        "suspensions.notice.changed",
        "suspensions.notice.cancelled",
    ]
    assert not AuditEvent.objects.filter(
        action__startswith="suspensions.suspensionnotice"
    ).exists()  # not twice


def test_form_errors_are_chinese_and_nothing_is_saved(admin_client):
    with time_machine.travel(at(2026, 11, 25, 10), tick=False):
        html = admin_client.post(
            "/admin/suspensions/new/", form_data(starts_at="2026-11-30 08:00")
        ).content.decode()
        assert "距暂停开始不足3个工作日（通知应于2026-11-25前发布）" in html
        html = admin_client.post(
            "/admin/suspensions/new/", form_data(starts_at="2026-12-10 18:00", ends_at="2026-12-10 08:00")
        ).content.decode()
        assert "恢复服务时间必须晚于暂停开始时间" in html
        assert SuspensionNotice.objects.count() == 0
        response = admin_client.post(
            "/admin/suspensions/new/", form_data(starts_at="2026-11-30 08:00", urgent_reason="数据库紧急补丁")
        )
        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("紧急原因已记入审计日志" in m for m in messages)


def test_create_page_suggests_upcoming_holidays_prefilled(admin_client):
    CalendarYear.objects.create(year=2027, source="国办发明电")
    for day in (1, 2, 3):
        CalendarDay.objects.create(date=at(2027, 1, day).date(), kind="holiday", name="元旦")
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        html = admin_client.get("/admin/suspensions/new/").content.decode()
        assert "近期法定节假日" in html and "2027-01-01 至 2027-01-03（3 天，1月4日恢复）" in html
        assert "通知将于 2026-12-29 起显示" in html
        link = re.search(r'href="(/admin/suspensions/new/\?[^"]+)"', html).group(1).replace("&amp;", "&")
        prefilled = admin_client.get(link).content.decode()
        assert "2027年元旦期间暂停交易服务的通知" in prefilled
        assert 'value="2027-01-01 00:00"' in prefilled and 'value="2027-01-04 00:00"' in prefilled
        assert 'value="holiday" selected' in prefilled
        assert "1月1日至1月3日放假，共3天" in unquote(prefilled)


def test_list_shows_status_and_the_calendar_warning_in_bounded_queries(admin_client):
    with time_machine.travel(at(2026, 11, 24, 10), tick=False):
        pending = schedule_notice(
            starts_at=at(2026, 12, 10, 8), ends_at=at(2026, 12, 10, 18), title="待显示的"
        )
        schedule_notice(
            starts_at=at(2026, 11, 25, 8), ends_at=at(2026, 11, 25, 9), title="进行中", urgent_reason="紧急"
        )
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        html = admin_client.get("/admin/suspensions/").content.decode()
        assert "待显示" in html and "已结束" in html
        # The next 90 days reach 2027, which has no holiday arrangement yet.
        assert "2027年的法定节假日安排尚未录入工作日历" in html
        with CaptureQueriesContext(connection) as few:
            admin_client.get("/admin/suspensions/")
        for day in (14, 15, 16, 17):
            schedule_notice(starts_at=at(2026, 12, day, 8), ends_at=at(2026, 12, day, 9), title=f"维护{day}")
        with CaptureQueriesContext(connection) as many:
            html = admin_client.get("/admin/suspensions/").content.decode()
        assert all(f"维护{day}" in html for day in (14, 15, 16, 17))
    assert len(many) == len(few)
    pending.refresh_from_db()
    assert pending.status_at(at(2026, 12, 7, 0)) == "showing"


def test_a_notice_in_a_year_without_calendar_data_is_saved_with_visible_warnings(admin_client):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        assert (
            "2027年的法定节假日安排尚未录入工作日历"
            in admin_client.get("/admin/suspensions/new/").content.decode()
        )
        response = admin_client.post(
            "/admin/suspensions/new/", form_data(starts_at="2027-01-11 08:00", ends_at="2027-01-11 18:00")
        )
        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("2027年的法定节假日安排尚未录入，显示时间已按保守规则提前" in m for m in messages)
        assert any("将于 2026-12-27 00:00 起在首页显示" in m for m in messages)
        notice = SuspensionNotice.objects.get()
        html = admin_client.get(f"/admin/suspensions/edit/{notice.pk}/").content.decode()
        assert "2027年的法定节假日安排尚未录入，显示时间已按保守规则提前" in html
        listing = admin_client.get("/admin/suspensions/").content.decode()
        assert "显示时间已按保守规则提前" in listing
