"""Who may read the log (网络安全管理办法 五(五), 三权分立): the four checks per view."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditAccessGrant, AuditEvent, AuditReview
from ggzy.audit.services import grant_decide, grant_request, record

pytestmark = pytest.mark.django_db

READ_VIEWS = ["audit_events", "audit_events_export", "audit_reviews"]


def approved_grant(auditor, security=None, hours=8, **scope):
    now = timezone.now()
    grant = grant_request(
        actor=auditor,
        purpose="月度审查",
        valid_from=now - timedelta(minutes=1),
        valid_until=now + timedelta(hours=hours),
        **scope,
    )
    return grant_decide(grant=grant, actor=security or make_user(RoleKey.SECURITY_ADMIN), approve=True)


@pytest.mark.parametrize("view", READ_VIEWS)
def test_anonymous_is_sent_to_login(client, view):
    response = client.get(reverse(view))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("view", READ_VIEWS)
def test_system_admin_gets_403_even_as_superuser(client, view):
    # The bootstrap account is a superuser holding 系统管理员: roles decide, not has_perm.
    admin = make_user(RoleKey.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    login_as(client, admin)
    assert client.get(reverse(view)).status_code == 403
    denied = AuditEvent.objects.filter(action="audit.log.access_denied").order_by("-seq").first()
    assert denied.actor == admin and denied.outcome == "failure"


@pytest.mark.parametrize("role", [RoleKey.SECURITY_ADMIN, RoleKey.WEBSITE_ADMIN, RoleKey.PUBLISHER])
def test_other_roles_get_403(client, role):
    login_as(client, make_user(role))
    assert client.get(reverse("audit_events")).status_code == 403


def test_audit_admin_without_grant_gets_403_and_a_way_to_ask(client):
    login_as(client, make_user(RoleKey.AUDIT_ADMIN))
    response = client.get(reverse("audit_events"))
    assert response.status_code == 403
    assert "申请查阅授权" in response.content.decode()


def test_audit_admin_with_grant_reads_and_the_read_is_recorded(client):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    grant = approved_grant(auditor)
    record(action="tests.thing.done", object_repr="可见的事件")
    login_as(client, auditor)
    response = client.get(reverse("audit_events"), {"action": "tests."})
    assert response.status_code == 200
    assert "可见的事件" in response.content.decode()
    viewed = AuditEvent.objects.filter(action="audit.log.viewed").order_by("-seq").first()
    assert viewed.actor == auditor and viewed.object_id == str(grant.pk)
    assert viewed.extra["filters"] == {"action": "tests."}


def test_grant_scope_limits_what_is_read(client):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    approved_grant(auditor, scope_action_prefix="accounts.login")
    record(action="tests.thing.done", object_repr="范围外")
    login_as(client, auditor)
    assert "范围外" not in client.get(reverse("audit_events")).content.decode()


def test_a_grant_expires_on_time(client):
    with time_machine.travel("2027-03-01 09:00 +0800", tick=False):
        auditor = make_user(RoleKey.AUDIT_ADMIN)  # a password younger than the 90-day maximum
        approved_grant(auditor, hours=2)
        login_as(client, auditor)
    # (a fresh login each time: administrators' sessions end after 15 idle minutes)
    with time_machine.travel("2027-03-01 10:59 +0800", tick=False):
        login_as(client, auditor)
        assert client.get(reverse("audit_events")).status_code == 200
    with time_machine.travel("2027-03-01 11:00 +0800", tick=False):
        login_as(client, auditor)
        assert client.get(reverse("audit_events")).status_code == 403


def test_keyset_pagination_walks_back_in_seq_order(client):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    approved_grant(auditor)
    for i in range(60):
        record(action="tests.page.item", object_repr=f"条目{i:02d}")
    login_as(client, auditor)
    first = client.get(reverse("audit_events"), {"action": "tests.page"})
    rows = first.context["rows"]
    assert len(rows) == 50 and rows[0].object_repr == "条目59"
    second = client.get(
        reverse("audit_events"), {"action": "tests.page", "before": first.context["next_key"]}
    )
    assert [r.object_repr for r in second.context["rows"]] == [f"条目{i:02d}" for i in range(9, -1, -1)]
    assert second.context["next_key"] is None


def test_xlsx_export_is_recorded(client):
    from openpyxl import load_workbook

    auditor = make_user(RoleKey.AUDIT_ADMIN)
    approved_grant(auditor)
    record(action="tests.thing.done", object_repr="导出我")
    login_as(client, auditor)
    response = client.get(reverse("audit_events_export"), {"action": "tests."})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    column = next(sheet.iter_rows(values_only=True)).index("对象")
    values = [row[column] for row in sheet.iter_rows(values_only=True)]
    assert "导出我" in values
    exported = AuditEvent.objects.filter(action="audit.log.exported").order_by("-seq").first()
    assert exported.actor == auditor and exported.extra["rows"] == 1


def test_security_admin_approves_over_http_and_cannot_approve_own(client):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    security = make_user(RoleKey.SECURITY_ADMIN)
    login_as(client, auditor)
    response = client.post(
        reverse("audit_grants"),
        {"purpose": "调查异常登录", "valid_from": "2026-01-01T08:00", "valid_until": "2099-01-01T08:00"},
    )
    assert response.status_code == 200
    assert "单次授权期限不得超过 31 天" in response.content.decode()
    now = timezone.localtime()
    response = client.post(
        reverse("audit_grants"),
        {
            "purpose": "调查异常登录",
            "valid_from": now.strftime("%Y-%m-%dT%H:%M"),
            "valid_until": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    grant = AuditAccessGrant.objects.get(grantee=auditor)
    # The auditor cannot approve (not a 安全管理员).
    assert (
        client.post(reverse("audit_grant_decide", args=[grant.pk]), {"decision": "approve"}).status_code
        == 403
    )
    login_as(client, security)
    assert "调查异常登录" in client.get(reverse("audit_grants")).content.decode()
    client.post(reverse("audit_grant_decide", args=[grant.pk]), {"decision": "approve", "note": "同意"})
    grant.refresh_from_db()
    assert grant.status == "approved" and grant.decided_by == security
    assert AuditEvent.objects.filter(action="audit.grant.approved", actor=security).exists()
    client.post(reverse("audit_grant_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.status == "revoked"
    assert AuditEvent.objects.filter(action="audit.grant.revoked", actor=security).count() == 1
    # A grant that is over cannot be revoked again (nothing written, the reason shown).
    response = client.post(reverse("audit_grant_revoke", args=[grant.pk]), follow=True)
    assert "只有已批准的授权可以撤销。" in response.content.decode()
    assert AuditEvent.objects.filter(action="audit.grant.revoked").count() == 1


def test_system_admin_cannot_see_or_approve_grants(client):
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN, is_superuser=True, is_staff=True))
    assert client.get(reverse("audit_grants")).status_code == 403


def test_review_lists_anomalies_and_records_the_review(client):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    approved_grant(auditor)
    for _ in range(5):
        client.post(reverse("wagtailadmin_login"), {"username": "ghost", "password": "nope-Nope-1"})
    sysadmin = make_user(RoleKey.SYSTEM_ADMIN)
    with time_machine.travel(timezone.now().replace(hour=15, minute=0) - timedelta(days=1), tick=False):
        record(action="tests.thing.late", actor=sysadmin)  # 23:00 in Asia/Shanghai
    login_as(client, auditor)
    page = client.get(reverse("audit_reviews"))
    assert page.status_code == 200
    assert [f["actor_username"] for f in page.context["failed_logins"]] == ["ghost"]
    assert any(e.action == "tests.thing.late" for e in page.context["off_hours"])
    response = client.post(
        reverse("audit_reviews"),
        {
            "period_start": "2026-01-01T00:00",
            "period_end": "2099-01-01T00:00",
            "findings": "ghost 多次登录失败，已报告",
        },
    )
    assert response.status_code == 302
    review = AuditReview.objects.get(reviewer=auditor)
    assert review.anomalies_seen >= 1
    assert AuditEvent.objects.filter(action="audit.review.recorded", actor=auditor).exists()


def test_menu_shows_audit_log_only_to_the_audit_admin(client):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    login_as(client, auditor)
    assert reverse("audit_events") in client.get(reverse("wagtailadmin_home")).content.decode()
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN, is_superuser=True, is_staff=True))
    assert reverse("audit_events") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_off_hours_follow_the_holiday_calendar():
    import datetime as dt
    import zoneinfo

    from ggzy.audit.selectors import anomalies

    sh = zoneinfo.ZoneInfo("Asia/Shanghai")
    grant = approved_grant(make_user(RoleKey.AUDIT_ADMIN))
    sysadmin = make_user(RoleKey.SYSTEM_ADMIN)
    with time_machine.travel(dt.datetime(2026, 10, 1, 10, 0, tzinfo=sh), tick=False):  # 国庆节, a Thursday
        record(action="tests.thing.holiday", actor=sysadmin)
    with time_machine.travel(dt.datetime(2026, 10, 10, 10, 0, tzinfo=sh), tick=False):  # 调休上班, a Saturday
        record(action="tests.thing.makeup", actor=sysadmin)
    found = anomalies(
        grant=grant, since=dt.datetime(2026, 9, 30, tzinfo=sh), until=dt.datetime(2026, 10, 11, tzinfo=sh)
    )
    actions = {e.action for e in found["off_hours"]}
    assert "tests.thing.holiday" in actions and "tests.thing.makeup" not in actions
