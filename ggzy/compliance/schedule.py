"""Due dates from an RFC 5545 recurrence rule (dateutil.rrule) on the working-day calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ggzy.core.calendar import Calendar, load_calendar

from .choices import NonWorkingDay

# A weekly rule over a long horizon is the worst case; bound the expansion.
MAX_OCCURRENCES = 5000


def parse_rrule(rule: str, *, starts_on: dt.date):
    """The rule as a dateutil rrule, or a Chinese ValidationError."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "DTSTART" in text.upper():
        raise ValidationError(_("重复规则无效：请填写 RFC 5545 的 RRULE，例如 FREQ=WEEKLY;BYDAY=TU,FR。"))
    try:
        return rrulestr(text, dtstart=dt.datetime.combine(starts_on, dt.time()))
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("重复规则无效：%(error)s") % {"error": exc}) from exc


def adjust(day: dt.date, policy: str, calendar: Calendar) -> dt.date:
    if policy == NonWorkingDay.SAME:
        return day
    step = dt.timedelta(days=-1 if policy == NonWorkingDay.PREVIOUS else 1)
    for _i in range(60):
        if calendar.is_working_day(day):
            return day
        day += step
    return day


def due_dates(
    *,
    rule: str,
    starts_on: dt.date,
    policy: str,
    start: dt.date,
    end: dt.date,
    calendar: Calendar | None = None,
) -> Iterator[dt.date]:
    """Due dates in [start, end], moved off non-working days per ``policy``."""
    calendar = calendar or load_calendar()
    recurrence = parse_rrule(rule, starts_on=starts_on)
    seen = set()
    # Look a little beyond both ends: moving a date may carry it inside the window.
    window_start = dt.datetime.combine(max(start, starts_on) - dt.timedelta(days=15), dt.time())
    window_end = dt.datetime.combine(end + dt.timedelta(days=15), dt.time())
    for n, moment in enumerate(recurrence.between(window_start, window_end, inc=True)):
        if n >= MAX_OCCURRENCES:
            break
        day = adjust(moment.date(), policy, calendar)
        if start <= day <= end and day not in seen:
            seen.add(day)
            yield day
