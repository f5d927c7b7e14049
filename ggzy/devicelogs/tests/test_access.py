"""Who reads device logs (网络安全管理办法 五(五)): only a 网络管理员 or 审计管理员 under a grant
approved by a 安全管理员 (never their own), every search and refusal audited."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.devicelogs import services
from ggzy.devicelogs.models import DeviceLogGrant, LogLine

from .factories import device, granted_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(collector):
    core, firewall = device("核心交换机", "127.0.0.1"), device("边界防火墙", "127.0.0.2")
    collector.send_tcp(
        [
            "<38>1 2026-12-04T02:00:00Z core sshd 1 - - Failed password for admin from 10.9.9.9",
            "<14>1 2026-12-04T03:00:00Z core sshd 1 - - Accepted password for netadmin",
            "<11>1 2026-12-04T04:00:00Z core ifmgr 1 - - Interface GE0/0/1 down",
        ]
    )
    collector.send_tcp(
        ["<38>1 2026-12-04T02:30:00Z fw sshd 1 - - Failed password for root"], source="127.0.0.2"
    )
    collector.wait_for_lines(4)
    services.index_and_alert()
    return core, firewall


@pytest.mark.parametrize("view", ["devicelogs_search", "devicelogs_index", "devicelogs_grants"])
def test_anonymous_is_sent_to_login(client, view):
    response = client.get(reverse(view))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("role", [RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.WEBSITE_ADMIN])
def test_other_roles_cannot_search_and_the_refusal_is_recorded(client, role):
    user = make_user(role, is_superuser=role == RoleKey.SYSTEM_ADMIN, is_staff=True)
    login_as(client, user)
    assert client.get(reverse("devicelogs_search")).status_code == 403
    denied = AuditEvent.objects.filter(action="devicelogs.log.access_denied").order_by("-seq").first()
    assert denied.actor == user and denied.outcome == "failure"


@pytest.mark.parametrize("role", [RoleKey.NETWORK_ADMIN, RoleKey.AUDIT_ADMIN])
def test_a_reader_without_a_grant_gets_403_and_a_way_to_ask(client, role):
    login_as(client, make_user(role))
    response = client.get(reverse("devicelogs_search"))
    assert response.status_code == 403 and "申请查阅授权" in response.content.decode()


def test_grant_requested_and_approved_over_http_then_search_is_served_and_audited(client, lines):
    core, _firewall = lines
    reader, security = make_user(RoleKey.NETWORK_ADMIN), make_user(RoleKey.SECURITY_ADMIN)
    login_as(client, reader)
    now = timezone.localtime().replace(second=0, microsecond=0)
    response = client.post(
        reverse("devicelogs_grants"),
        {
            "purpose": "排查核心交换机登录失败",
            "valid_from": (now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
            "valid_until": (now + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    grant = DeviceLogGrant.objects.get(grantee=reader)
    assert client.get(reverse("devicelogs_search")).status_code == 403  # pending is not approved

    login_as(client, security)
    response = client.post(reverse("devicelogs_grant_decide", args=[grant.pk]), {"decision": "approve"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == "approved" and grant.decided_by == security

    login_as(client, reader)
    response = client.get(
        reverse("devicelogs_search"), {"device": core.pk, "text": "password", "severity": 6}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Failed password for admin" in page and "Accepted password for netadmin" in page
    assert "Failed password for root" not in page  # another device
    assert "GE0/0/1" not in page  # no "password"
    event = AuditEvent.objects.filter(action="devicelogs.log.searched").order_by("-seq").first()
    assert event.actor == reader and event.extra["rows"] == 2
    assert event.extra["filters"] == {"device": core.pk, "text": "password", "severity": 6}


def test_search_by_severity_time_range_and_short_chinese_text(lines):
    core, _firewall = lines
    reader, _security, _grant = granted_reader(RoleKey.AUDIT_ADMIN)
    from ggzy.devicelogs.selectors import LineFilters

    _g, rows, _next = services.search(actor=reader, filters=LineFilters(severity=3))
    assert [r.text for r in rows] == ["Interface GE0/0/1 down"]
    since = dt.datetime(2026, 12, 4, 2, 15, tzinfo=dt.UTC)
    until = dt.datetime(2026, 12, 4, 3, 30, tzinfo=dt.UTC)
    _g, rows, _next = services.search(actor=reader, filters=LineFilters(since=since, until=until))
    assert [r.text for r in rows] == ["Accepted password for netadmin", "Failed password for root"]
    LogLine.objects.filter(text__startswith="Interface").update(text="接口 GE0/0/1 故障")
    _g, rows, _next = services.search(actor=reader, filters=LineFilters(text="故障", device=core.pk))
    assert [r.text for r in rows] == ["接口 GE0/0/1 故障"]


def test_a_grant_scoped_to_one_device_reads_only_that_device(lines):
    core, _firewall = lines
    reader, _security, _grant = granted_reader(scope_device=core)
    from ggzy.devicelogs.selectors import LineFilters

    _g, rows, _next = services.search(actor=reader, filters=LineFilters(text="Failed"))
    assert [r.text for r in rows] == ["Failed password for admin from 10.9.9.9"]


def test_keyset_pages_walk_back_in_time(lines):
    reader, _security, _grant = granted_reader()
    from ggzy.devicelogs.selectors import LineFilters

    _g, first, key = services.search(actor=reader, filters=LineFilters(), size=3)
    _g, second, end = services.search(actor=reader, filters=LineFilters(), before=key, size=3)
    assert len(first) == 3 and len(second) == 1 and end is None
    assert second[0].time < first[-1].time


def test_a_grant_expires_on_time(client):
    reader, _security, grant = granted_reader()
    login_as(client, reader)
    assert client.get(reverse("devicelogs_search")).status_code == 200
    with time_machine.travel(grant.valid_until + dt.timedelta(seconds=1)):
        login_as(client, reader)
        assert client.get(reverse("devicelogs_search")).status_code == 403


def test_the_security_admin_cannot_request_nor_approve_their_own_and_revokes(client):
    security = make_user(RoleKey.SECURITY_ADMIN)
    with pytest.raises(Exception, match="只有网络管理员和审计管理员"):
        services.grant_request(
            actor=security,
            purpose="x",
            valid_from=timezone.now(),
            valid_until=timezone.now() + dt.timedelta(hours=1),
        )
    reader, security, grant = granted_reader()
    login_as(client, security)
    assert client.post(reverse("devicelogs_grant_revoke", args=[grant.pk])).status_code == 302
    grant.refresh_from_db()
    assert grant.status == "revoked"
    assert AuditEvent.objects.filter(action="devicelogs.grant.revoked", actor=security).exists()
    # A reader posting a decision is refused and recorded.
    login_as(client, reader)
    assert (
        client.post(reverse("devicelogs_grant_decide", args=[grant.pk]), {"decision": "approve"}).status_code
        == 403
    )


def test_a_grant_longer_than_31_days_is_refused_with_a_chinese_message(client):
    reader = make_user(RoleKey.NETWORK_ADMIN)
    login_as(client, reader)
    now = timezone.localtime().replace(second=0, microsecond=0)
    response = client.post(
        reverse("devicelogs_grants"),
        {
            "purpose": "长期查阅",
            "valid_from": now.strftime("%Y-%m-%dT%H:%M"),
            "valid_until": (now + dt.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200 and "不得超过 31 天" in response.content.decode()
    assert not DeviceLogGrant.objects.exists()


def test_the_overview_shows_sources_to_the_network_admin_not_to_the_system_admin(client, lines):
    login_as(client, make_user(RoleKey.NETWORK_ADMIN))
    page = client.get(reverse("devicelogs_index")).content.decode()
    assert "核心交换机" in page and "127.0.0.2" in page
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    assert client.get(reverse("devicelogs_index")).status_code == 403
