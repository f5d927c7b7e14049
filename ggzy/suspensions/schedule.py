"""When a suspension notice goes up: N working days before the suspension, on
the holiday/调休 calendar, with a safe rule where a year has no data yet."""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.calendar import Calendar, load_calendar, longest_holiday_block, subtract_working_days

# Holiday blocks are weeks apart (元旦 → 春节 ≥ 3 weeks), so a count of up to this
# many working days crosses at most one block: the conservative rule adds one
# longest block per started group of this many working days.
WORKING_DAYS_PER_BLOCK = 10


# --------------------------------------------------------------------------- the schedule


@dataclass(frozen=True)
class NoticeSchedule:
    """When the home page starts showing a notice, and how sure that is."""

    display_from: dt.datetime
    working_days: int
    # Years the display window (display day … end) touches without a recorded
    # holiday arrangement.
    unverified_years: tuple[int, ...] = ()
    # Calendar days added in front because the count crossed such a year.
    safety_days: int = 0

    def lead_ok(self, first_shown: dt.datetime) -> bool:
        """True when the notice is out for N whole working days: shown from the
        display day's start at the latest (the day of scheduling itself is not
        counted, as 民法典 第二百零一条 counts periods)."""
        return self.working_days == 0 or first_shown <= self.display_from

    @property
    def warning(self) -> str:
        if not self.unverified_years:
            return ""
        years = "、".join(str(y) for y in self.unverified_years)
        message = _("%(years)s年的法定节假日安排尚未录入工作日历") % {"years": years}
        if self.safety_days:
            message += _("，通知已按保守规则提前%(days)d天显示") % {"days": self.safety_days}
        return message + _("。请在“工作日历”中录入后核对。")


def notice_schedule(
    *, starts_at: dt.datetime, ends_at: dt.datetime, days: int | None = None, calendar: Calendar | None = None
) -> NoticeSchedule:
    """The display time of a notice: 00:00 of the day N working days before the
    start day (start day not counted). Where that count crosses a year without
    calendar data it assumed Monday–Friday there; a holiday block may hide in
    such a year, so the notice is shown earlier by the longest block on record
    (per started 10 working days): too early is safe, too late is not."""
    days = settings.SUSPENSION_NOTICE_WORKING_DAYS if days is None else days
    cal = calendar or load_calendar()
    start_day = timezone.localtime(starts_at).date()
    counted = subtract_working_days(start_day, days, calendar=cal)
    display_day = counted.date
    safety = 0
    if counted.unverified_years:
        safety = longest_holiday_block() * math.ceil(days / WORKING_DAYS_PER_BLOCK)
        display_day -= dt.timedelta(days=safety)
    end_day = timezone.localtime(ends_at).date()
    touched = set(range(display_day.year, max(end_day.year, display_day.year) + 1))
    unverified = tuple(sorted((touched - cal.years) | set(counted.unverified_years)))
    display_from = timezone.make_aware(dt.datetime.combine(display_day, dt.time.min))
    return NoticeSchedule(display_from, days, unverified, safety)
