"""Duties in the staff's calendars (issue 21 §2): the per-user iCalendar feed at a
secret, revocable URL (stored hashed, audited) and the month grid per role."""

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.models import CalendarFeed, Occurrence
from ggzy.compliance.services import occurrences_generate

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 18)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 12, 18, 2, 0, tzinfo=dt.UTC), tick=False):
        Occurrence.objects.all().delete()
        occurrences_generate(today=TODAY, horizon_days=120)
        yield TODAY


def client_for(role):
    user = make_user(role)
    client = Client()
    login_as(client, user)
    return client, user


def issue(client) -> str:
    response = client.post(reverse("compliance_feed"), {"action": "issue"}, follow=True)
    assert response.status_code == 200
    match = re.search(r"(http://testserver/api/calendar/[\w-]+\.ics)", response.content.decode())
    assert match, "the new URL is shown once"
    return match.group(1).removeprefix("http://testserver")


def test_a_user_subscribes_to_the_duties_of_their_roles():
    client, user = client_for(RoleKey.NETWORK_ADMIN)
    url = issue(client)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=user)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in feed.token_hash
    event = AuditEvent.objects.get(action="compliance.calendar_feed.issued")
    assert event.actor == user and token not in str(event.extra)

    response = Client().get(url)  # a calendar app: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {(str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")}
    assert ("计算机硬件及维修工具资产台账核对", dt.date(2026, 12, 31)) in events
    assert ("设备日志定期审查", dt.date(2026, 12, 25)) in events
    assert not any(summary == "年度应急预案演练" for summary, _day in events)  # the 安全管理员's
    # The page shows that a feed exists, not its URL.
    page = client.get(reverse("compliance_mine")).content.decode()
    assert "重新生成订阅地址" in page and token not in page


def test_regenerating_replaces_the_url_and_revoking_ends_it():
    client, user = client_for(RoleKey.NETWORK_ADMIN)
    first = issue(client)
    second = issue(client)
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(reverse("compliance_feed"), {"action": "revoke"})
    assert Client().get(second).status_code == 404
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="compliance.calendar_feed.revoked", actor=user).count() == 1
    assert Client().get("/api/calendar/not-a-token.ics").status_code == 404


def test_a_disabled_users_feed_stops():
    client, user = client_for(RoleKey.NETWORK_ADMIN)
    url = issue(client)
    user.is_active = False
    user.save()
    assert Client().get(url).status_code == 404


def test_the_month_grid_shows_a_roles_duties():
    client, _ = client_for(RoleKey.NETWORK_ADMIN)
    html = client.get(reverse("compliance_calendar"), {"month": "2026-12"}).content.decode()
    assert "2026年12月" in html
    cell = re.search(r'<td data-date="2026-12-31".*?</td>', html, re.S).group(0)
    assert "计算机硬件及维修工具资产台账核对" in cell
    # Another role's calendar is refused to a 网络管理员; the overseers may open any.
    assert client.get(reverse("compliance_calendar"), {"role": "security_admin"}).status_code == 403
    auditor, _ = client_for(RoleKey.AUDIT_ADMIN)
    html = auditor.get(reverse("compliance_calendar"), {"role": "network_admin", "month": "2026-12"})
    assert "计算机硬件及维修工具资产台账核对" in html.content.decode()
