"""Reads: the notices the home page shows, holiday suggestions for the admin."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.calendar import (
    HolidayBlock,
    add_working_days,
    holiday_blocks,
    load_calendar,
    years_without_data,
)

from .models import SuspensionNotice
from .schedule import notice_schedule

SUGGESTION_HORIZON_DAYS = 90


def visible_notices(*, now: dt.datetime | None = None):
    """Notices the public home page shows now (one query)."""
    now = now or timezone.now()
    return SuspensionNotice.objects.filter(
        cancelled_at__isnull=True, display_from__lte=now, ends_at__gt=now
    ).order_by("starts_at", "pk")


@dataclass(frozen=True)
class HolidaySuggestion:
    """An upcoming statutory holiday block, as a prefilled suspension."""

    block: HolidayBlock
    starts_at: dt.datetime
    ends_at: dt.datetime
    resumes_on: dt.date
    title: str
    body: str
    display_from: dt.datetime
    lead_ok: bool
    scheduled: bool  # a notice already covers (part of) it

    def initial(self) -> dict[str, str]:
        return {
            "reason_kind": "holiday",
            "title": self.title,
            "body": self.body,
            "starts_at": timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M"),
            "ends_at": timezone.localtime(self.ends_at).strftime("%Y-%m-%d %H:%M"),
        }


def _md(day: dt.date) -> str:
    return _("%(month)s月%(day)s日") % {"month": day.month, "day": day.day}


def holiday_suggestions(
    *, today: dt.date | None = None, horizon_days: int = SUGGESTION_HORIZON_DAYS
) -> list[HolidaySuggestion]:
    """Statutory holidays of the next ``horizon_days`` from the DB calendar
    (consecutive days merged into one block), each with a prefilled suspension
    from the first holiday's 00:00 to the day after the last."""
    now = timezone.now()
    today = today or timezone.localdate()
    blocks = [b for b in holiday_blocks(today, today + dt.timedelta(days=horizon_days)) if b.last >= today]
    if not blocks:
        return []
    cal = load_calendar()
    covering = Q()
    for block in blocks:
        covering |= Q(starts_at__date__lte=block.last, ends_at__date__gte=block.first)
    taken = list(
        SuspensionNotice.objects.filter(covering, cancelled_at__isnull=True).values_list(
            "starts_at", "ends_at"
        )
    )
    suggestions = []
    for block in blocks:
        starts_at = timezone.make_aware(dt.datetime.combine(block.first, dt.time.min))
        ends_at = timezone.make_aware(dt.datetime.combine(block.last + dt.timedelta(days=1), dt.time.min))
        resumes_on = add_working_days(block.last, 1, calendar=cal).date
        schedule = notice_schedule(starts_at=starts_at, ends_at=ends_at, calendar=cal)
        name = block.name or _("法定节假日")
        suggestions.append(
            HolidaySuggestion(
                block=block,
                starts_at=starts_at,
                ends_at=ends_at,
                resumes_on=resumes_on,
                title=_("%(year)d年%(name)s期间暂停交易服务的通知")
                % {"year": block.first.year, "name": name},
                body=_(
                    "根据国务院办公厅节假日安排，%(first)s至%(last)s放假，共%(days)d天。"
                    "放假期间暂停开标、评标及现场交易服务，%(resume)s起恢复正常。"
                )
                % {
                    "first": _md(block.first),
                    "last": _md(block.last),
                    "days": block.days,
                    "resume": _md(resumes_on),
                },
                display_from=schedule.display_from,
                lead_ok=schedule.lead_ok(now),
                scheduled=any(s < ends_at and e > starts_at for s, e in taken),
            )
        )
    return suggestions


def calendar_gaps(*, today: dt.date | None = None) -> list[int]:
    """Years from today to the suggestion horizon without holiday data: the
    admin pages warn about them (a suspension there is counted Monday–Friday)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=SUGGESTION_HORIZON_DAYS)
    return years_without_data(range(today.year, horizon.year + 1))


def notices_with_calendar_warnings():
    """Pending or showing notices counted into a year without holiday data."""
    return SuspensionNotice.objects.filter(cancelled_at__isnull=True, ends_at__gt=timezone.now()).exclude(
        unverified_years=""
    )
