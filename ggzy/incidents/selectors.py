"""Reads of incident response, and the monthly/yearly figures (drills kept out)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .choices import AlertStatus, IncidentStatus, IncidentType, Severity
from .models import REPORT_WITHIN, Alert, FollowUpAction, Incident


def open_alerts() -> QuerySet[Alert]:
    return Alert.objects.filter(status__in=[AlertStatus.OPEN, AlertStatus.RECOVERED], incident__isnull=True)


def clock(incident: Incident, *, now: dt.datetime | None = None) -> dict:
    """第八条: the report clock as shown on the incident page."""
    now = now or timezone.now()
    due = incident.detected_at + REPORT_WITHIN
    if incident.first_reported_at:
        state = "late" if incident.report_late else "reported"
    else:
        state = "late" if now > due or incident.report_late else "running"
    return {
        "state": state,
        "due_at": due,
        "due_ms": int(due.timestamp() * 1000),
        "remaining": max(0, int((due - now).total_seconds())),
    }


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    total: int = 0
    by_type: dict = field(default_factory=dict)
    by_severity: dict = field(default_factory=dict)
    reported_within: int = 0
    reported_late: int = 0
    report_minutes_median: float | None = None
    contain_minutes_median: float | None = None
    contain_minutes_p90: float | None = None
    recover_minutes_median: float | None = None
    recover_minutes_p90: float | None = None
    open_follow_ups: int = 0
    drills: int = 0
    trend: list[dict] = field(default_factory=list)  # the twelve months up to the period's last

    @property
    def within_share(self) -> float | None:
        n = self.reported_within + self.reported_late
        return round(100 * self.reported_within / n, 1) if n else None


def figures(*, start: dt.date, end: dt.date) -> Figures:
    """Incidents detected in [start, end): per type and severity, time to report (share
    within 5 minutes), to contain and recover (median, p90), open follow-ups. Drills and
    incidents opened in error are not counted (drills are shown on their own)."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    period = Incident.objects.filter(detected_at__gte=lo, detected_at__lt=hi)
    real = list(period.filter(is_drill=False).exclude(status=IncidentStatus.ERROR))
    out = Figures(start=start, end=end, total=len(real), drills=period.filter(is_drill=True).count())
    out.by_type = {label: sum(1 for i in real if i.incident_type == k) for k, label in IncidentType.choices}
    out.by_severity = {label: sum(1 for i in real if i.severity == k) for k, label in Severity.choices}
    minutes = lambda a, b: (b - a).total_seconds() / 60  # noqa: E731
    reported = [minutes(i.detected_at, i.first_reported_at) for i in real if i.first_reported_at]
    out.reported_late = sum(1 for i in real if i.report_late)
    out.reported_within = sum(1 for i in real if i.first_reported_at and not i.report_late)
    out.report_minutes_median = round(statistics.median(reported), 1) if reported else None
    contain = [minutes(i.detected_at, i.contained_at) for i in real if i.contained_at]
    recover = [minutes(i.detected_at, i.recovered_at) for i in real if i.recovered_at]
    if contain:
        out.contain_minutes_median = round(statistics.median(contain), 1)
        out.contain_minutes_p90 = round(_pct(contain, 0.9), 1)
    if recover:
        out.recover_minutes_median = round(statistics.median(recover), 1)
        out.recover_minutes_p90 = round(_pct(recover, 0.9), 1)
    out.open_follow_ups = FollowUpAction.objects.filter(
        done_at__isnull=True, incident__is_drill=False
    ).count()
    out.trend = trend(end=end)
    return out


def _month_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def trend(*, end: dt.date) -> list[dict]:
    """Real incidents per month for the twelve months before ``end`` (exclusive):
    all, reported within the 5-minute clock, reported late — one grouped query."""
    tz = timezone.get_current_timezone()
    last = _month_back(end - dt.timedelta(days=1), 0)
    first = _month_back(last, 11)
    rows = (
        Incident.objects.filter(
            is_drill=False,
            detected_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            detected_at__lt=dt.datetime.combine(_month_back(last, -1), dt.time.min, tzinfo=tz),
        )
        .exclude(status=IncidentStatus.ERROR)
        .annotate(m=TruncMonth("detected_at", tzinfo=tz))
        .values("m")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(report_late=True)),
            within=Count("pk", filter=Q(first_reported_at__isnull=False, report_late=False)),
        )
    )
    by_month = {(r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]): r for r in rows}
    return [
        {
            "month": month,
            "incidents": by_month.get(month, {}).get("n", 0),
            "within": by_month.get(month, {}).get("within", 0),
            "late": by_month.get(month, {}).get("late", 0),
        }
        for month in (_month_back(last, 11 - i) for i in range(12))
    ]
