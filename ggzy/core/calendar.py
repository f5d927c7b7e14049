"""Working days in mainland China: statutory holidays and 调休 make-up days.

The calendar lives in the database (CalendarDay / CalendarYear), seeded from
chinese-calendar and editable when the State Council publishes a new year.
chinese-calendar itself is only read when seeding: it raises for years it does
not know (1.11 knows 2004–2026), and a year without data must be a visible
warning, never a crash or a silent guess.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction

from .models import CalendarDay, CalendarYear

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class Calendar:
    """A snapshot of the exceptions, for fast arithmetic without a query per day."""

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: frozenset[int]
    missing: set[int] = field(default_factory=set, compare=False, hash=False)

    def is_working_day(self, day: dt.date) -> bool:
        if day.year not in self.years:
            self.missing.add(day.year)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def load_calendar() -> Calendar:
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return Calendar(frozenset(holidays), frozenset(workdays), years)


@dataclass(frozen=True)
class WorkingDayResult:
    date: dt.date
    # Years the computation crossed that have no recorded holiday arrangement:
    # the result assumed Monday–Friday there and must be shown with a warning.
    unverified_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str:
        if not self.unverified_years:
            return ""
        years = "、".join(str(y) for y in self.unverified_years)
        return f"{years}年的法定节假日安排尚未录入，已按周一至周五计算，请核对。"


def is_working_day(day: dt.date, *, calendar: Calendar | None = None) -> bool:
    return (calendar or load_calendar()).is_working_day(day)


def add_working_days(start: dt.date, days: int, *, calendar: Calendar | None = None) -> WorkingDayResult:
    """The date ``days`` working days after ``start`` (``start`` itself not counted,
    民法典 第二百零一条). ``days == 0`` gives ``start`` when it is a working day,
    else the next working day."""
    if days < 0:
        raise ValueError("days must be >= 0")
    cal = calendar or load_calendar()
    cal.missing.clear()
    day = start
    if days == 0:
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            remaining -= 1
    return WorkingDayResult(day, tuple(sorted(cal.missing)))


def subtract_working_days(start: dt.date, days: int, *, calendar: Calendar | None = None) -> WorkingDayResult:
    """The date ``days`` working days before ``start`` (``start`` itself not
    counted): the latest day by which something must be out so that ``days``
    whole working days pass before ``start``. ``days == 0`` gives ``start``."""
    if days < 0:
        raise ValueError("days must be >= 0")
    cal = calendar or load_calendar()
    cal.missing.clear()
    day, remaining = start, days
    while remaining:
        day -= dt.timedelta(days=1)
        if cal.is_working_day(day):
            remaining -= 1
    return WorkingDayResult(day, tuple(sorted(cal.missing)))


@dataclass(frozen=True)
class HolidayBlock:
    """Consecutive statutory holiday days (e.g. 国庆节 10-01..10-07), as one span."""

    first: dt.date
    last: dt.date
    names: tuple[str, ...]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def name(self) -> str:
        return "、".join(self.names)


def holiday_blocks(first: dt.date, last: dt.date) -> list[HolidayBlock]:
    """Statutory holiday blocks with at least one day in [first, last], merged
    across consecutive days (a block is returned whole even if it starts earlier)."""
    rows = CalendarDay.objects.filter(
        kind=CalendarDay.Kind.HOLIDAY,
        # A block touching the range may run up to two weeks beyond it.
        date__gte=first - dt.timedelta(days=14),
        date__lte=last + dt.timedelta(days=14),
    ).order_by("date")
    blocks = _merge_blocks(rows.values_list("date", "name"))
    return [b for b in blocks if b.last >= first and b.first <= last]


def _merge_blocks(days) -> list[HolidayBlock]:
    blocks: list[HolidayBlock] = []
    current: list = []
    for day, name in days:
        if current and day - current[-1][0] > dt.timedelta(days=1):
            blocks.append(_block(current))
            current = []
        current.append((day, name))
    if current:
        blocks.append(_block(current))
    return blocks


def _block(days) -> HolidayBlock:
    names = tuple(dict.fromkeys(name for _, name in days if name))
    return HolidayBlock(days[0][0], days[-1][0], names)


def longest_holiday_block(*, default: int = 10) -> int:
    """The longest run of consecutive statutory holiday days on record (2020's
    extended 春节: 10 days), or ``default`` when the calendar is empty. Used to stay on the
    safe side where a year's arrangement is not recorded yet."""
    days = (
        CalendarDay.objects.filter(kind=CalendarDay.Kind.HOLIDAY).order_by("date").values_list("date", "name")
    )
    return max((b.days for b in _merge_blocks(days)), default=default)


def years_without_data(years) -> list[int]:
    known = set(CalendarYear.objects.values_list("year", flat=True))
    return sorted(set(years) - known)


@lru_cache(maxsize=1)
def _chinese_calendar_range() -> tuple[int, int]:
    import chinese_calendar

    known = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return min(known).year, max(known).year


@transaction.atomic
def calendar_seed(*, years=None) -> tuple[int, int]:
    """Copy chinese-calendar's data for the years it knows into the database.

    Idempotent; years already recorded are left as an administrator edited
    them. Returns (years added, days added).
    """
    import chinese_calendar

    first, last = _chinese_calendar_range()
    wanted = set(range(first, last + 1)) if years is None else set(years) & set(range(first, last + 1))
    existing = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    to_add = sorted(wanted - existing)
    days = []
    for source, kind in ((chinese_calendar.holidays, "holiday"), (chinese_calendar.workdays, "workday")):
        for day, name in source.items():
            if day.year in to_add:
                days.append(CalendarDay(date=day, kind=kind, name=HOLIDAY_NAMES.get(name, name)))
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source=f"chinese-calendar {chinese_calendar.__version__}") for y in to_add],
        ignore_conflicts=True,
    )
    return len(to_add), len(days)
