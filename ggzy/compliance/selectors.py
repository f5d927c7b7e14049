"""Reads: each clause's status today, from its home, its checks and its obligations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
        return CheckResult(
            Status.OVERDUE,
            _("“%(title)s”已逾期（应于 %(due)s 完成）") % {"title": obligation.title, "due": late["first"]},
        )
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
        return CheckResult(
            Status.FAILING,
            _("“%(title)s”最近一次（%(due)s）有发现项") % {"title": obligation.title, "due": last["due_on"]},
        )
    upcoming = (
        occurrences.filter(state=OccurrenceState.DUE, due_on__gte=today)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if upcoming and upcoming <= today + dt.timedelta(days=obligation.due_soon_days):
        return CheckResult(
            Status.DUE_SOON, _("“%(title)s”将于 %(due)s 到期") % {"title": obligation.title, "due": upcoming}
        )
    if last:
        return CheckResult(
            Status.MET,
            _("“%(title)s”最近一次 %(due)s 已完成") % {"title": obligation.title, "due": last["due_on"]},
        )
    if upcoming:
        return CheckResult(
            Status.MET, _("“%(title)s”尚未到期，下次 %(due)s") % {"title": obligation.title, "due": upcoming}
        )
    return CheckResult(Status.NO_DATA, _("“%(title)s”尚无待办（请生成待办）") % {"title": obligation.title})


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
                obligation_results.get(ref)
                or CheckResult(Status.NO_DATA, _("义务 %(key)s 未加载") % {"key": ref})
                for ref in clause.home_refs
            ]
        if results:
            status = worst([r.status for r in results])
            chosen = [r for r in results if r.status == status]
            detail = _("；").join(r.detail for r in chosen)
            links = [link for r in results for link in r.links]
        elif clause.home == Home.ENFORCED:
            status, detail, links = (
                Status.MET,
                _("由代码强制执行（%(refs)s）") % {"refs": "，".join(clause.home_refs)},
                [],
            )
        elif clause.home == Home.PRINCIPLE:
            status, detail, links = Status.PRINCIPLE, clause.justification, []
        elif clause.home == Home.CHECKED:
            status, detail, links = Status.NO_DATA, _("未注册实时检查"), []
        else:
            status, detail, links = Status.UNHOMED, _("尚未落实（待相应模块建成）"), []
        rows.append(
            ClauseRow(clause.key, clause.citation, clause.regulation, clause.home, status, detail, links)
        )
    return rows
