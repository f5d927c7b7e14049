"""The iCalendar feed of a user's duties (issue 21 §2), so that they appear in
the staff's own calendar apps: one all-day event per occurrence of the
obligations of the user's roles, from a month back to the generation horizon."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .choices import OPEN_STATES
from .models import CalendarFeed, Occurrence
from .services import DEFAULT_HORIZON_DAYS, calendar_feed_token_hash

FEED_PAST_DAYS = 31
FEED_LIMIT = 2000


def feed_owner(token: str):
    """The active user whose feed the token opens, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=calendar_feed_token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def occurrences_for(user, *, start: dt.date, end: dt.date):
    return (
        Occurrence.objects.filter(
            obligation__owner_role__in=user.role_keys(),
            obligation__active=True,
            due_on__gte=start,
            due_on__lte=end,
        )
        .select_related("obligation")
        .order_by("due_on", "pk")
    )


def feed_ics(user, *, today: dt.date | None = None, base_url: str = "") -> bytes:
    today = today or timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//ggzy//compliance//CN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("%(site)s 定期义务") % {"site": settings.WAGTAIL_SITE_NAME})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    rows = occurrences_for(
        user,
        start=today - dt.timedelta(days=FEED_PAST_DAYS),
        end=today + dt.timedelta(days=DEFAULT_HORIZON_DAYS),
    )[:FEED_LIMIT]
    for occurrence in rows:
        event = Event()
        event.add("uid", f"compliance-occurrence-{occurrence.pk}@ggzy")
        event.add("dtstamp", stamp)
        event.add("dtstart", occurrence.due_on)
        event.add("dtend", occurrence.due_on + dt.timedelta(days=1))
        event.add("summary", occurrence.obligation.title)
        state = occurrence.get_state_display()
        if occurrence.state in OPEN_STATES and occurrence.due_on < today:
            state = _("已逾期")
        event.add(
            "description",
            _("状态：%(state)s；责任角色：%(role)s")
            % {"state": state, "role": occurrence.obligation.get_owner_role_display()},
        )
        if base_url:
            event.add("url", f"{base_url}/admin/compliance/occurrences/{occurrence.pk}/")
        calendar.add_component(event)
    return calendar.to_ical()
