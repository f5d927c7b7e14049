"""Reads: each clause's status today, from its home, its checks and its obligations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Min, Q
from django.utils import timezone

from .choices import SEVERITY, Home, OccurrenceState, Status
from .models import Clause, Obligation, Occurrence
from .registry import CheckResult, all_checks, run_check


@dataclass
class ClauseRow:
    key: str
    citation: str
    regulation: str
    home: str
    status: str
    detail: str
    links: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "citation": self.citation,
            "regulation": self.regulation,
            "home": self.home,
            "status": self.status,
            "detail": self.detail,
        }


def worst(statuses: list[str]) -> str:
    return min(statuses, key=SEVERITY.index)


def obligation_status(obligation: Obligation, *, today: dt.date) -> CheckResult:
    """An obligation as a check: overdue, findings, due soon, met — three bounded queries."""
    occurrences = Occurrence.objects.filter(obligation=obligation)
    late = occurrences.filter(
        Q(state=OccurrenceState.OVERDUE) | Q(state=OccurrenceState.DUE, due_on__lt=today)
    ).aggregate(n=Max("id"), first=Min("due_on"))
    if late["n"] is not None:
        return CheckResult(Status.OVERDUE, f"“{obligation.title}”已逾期（应于 {late['first']} 完成）")
    last = (
        occurrences.filter(
            state__in=[OccurrenceState.DONE, OccurrenceState.DONE_WITH_FINDINGS, OccurrenceState.WAIVED],
            due_on__lte=today + dt.timedelta(days=obligation.due_soon_days),
        )
        .order_by("-due_on")
        .values("state", "due_on", "done_at")
        .first()
    )
    if last and last["state"] == OccurrenceState.DONE_WITH_FINDINGS:
        return CheckResult(Status.FAILING, f"“{obligation.title}”最近一次（{last['due_on']}）有发现项")
    upcoming = (
        occurrences.filter(state=OccurrenceState.DUE, due_on__gte=today)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if upcoming and upcoming <= today + dt.timedelta(days=obligation.due_soon_days):
        return CheckResult(Status.DUE_SOON, f"“{obligation.title}”将于 {upcoming} 到期")
    if last:
        return CheckResult(Status.MET, f"“{obligation.title}”最近一次 {last['due_on']} 已完成")
    if upcoming:
        return CheckResult(Status.MET, f"“{obligation.title}”尚未到期，下次 {upcoming}")
    return CheckResult(Status.NO_DATA, f"“{obligation.title}”尚无待办（请生成待办）")


def clause_statuses(*, today: dt.date | None = None, regulation: str | None = None) -> list[ClauseRow]:
    """One row per clause. Each registered check runs once, each obligation is read once."""
    today = today or timezone.localdate()
    clauses = Clause.objects.order_by("sort_order", "id")
    if regulation:
        clauses = clauses.filter(regulation=regulation)
    clauses = list(clauses)
    keys = {clause.key for clause in clauses}
    check_results = {
        check.name: (check, run_check(check, today=today))
        for check in all_checks().values()
        if keys.intersection(check.clause_keys)
    }
    obligation_refs = {ref for clause in clauses if clause.home == Home.EVIDENCED for ref in clause.home_refs}
    obligation_results = {
        obligation.key: obligation_status(obligation, today=today)
        for obligation in Obligation.objects.filter(key__in=obligation_refs, active=True)
    }
    rows = []
    for clause in clauses:
        results: list[CheckResult] = [
            result for check, result in check_results.values() if clause.key in check.clause_keys
        ]
        if clause.home == Home.EVIDENCED:
            results += [
                obligation_results.get(ref) or CheckResult(Status.NO_DATA, f"义务 {ref} 未加载")
                for ref in clause.home_refs
            ]
        if results:
            status = worst([r.status for r in results])
            chosen = [r for r in results if r.status == status]
            detail = "；".join(r.detail for r in chosen)
            links = [link for r in results for link in r.links]
        elif clause.home == Home.ENFORCED:
            status, detail, links = Status.MET, "由代码强制执行（" + "，".join(clause.home_refs) + "）", []
        elif clause.home == Home.PRINCIPLE:
            status, detail, links = Status.PRINCIPLE, clause.justification, []
        elif clause.home == Home.CHECKED:
            status, detail, links = Status.NO_DATA, "未注册实时检查", []
        else:
            status, detail, links = Status.UNHOMED, "尚未落实（待相应模块建成）", []
        rows.append(
            ClauseRow(clause.key, clause.citation, clause.regulation, clause.home, status, detail, links)
        )
    return rows
