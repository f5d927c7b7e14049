"""Department reporting (信息传递制度 (四)(五), 审核制度 (八), 网站管理制度 第十二条).

Everything here is derived from what happened (submissions, chain steps,
publication records), so the numbers cannot drift from the facts.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState, WorkflowState

from ggzy.accounts.models import Department
from ggzy.core.calendar import Calendar, load_calendar

from .models import PublicationRecord

# 信息传递制度 (五): 一次警告，两次通报批评，三次取消文明科室评先资格.
ESCALATION = {0: "", 1: _("警告"), 2: _("通报批评")}
ESCALATION_MAX = _("取消文明科室评先资格")
INDUSTRY_COLUMN = "行业信息"
INDUSTRY_DAILY_QUOTA = 4  # 网站栏目信息发布分类 3.4: 每天更新发布4篇


def escalation_for(misses: int) -> str:
    return str(ESCALATION.get(misses, ESCALATION_MAX))


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )


def weekly_due_day(monday: dt.date, calendar: Calendar) -> dt.date | None:
    """Friday, or the week's last working day before it when Friday is a holiday;
    None when the week has no working day up to Friday (no quota that week)."""
    for offset in (4, 3, 2, 1, 0):
        day = monday + dt.timedelta(days=offset)
        if calendar.is_working_day(day):
            return day
    return None


@dataclass(frozen=True)
class WeekResult:
    monday: dt.date
    due: dt.date
    submitted: int


def quota_start() -> dt.date | None:
    """The first day the weekly quota applies: GGZY_QUOTA_START, else the day of
    the first submission ever recorded (weeks before ggzy was used don't count)."""
    if settings.GGZY_QUOTA_START:
        return dt.date.fromisoformat(settings.GGZY_QUOTA_START)
    first = WorkflowState.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return timezone.localtime(first).date() if first else None


def weekly_quota(
    *, year: int, until: dt.date, calendar: Calendar | None = None, since: dt.date | None = None
) -> dict[int, list[WeekResult]]:
    """Per department id: each week of ``year`` whose due day is before ``until``
    (and on or after the quota start), with how many items the department
    submitted from Monday up to that due day. ``since`` (a Monday) leaves out the
    weeks before it and bounds the read (the compliance check asks for one week)."""
    calendar = calendar or load_calendar()
    begin = quota_start()
    if begin is None:
        return {d: [] for d in Department.objects.values_list("pk", flat=True)}
    first_day = since if since is not None else dt.date(year, 1, 1) - dt.timedelta(days=7)
    start, end = _local_bounds(first_day, until)
    submissions = (
        WorkflowState.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("requested_by__department_id", "day")
    )
    # Submitted that day, per department.
    by_department: dict[int, Counter] = defaultdict(Counter)
    for department_id, day in submissions:
        by_department[department_id][day] += 1
    monday = dt.date(year, 1, 1) - dt.timedelta(days=dt.date(year, 1, 1).weekday())
    if since is not None:
        monday = max(monday, since - dt.timedelta(days=since.weekday()))
    results: dict[int, list[WeekResult]] = {d: [] for d in Department.objects.values_list("pk", flat=True)}
    while True:
        due = weekly_due_day(monday, calendar)
        if due is not None and due >= until:
            break
        if due is not None and due.year == year and monday + dt.timedelta(days=6) >= begin:
            for department_id, weeks in results.items():
                # On time: from Monday up to and including the due day (信息传递制度 (四) 每周五).
                on_time = sum(
                    by_department[department_id][monday + dt.timedelta(days=n)]
                    for n in range((due - monday).days + 1)
                )
                weeks.append(WeekResult(monday, due, on_time))
        monday += dt.timedelta(days=7)
        if monday >= until:
            break
    return results


def published_per_day(
    *, first: dt.date, after: dt.date, column_title: str = "", page_path: str = ""
) -> Counter:
    """Items published per local day in [first, after): of the column with that
    title (as the publication record names it), or below that page path (a column
    and its sub-columns). One grouped query."""
    start, end = _local_bounds(first, after)
    records = PublicationRecord.objects.filter(published_at__gte=start, published_at__lt=end)
    if column_title:
        records = records.filter(column_title=column_title)
    if page_path:
        records = records.filter(page__path__startswith=page_path)
    return Counter(
        dict(
            records.annotate(day=TruncDate("published_at", tzinfo=timezone.get_current_timezone()))
            .values_list("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
    )


def industry_published_per_day(*, first: dt.date, after: dt.date) -> Counter:
    """行业信息 items published per day (网站管理制度 附表 3.4: 每天更新发布4篇)."""
    return published_per_day(first=first, after=after, column_title=INDUSTRY_COLUMN)


def department_submissions(*, first: dt.date, after: dt.date) -> Counter:
    """Items submitted into a chain per department id in [first, after) (信息传递制度 (四))."""
    start, end = _local_bounds(first, after)
    return Counter(
        dict(
            WorkflowState.objects.filter(created_at__gte=start, created_at__lt=end)
            .values_list("requested_by__department_id")
            .annotate(n=Count("pk"))
            .values_list("requested_by__department_id", "n")
        )
    )


@dataclass(frozen=True)
class DepartmentMonth:
    department: str
    submitted: int
    approved: int
    published: int
    returned: int
    weekly_quota_misses: int
    misses_this_year: int
    escalation: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    departments: list[DepartmentMonth]
    industry_days_short: list[tuple[dt.date, int]]  # working days 行业信息 got < 4
    calendar_warning: str


def monthly_report(*, year: int, month: int) -> MonthlyReport:
    first = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    start, end = _local_bounds(first, after)
    calendar = load_calendar()
    calendar.missing.clear()

    def per_department(qs, field):
        return dict(qs.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))

    submitted = per_department(
        WorkflowState.objects.filter(created_at__gte=start, created_at__lt=end), "requested_by__department"
    )
    approved = per_department(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_APPROVED,
            current_task_state__finished_at__gte=start,
            current_task_state__finished_at__lt=end,
        ),
        "requested_by__department",
    )
    published = per_department(
        PublicationRecord.objects.filter(published_at__gte=start, published_at__lt=end), "department"
    )
    returned = per_department(
        TaskState.objects.filter(
            status=TaskState.STATUS_REJECTED, finished_at__gte=start, finished_at__lt=end
        ),
        "workflow_state__requested_by__department",
    )
    weeks = weekly_quota(year=year, until=min(after, timezone.localdate()), calendar=calendar)
    rows = []
    for department in Department.objects.all():
        results = weeks.get(department.pk, [])
        misses_month = sum(1 for w in results if w.submitted == 0 and first <= w.due < after)
        misses_year = sum(1 for w in results if w.submitted == 0 and w.due < after)
        rows.append(
            DepartmentMonth(
                department=department.name,
                submitted=submitted.get(department.pk, 0),
                approved=approved.get(department.pk, 0),
                published=published.get(department.pk, 0),
                returned=returned.get(department.pk, 0),
                weekly_quota_misses=misses_month,
                misses_this_year=misses_year,
                escalation=escalation_for(misses_year),
            )
        )
    daily = industry_published_per_day(first=first, after=after)
    short = []
    day = first
    last = min(after, timezone.localdate())
    while day < last:
        if calendar.is_working_day(day) and daily.get(day, 0) < INDUSTRY_DAILY_QUOTA:
            short.append((day, daily.get(day, 0)))
        day += dt.timedelta(days=1)
    missing = sorted(calendar.missing)
    warning = (
        _("%(years)s年的法定节假日安排尚未录入，已按周一至周五计算。")
        % {"years": "、".join(map(str, missing))}
        if missing
        else ""
    )
    return MonthlyReport(f"{year:04d}-{month:02d}", rows, short, warning)
