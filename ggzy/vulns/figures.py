"""The figures of vulnerability management: open findings by severity and age, SLA
compliance, mean time to fix, and a twelve-month trend — each a bounded aggregate
query, never a row per finding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.charts import bar_chart

from .choices import FindingStatus, Severity
from .models import Finding

OPEN = (FindingStatus.OPEN, FindingStatus.FIX_PROPOSED)
AGE_BUCKETS = ((0, 30), (31, 90), (91, 180), (181, None))  # days open, inclusive


def bucket_labels() -> list[str]:
    return [f"{low}–{high}" if high else f"{low}+" for low, high in AGE_BUCKETS]


@dataclass
class Figures:
    start: dt.date
    end: dt.date  # exclusive
    by_severity: list[tuple[str, str, list[int], int]]  # key, label, counts per age bucket, total
    open_total: int
    overdue: int
    fixed: int
    fixed_in_time: int
    mean_days_to_fix: float | None
    trend: list[dict] = field(default_factory=list)

    @property
    def sla_percent(self) -> float | None:
        return round(100 * self.fixed_in_time / self.fixed, 1) if self.fixed else None


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    month = day.year * 12 + day.month - 1 - back
    return dt.date(month // 12, month % 12 + 1, 1)


def figures(*, month: dt.date | None = None, today: dt.date | None = None) -> Figures:
    """The figures of one calendar month (open counts as of now) and the twelve
    months up to it."""
    today = today or timezone.localdate()
    start = _month_start(month or today)
    end = _month_start(start, back=-1)
    now = timezone.now()
    age_filters = {}
    for index, (low, high) in enumerate(AGE_BUCKETS):
        q = Q(first_seen__lte=now - dt.timedelta(days=low))
        if high is not None:
            q &= Q(first_seen__gt=now - dt.timedelta(days=high + 1))
        age_filters[f"b{index}"] = Count("pk", filter=q)
    rows = {
        row["severity"]: row
        for row in Finding.objects.filter(status__in=OPEN).values("severity").annotate(**age_filters)
    }
    by_severity = []
    for severity in Severity:
        counts = [rows.get(severity.value, {}).get(f"b{i}", 0) for i in range(len(AGE_BUCKETS))]
        by_severity.append((severity.value, str(severity.label), counts, sum(counts)))
    tz = timezone.get_current_timezone()
    start_at = timezone.make_aware(dt.datetime.combine(start, dt.time()), tz)
    end_at = timezone.make_aware(dt.datetime.combine(end, dt.time()), tz)
    fixed = Finding.objects.filter(status=FindingStatus.FIXED, closed_at__gte=start_at, closed_at__lt=end_at)
    stats = fixed.aggregate(
        n=Count("pk"),
        in_time=Count("pk", filter=Q(closed_at__date__lte=F("due_on"))),
    )
    durations = fixed.annotate(
        took=ExpressionWrapper(F("closed_at") - F("first_seen"), output_field=DurationField())
    ).values_list("took", flat=True)[:5000]
    days = [d.total_seconds() / 86400 for d in durations if d is not None]
    trend_start = _month_start(start, back=11)
    trend_start_at = timezone.make_aware(dt.datetime.combine(trend_start, dt.time()), tz)
    new = dict(
        Finding.objects.filter(first_seen__gte=trend_start_at, first_seen__lt=end_at)
        .annotate(m=TruncMonth("first_seen", tzinfo=tz))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    done = dict(
        Finding.objects.filter(
            status=FindingStatus.FIXED, closed_at__gte=trend_start_at, closed_at__lt=end_at
        )
        .annotate(m=TruncMonth("closed_at", tzinfo=tz))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    new = {_as_date(k): v for k, v in new.items()}
    done = {_as_date(k): v for k, v in done.items()}
    trend = [
        {"month": m, "new": new.get(m, 0), "fixed": done.get(m, 0)}
        for m in (_month_start(start, back=11 - i) for i in range(12))
    ]
    return Figures(
        start=start,
        end=end,
        by_severity=by_severity,
        open_total=sum(row[3] for row in by_severity),
        overdue=Finding.objects.filter(status__in=OPEN, due_on__lt=today).count(),
        fixed=stats["n"],
        fixed_in_time=stats["in_time"],
        mean_days_to_fix=round(sum(days) / len(days), 1) if days else None,
        trend=trend,
    )


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def trend_chart(trend: list[dict]) -> dict:
    """Bar pairs (new, fixed) per month for the server-rendered SVG."""
    return bar_chart(trend, (("new", "#c0392b", _("新发现")), ("fixed", "#2e7d32", _("已修复"))))
