"""Reads for the compliance dashboard (issue 21 §4): per regulation → per clause
status, counts, the overall score, the 12-month trend, a clause's drill-down and
a user's own duties. Every read is a bounded number of queries, whatever the
number of clauses, obligations or occurrences."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q

from ggzy.accounts.choices import RoleKey

from .choices import OPEN_STATES, Home, OccurrenceState, Regulation, Status
from .models import Clause, ClauseSnapshot, FollowUp, Obligation, Occurrence, OccurrenceAttachment
from .registry import checks_for, run_check
from .selectors import ClauseRow, clause_statuses, obligation_statuses

# The statuses in the order the dashboard lists them (worst first).
STATUS_ORDER = [
    Status.FAILING,
    Status.OVERDUE,
    Status.NO_DATA,
    Status.DUE_SOON,
    Status.MET,
    Status.PRINCIPLE,
    Status.UNHOMED,
]
# A clause "complies" when met or due soon (nothing late yet).
COMPLYING = frozenset({Status.MET, Status.DUE_SOON})
TREND_MONTHS = 12
# How far ahead a user's own duties are listed, and how many rows at most.
MY_HORIZON_DAYS = 31
MY_LIMIT = 200
RECENT_OCCURRENCES = 24


def is_overseer(user) -> bool:
    """The 安全管理员 (who may also waive) and the 审计管理员 (read-only) see everything."""
    return bool(
        user
        and user.is_authenticated
        and user.role_keys() & {RoleKey.SECURITY_ADMIN.value, RoleKey.AUDIT_ADMIN.value}
    )


def score(counts: Counter) -> int | None:
    """Per cent of the clauses that ask for something (all but principles) that comply.
    Unhomed clauses count against the score: nothing satisfies them yet."""
    total = sum(n for status, n in counts.items() if status != Status.PRINCIPLE)
    if not total:
        return None
    return round(100 * sum(counts[s] for s in COMPLYING) / total)


@dataclass
class RegulationBlock:
    key: str
    label: str
    rows: list[ClauseRow] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def score(self) -> int | None:
        return score(self.counts)


@dataclass
class Overview:
    blocks: list[RegulationBlock]
    counts: Counter
    score: int | None
    shown: int


def overview(*, today: dt.date, regulation: str = "", status: str = "", home: str = "") -> Overview:
    """The clause rows grouped by regulation; counts and score over the regulation
    filter, the status/home filters narrowing only the rows listed."""
    rows = clause_statuses(today=today, regulation=regulation or None)
    labels = dict(Regulation.choices)
    blocks: dict[str, RegulationBlock] = {}
    counts: Counter = Counter()
    shown = 0
    for row in rows:
        block = blocks.setdefault(
            row.regulation, RegulationBlock(row.regulation, str(labels[row.regulation]))
        )
        block.counts[row.status] += 1
        counts[row.status] += 1
        if (not status or row.status == status) and (not home or row.home == home):
            block.rows.append(row)
            shown += 1
    ordered = [blocks[key] for key in Regulation.values if key in blocks]
    return Overview(ordered, counts, score(counts), shown)


@dataclass
class TrendPoint:
    month: str  # 2026-05
    day: dt.date | None  # the last snapshot day of the month
    counts: Counter
    score: int | None


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    starts = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        starts.append(dt.date(year, month + 1, 1))
    return starts


def trend(*, today: dt.date, regulation: str = "", months: int = TREND_MONTHS) -> list[TrendPoint]:
    """Each of the last ``months`` months as it stood on its last snapshot day: one
    index lookup (MAX(day)) per month, then one grouped count over those days."""
    starts = _month_starts(today, months)
    snapshots = ClauseSnapshot.objects.all()
    if regulation:
        snapshots = snapshots.filter(clause__regulation=regulation)
    last_days = {}
    for start in starts:
        following = (start + dt.timedelta(days=32)).replace(day=1)
        last = ClauseSnapshot.objects.filter(day__gte=start, day__lt=following, day__lte=today).aggregate(
            last=Max("day")
        )["last"]
        if last:
            last_days[(start.year, start.month)] = last
    per_day: dict[dt.date, Counter] = {day: Counter() for day in last_days.values()}
    for row in snapshots.filter(day__in=list(per_day)).values("day", "status").annotate(n=Count("id")):
        per_day[row["day"]][row["status"]] = row["n"]
    points = []
    for start in starts:
        day = last_days.get((start.year, start.month))
        counts = per_day.get(day, Counter()) if day else Counter()
        points.append(TrendPoint(f"{start:%Y-%m}", day, counts, score(counts) if counts else None))
    return points


def trend_chart(points: list[TrendPoint], *, width: int = 560, height: int = 180) -> dict:
    """Coordinates for the server-rendered SVG line chart of the score (0–100 %)."""
    left, right, top, bottom = 36, 10, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)
    marks = []
    for index, point in enumerate(points):
        x = round(left + index * step, 1)
        y = None if point.score is None else round(top + plot_h * (1 - point.score / 100), 1)
        marks.append({"x": x, "y": y, "point": point, "label_y": height - 10})
    line = " ".join(f"{m['x']},{m['y']}" for m in marks if m["y"] is not None)
    grid = [{"y": round(top + plot_h * (1 - v / 100), 1), "value": v} for v in (0, 25, 50, 75, 100)]
    return {"width": width, "height": height, "marks": marks, "line": line, "grid": grid, "left": left}


# --------------------------------------------------------------------------- one clause


@dataclass
class ClauseDetail:
    clause: Clause
    row: ClauseRow
    checks: list[tuple[str, object]]  # (check name, CheckResult)
    obligations: list[tuple[Obligation, object, list[Occurrence]]]


def _obligations_of(clause: Clause) -> list[Obligation]:
    refs = clause.home_refs if clause.home == Home.EVIDENCED else []
    return list(Obligation.objects.filter(Q(clauses=clause) | Q(key__in=refs)).distinct().order_by("key"))


def clause_detail(clause: Clause, *, today: dt.date) -> ClauseDetail:
    """The clause's live status, its checks run now, its obligations with their
    recent occurrences and evidence (attachments and people prefetched)."""
    row = next(r for r in clause_statuses(today=today, regulation=clause.regulation) if r.key == clause.key)
    checks = [
        (check.name, run_check(check, today=today).for_clause(clause.key)) for check in checks_for(clause.key)
    ]
    obligations = _obligations_of(clause)
    results = obligation_statuses(obligations, today=today)
    # A clause has one to a few obligations: two queries each (occurrences, evidence),
    # at most RECENT_OCCURRENCES occurrences each.
    by_obligation = {
        o.pk: list(
            Occurrence.objects.filter(obligation=o, due_on__lte=today + dt.timedelta(days=MY_HORIZON_DAYS))
            .select_related("done_by", "waived_by")
            .prefetch_related(
                Prefetch("attachments", queryset=OccurrenceAttachment.objects.select_related("uploaded_by")),
                Prefetch("followups", queryset=FollowUp.objects.select_related("owner")),
            )
            .order_by("-due_on")[:RECENT_OCCURRENCES]
        )
        for o in obligations
    }
    return ClauseDetail(
        clause,
        row,
        checks,
        [(o, results[o.pk], by_obligation[o.pk]) for o in obligations],
    )


# --------------------------------------------------------------------------- one user's duties


def my_occurrences(user, *, today: dt.date) -> tuple[list[Occurrence], list[Occurrence]]:
    """The open occurrences of the obligations of the user's roles (overdue ones and
    those due within MY_HORIZON_DAYS), and their last completed ones."""
    roles = user.role_keys()
    mine = Occurrence.objects.filter(
        obligation__owner_role__in=roles, obligation__active=True
    ).select_related("obligation")
    open_ = list(
        mine.filter(state__in=OPEN_STATES, due_on__lte=today + dt.timedelta(days=MY_HORIZON_DAYS)).order_by(
            "due_on", "pk"
        )[:MY_LIMIT]
    )
    done = list(
        mine.exclude(state__in=OPEN_STATES)
        .exclude(state=OccurrenceState.WAIVED)
        .select_related("done_by")
        .order_by("-done_at", "-pk")[:20]
    )
    return open_, done


def my_followups(user) -> list[FollowUp]:
    """The open follow-up actions the user is responsible for (整改措施), soonest first."""
    return list(
        FollowUp.objects.filter(owner=user, closed_at__isnull=True)
        .select_related("occurrence__obligation")
        .order_by("due_on", "pk")[:MY_LIMIT]
    )


def may_open_occurrence(user, occurrence: Occurrence) -> bool:
    """The overseers, the owner role, and whoever owns one of its follow-up actions."""
    return (
        is_overseer(user)
        or user.has_role(occurrence.obligation.owner_role)
        or FollowUp.objects.filter(occurrence=occurrence, owner_id=user.pk).exists()
    )


def may_complete_occurrence(user, occurrence: Occurrence) -> bool:
    """The owner role or the 安全管理员 (the service decides; this only hides the form)."""
    return occurrence.state in OPEN_STATES and (
        user.has_role(occurrence.obligation.owner_role) or user.has_role(RoleKey.SECURITY_ADMIN)
    )


def calendar_roles(user) -> list[tuple[str, str]]:
    """The roles whose calendar the user may open: every role for the overseers,
    else their own; roles that own an obligation first."""
    owning = set(Obligation.objects.filter(active=True).values_list("owner_role", flat=True).distinct())
    keys = RoleKey.values if is_overseer(user) else [k for k in RoleKey.values if k in user.role_keys()]
    return sorted(((k, str(RoleKey(k).label)) for k in keys), key=lambda kv: kv[0] not in owning)


def month_grid(*, role: str, year: int, month: int, today: dt.date) -> list[list[dict]]:
    """The month as weeks (Monday first) of days, each with the role's occurrences: one query."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Occurrence]] = {}
    for occurrence in (
        Occurrence.objects.filter(
            obligation__owner_role=role, obligation__active=True, due_on__range=(start, end)
        )
        .select_related("obligation")
        .order_by("due_on", "obligation__title")[: MY_LIMIT * 5]
    ):
        by_day.setdefault(occurrence.due_on, []).append(occurrence)
    return [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "today": day == today,
                "occurrences": by_day.get(day, []),
                "late": [o for o in by_day.get(day, []) if o.state in OPEN_STATES and day < today],
            }
            for day in week
        ]
        for week in weeks
    ]
