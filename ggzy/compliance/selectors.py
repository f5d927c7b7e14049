"""Reads: each clause's status today, from its home, its checks and its obligations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
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

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def home_label(self) -> str:
        return str(Home(self.home).label)

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


DONE_STATES = (OccurrenceState.DONE, OccurrenceState.DONE_WITH_FINDINGS, OccurrenceState.WAIVED)


def obligation_statuses(obligations, *, today: dt.date) -> dict[int, CheckResult]:
    """Each obligation as a check (overdue, findings, due soon, met), by obligation pk:
    one query per distinct ``due_soon_days`` value, whatever the number of obligations
    (subqueries on the (obligation, state, due_on) index)."""
    by_window: dict[int, list[Obligation]] = {}
    for obligation in obligations:
        by_window.setdefault(obligation.due_soon_days, []).append(obligation)
    results: dict[int, CheckResult] = {}
    for days, group in by_window.items():
        horizon = today + dt.timedelta(days=days)
        of = Occurrence.objects.filter(obligation=OuterRef("pk"))
        late = of.filter(Q(state=OccurrenceState.OVERDUE) | Q(state=OccurrenceState.DUE, due_on__lt=today))
        last = of.filter(state__in=DONE_STATES, due_on__lte=horizon).order_by("-due_on")
        upcoming = of.filter(state=OccurrenceState.DUE, due_on__gte=today).order_by("due_on")
        rows = (
            Obligation.objects.filter(pk__in=[o.pk for o in group])
            .values("pk")
            .annotate(
                late_first=Subquery(late.order_by("due_on").values("due_on")[:1]),
                last_due=Subquery(last.values("due_on")[:1]),
                last_state=Subquery(last.values("state")[:1]),
                upcoming=Subquery(upcoming.values("due_on")[:1]),
            )
        )
        facts = {row["pk"]: row for row in rows}
        for obligation in group:
            results[obligation.pk] = _obligation_result(obligation, facts[obligation.pk], horizon)
    return results


def _obligation_result(obligation: Obligation, facts: dict, horizon: dt.date) -> CheckResult:
    title = obligation.title
    if facts["late_first"] is not None:
        return CheckResult(
            Status.OVERDUE,
            _("“%(title)s”已逾期（应于 %(due)s 完成）") % {"title": title, "due": facts["late_first"]},
        )
    last_due, upcoming = facts["last_due"], facts["upcoming"]
    if last_due and facts["last_state"] == OccurrenceState.DONE_WITH_FINDINGS:
        return CheckResult(
            Status.FAILING, _("“%(title)s”最近一次（%(due)s）有发现项") % {"title": title, "due": last_due}
        )
    if upcoming and upcoming <= horizon:
        return CheckResult(
            Status.DUE_SOON, _("“%(title)s”将于 %(due)s 到期") % {"title": title, "due": upcoming}
        )
    if last_due:
        return CheckResult(
            Status.MET, _("“%(title)s”最近一次 %(due)s 已完成") % {"title": title, "due": last_due}
        )
    if upcoming:
        return CheckResult(
            Status.MET, _("“%(title)s”尚未到期，下次 %(due)s") % {"title": title, "due": upcoming}
        )
    return CheckResult(Status.NO_DATA, _("“%(title)s”尚无待办（请生成待办）") % {"title": title})


def obligation_status(obligation: Obligation, *, today: dt.date) -> CheckResult:
    """One obligation as a check (see obligation_statuses)."""
    return obligation_statuses([obligation], today=today)[obligation.pk]


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
    obligations = list(Obligation.objects.filter(key__in=obligation_refs, active=True))
    by_pk = obligation_statuses(obligations, today=today)
    obligation_results = {obligation.key: by_pk[obligation.pk] for obligation in obligations}
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
