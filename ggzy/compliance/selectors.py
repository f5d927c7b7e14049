"""Reads: each clause's status today, from its home, its checks and its obligations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import SEVERITY, Home, OccurrenceState, Status
from .models import Clause, FollowUp, Obligation, Occurrence
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
    """Each obligation (anything with ``pk``, ``title`` and ``due_soon_days``) as a check
    (overdue, findings, due soon, met), by obligation pk:
    one query per distinct ``due_soon_days`` value, whatever the number of obligations
    (subqueries on the (obligation, state, due_on) index), and one for the follow-ups."""
    by_window: dict[int, list[Obligation]] = {}
    for obligation in obligations:
        by_window.setdefault(obligation.due_soon_days, []).append(obligation)
    facts: dict[int, dict] = {}
    for days, group in by_window.items():
        horizon = today + dt.timedelta(days=days)
        of = Occurrence.objects.filter(obligation=OuterRef("pk"))
        # Late: overdue, or still due after its date. Two subqueries, each an equality
        # on state, so that each is one seek on the (obligation, state, due_on) index
        # (with "state IN (…)" SQLite walks ten years of rows by (obligation, due_on)).
        overdue = of.filter(state=OccurrenceState.OVERDUE).order_by("due_on")
        still_due = of.filter(state=OccurrenceState.DUE, due_on__lt=today).order_by("due_on")
        # The last one done: walks (obligation, due_on) back from the horizon, stops at once.
        last = of.filter(state__in=DONE_STATES, due_on__lte=horizon).order_by("-due_on")
        upcoming = of.filter(state=OccurrenceState.DUE, due_on__gte=today).order_by("due_on")
        rows = (
            Obligation.objects.filter(pk__in=[o.pk for o in group])
            .values("pk")
            .annotate(
                overdue_first=Subquery(overdue.values("due_on")[:1]),
                due_first=Subquery(still_due.values("due_on")[:1]),
                last_pk=Subquery(last.values("pk")[:1]),
                last_due=Subquery(last.values("due_on")[:1]),
                last_state=Subquery(last.values("state")[:1]),
                upcoming=Subquery(upcoming.values("due_on")[:1]),
            )
        )
        for row in rows:
            late = [day for day in (row.pop("overdue_first"), row.pop("due_first")) if day is not None]
            facts[row["pk"]] = {
                **row,
                "late_first": min(late, default=None),
                "horizon": horizon,
            }
    followups = _followup_facts(facts)
    messages = _messages()
    return {
        obligation.pk: _obligation_result(
            obligation, facts[obligation.pk], followups, today=today, messages=messages
        )
        for obligation in obligations
    }


def _followup_facts(facts: dict[int, dict]) -> dict:
    """In one query: per obligation its open follow-ups (count, earliest due date), and
    per latest occurrence with findings how many follow-ups it has."""
    with_findings = [
        f["last_pk"] for f in facts.values() if f["last_state"] == OccurrenceState.DONE_WITH_FINDINGS
    ]
    open_by_obligation: dict[int, tuple[int, dt.date]] = {}
    count_by_occurrence: dict[int, int] = {}
    if not facts:
        return {"open": open_by_obligation, "of_last": count_by_occurrence}
    rows = FollowUp.objects.filter(
        Q(closed_at__isnull=True, occurrence__obligation_id__in=list(facts))
        | Q(occurrence_id__in=with_findings)
    ).values_list("occurrence_id", "occurrence__obligation_id", "closed_at", "due_on")
    for occurrence_id, obligation_id, closed_at, due_on in rows:
        count_by_occurrence[occurrence_id] = count_by_occurrence.get(occurrence_id, 0) + 1
        if closed_at is None:
            n, first = open_by_obligation.get(obligation_id, (0, due_on))
            open_by_obligation[obligation_id] = (n + 1, min(first, due_on))
    return {"open": open_by_obligation, "of_last": count_by_occurrence}


def _messages() -> dict[str, str]:
    """The detail formats, translated once per read: gettext misses through every
    catalogue for a Chinese msgid, and a dashboard builds some 400 details."""
    return {
        "overdue": _("“%(title)s”已逾期（应于 %(due)s 完成）"),
        "followups_late": _("“%(title)s”有 %(n)s 项整改措施未关闭，最早期限 %(due)s 已过"),
        "followups_open": _("“%(title)s”有 %(n)s 项整改措施未关闭（最早期限 %(due)s）"),
        "findings": _("“%(title)s”最近一次（%(due)s）有发现项，尚未制定整改措施"),
        "due_soon": _("“%(title)s”将于 %(due)s 到期"),
        "met_fixed": _("“%(title)s”最近一次 %(due)s 已完成，发现项已整改"),
        "met": _("“%(title)s”最近一次 %(due)s 已完成"),
        "met_ahead": _("“%(title)s”尚未到期，下次 %(due)s"),
        "no_data": _("“%(title)s”尚无待办（请生成待办）"),
    }


def _obligation_result(
    obligation, facts: dict, followups: dict, *, today: dt.date, messages: dict[str, str]
) -> CheckResult:
    title, horizon = obligation.title, facts["horizon"]
    if facts["late_first"] is not None:
        return CheckResult(Status.OVERDUE, messages["overdue"] % {"title": title, "due": facts["late_first"]})
    last_due, upcoming = facts["last_due"], facts["upcoming"]
    # 整改: open follow-ups keep the clause failing until they are closed.
    if obligation.pk in followups["open"]:
        n, first = followups["open"][obligation.pk]
        detail = messages["followups_late"] if first < today else messages["followups_open"]
        return CheckResult(Status.FAILING, detail % {"title": title, "n": n, "due": first})
    fixed = False
    if last_due and facts["last_state"] == OccurrenceState.DONE_WITH_FINDINGS:
        if not followups["of_last"].get(facts["last_pk"]):
            return CheckResult(Status.FAILING, messages["findings"] % {"title": title, "due": last_due})
        fixed = True
    if upcoming and upcoming <= horizon:
        return CheckResult(Status.DUE_SOON, messages["due_soon"] % {"title": title, "due": upcoming})
    if last_due:
        detail = messages["met_fixed"] if fixed else messages["met"]
        return CheckResult(Status.MET, detail % {"title": title, "due": last_due})
    if upcoming:
        return CheckResult(Status.MET, messages["met_ahead"] % {"title": title, "due": upcoming})
    return CheckResult(Status.NO_DATA, messages["no_data"] % {"title": title})


def obligation_status(obligation: Obligation, *, today: dt.date) -> CheckResult:
    """One obligation as a check (see obligation_statuses)."""
    return obligation_statuses([obligation], today=today)[obligation.pk]


@dataclass(frozen=True)
class _ClauseFacts:
    key: str
    citation: str
    regulation: str
    home: str
    home_refs: list
    justification: str


@dataclass(frozen=True)
class _ObligationFacts:
    pk: int
    key: str
    title: str
    due_soon_days: int


def clause_statuses(*, today: dt.date | None = None, regulation: str | None = None) -> list[ClauseRow]:
    """One row per clause, in one pass: each registered check runs once, the
    obligations are read in bulk (obligation_statuses), the clauses and obligations
    as plain rows (no model instances), each message format translated once."""
    today = today or timezone.localdate()
    clauses = Clause.objects.order_by("sort_order", "id")
    if regulation:
        clauses = clauses.filter(regulation=regulation)
    clauses = [
        _ClauseFacts(*row)
        for row in clauses.values_list("key", "citation", "regulation", "home", "home_refs", "justification")
    ]
    keys = {clause.key for clause in clauses}
    check_results = {
        check.name: (check, run_check(check, today=today))
        for check in all_checks().values()
        if keys.intersection(check.clause_keys)
    }
    obligation_refs = {ref for clause in clauses if clause.home == Home.EVIDENCED for ref in clause.home_refs}
    obligations = [
        _ObligationFacts(*row)
        for row in Obligation.objects.filter(key__in=obligation_refs, active=True)
        .order_by("key")
        .values_list("pk", "key", "title", "due_soon_days")
    ]
    by_pk = obligation_statuses(obligations, today=today)
    obligation_results = {obligation.key: by_pk[obligation.pk] for obligation in obligations}
    # Each clause's check results, gathered in one pass over the checks.
    by_clause: dict[str, list[CheckResult]] = {}
    for check, result in check_results.values():
        for key in check.clause_keys:
            by_clause.setdefault(key, []).append(result.for_clause(key))
    separator, enforced = _("；"), _("由代码强制执行（%(refs)s）")
    not_loaded, no_check, unhomed = (
        _("义务 %(key)s 未加载"),
        _("未注册实时检查"),
        _("尚未落实（待相应模块建成）"),
    )
    rows = []
    for clause in clauses:
        results: list[CheckResult] = list(by_clause.get(clause.key, ()))
        if clause.home == Home.EVIDENCED:
            results += [
                obligation_results.get(ref) or CheckResult(Status.NO_DATA, not_loaded % {"key": ref})
                for ref in clause.home_refs
            ]
        if results:
            status = worst([r.status for r in results])
            detail = separator.join(r.detail for r in results if r.status == status)
            links = [link for r in results for link in r.links]
        elif clause.home == Home.ENFORCED:
            status, detail, links = Status.MET, enforced % {"refs": "，".join(clause.home_refs)}, []
        elif clause.home == Home.PRINCIPLE:
            status, detail, links = Status.PRINCIPLE, clause.justification, []
        elif clause.home == Home.CHECKED:
            status, detail, links = Status.NO_DATA, no_check, []
        else:
            status, detail, links = Status.UNHOMED, unhomed, []
        rows.append(
            ClauseRow(clause.key, clause.citation, clause.regulation, clause.home, status, detail, links)
        )
    return rows
