"""The monthly and annual compliance report (issue 21 §4), as PDF (WeasyPrint,
ggzy.core.pdf) and xlsx (openpyxl), with an evidence index: every file kept for
an occurrence due in the period, its SHA-256, who uploaded it and when. The
xlsx goes through the shared export writer (ggzy.core.exports)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.exports import SafeWorkbook
from ggzy.core.pdf import CJK_FONT_STACK, html_to_pdf

from . import dashboard
from .choices import Home, OccurrenceState, Regulation, Status
from .models import Clause, ClauseSnapshot, Obligation, OccurrenceAttachment
from .selectors import ClauseRow, clause_statuses

MONTHLY, ANNUAL = "monthly", "annual"


@dataclass
class EvidenceRow:
    obligation: str
    due_on: dt.date
    name: str
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass
class ObligationRow:
    key: str
    title: str
    owner: str
    states: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.states.values())


@dataclass
class ComplianceReport:
    kind: str
    title: str
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    as_of: dt.date | None  # the snapshot day the clause statuses come from; None: live
    rows: list[ClauseRow]
    counts: Counter
    score: int | None
    trend: list
    obligations: list[ObligationRow]
    evidence: list[EvidenceRow]

    @property
    def count_rows(self) -> list[tuple[str, int]]:
        return [(str(Status(s).label), self.counts.get(s, 0)) for s in dashboard.STATUS_ORDER]


def period(kind: str, year: int, month: int | None = None) -> tuple[dt.date, dt.date, str]:
    if kind == ANNUAL:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), _("%(year)s 年度合规报告") % {"year": year}
    last = pycalendar.monthrange(year, month)[1]
    return (
        dt.date(year, month, 1),
        dt.date(year, month, last),
        _("%(year)s 年 %(month)s 月合规报告") % {"year": year, "month": month},
    )


def _clause_rows(end: dt.date, today: dt.date) -> tuple[list[ClauseRow], dt.date | None]:
    """Live statuses for a period not over yet; else the last snapshot of the period."""
    if end >= today:
        return clause_statuses(today=today), None
    day = ClauseSnapshot.objects.filter(day__lte=end).order_by("-day").values_list("day", flat=True).first()
    snapshots = {s.clause_id: s for s in ClauseSnapshot.objects.filter(day=day)} if day else {}
    rows = []
    for clause in Clause.objects.order_by("sort_order", "id"):
        snap = snapshots.get(clause.pk)
        status, detail = (snap.status, snap.detail) if snap else (Status.NO_DATA, _("该期间没有状态快照"))
        rows.append(ClauseRow(clause.key, clause.citation, clause.regulation, clause.home, status, detail))
    return rows, day


def build(
    *, kind: str, year: int, month: int | None = None, today: dt.date | None = None
) -> ComplianceReport:
    today = today or timezone.localdate()
    start, end, title = period(kind, year, month)
    rows, as_of = _clause_rows(end, today)
    counts = Counter(row.status for row in rows)
    obligations = {
        o.pk: ObligationRow(o.key, o.title, o.get_owner_role_display())
        for o in Obligation.objects.order_by("key")
    }
    per_state = (
        Obligation.objects.filter(occurrences__due_on__range=(start, end))
        .values("pk", "occurrences__state")
        .annotate(n=Count("occurrences"))
    )
    for row in per_state:
        state = row["occurrences__state"]
        if state in (OccurrenceState.DUE, OccurrenceState.OVERDUE) and end < today:
            state = OccurrenceState.OVERDUE
        obligations[row["pk"]].states[state] += row["n"]
    evidence = [
        EvidenceRow(
            a.occurrence.obligation.title,
            a.occurrence.due_on,
            a.name,
            a.sha256,
            a.uploaded_by.get_username(),
            timezone.localtime(a.uploaded_at),
        )
        for a in OccurrenceAttachment.objects.filter(occurrence__due_on__range=(start, end))
        .select_related("occurrence__obligation", "uploaded_by")
        .order_by("occurrence__due_on", "pk")
        .iterator(chunk_size=2000)
    ]
    return ComplianceReport(
        kind=kind,
        title=title,
        start=start,
        end=end,
        generated_at=timezone.localtime(),
        as_of=as_of,
        rows=rows,
        counts=counts,
        score=dashboard.score(counts),
        trend=dashboard.trend(today=min(end, today)),
        obligations=[o for o in obligations.values() if o.total],
        evidence=evidence,
    )


STATE_COLUMNS = [
    OccurrenceState.DONE,
    OccurrenceState.DONE_WITH_FINDINGS,
    OccurrenceState.OVERDUE,
    OccurrenceState.WAIVED,
    OccurrenceState.DUE,
]


def report_pdf(report: ComplianceReport) -> bytes:
    regulations = dict(Regulation.choices)
    html = render_to_string(
        "compliance/report_pdf.html",
        {
            "report": report,
            "font_stack": CJK_FONT_STACK,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "chart": dashboard.trend_chart(report.trend),
            "rows": [
                (row, str(regulations[row.regulation]))
                for row in report.rows
                if row.status != Status.PRINCIPLE
            ],
            "states": [str(OccurrenceState(s).label) for s in STATE_COLUMNS],
            "obligations": [(o, [o.states.get(s, 0) for s in STATE_COLUMNS]) for o in report.obligations],
        },
    )
    return html_to_pdf(html)


def _sheet(book: SafeWorkbook, title: str, header: list[str], rows) -> None:
    """One sheet through the shared export writer (ggzy.core.exports): text that a
    spreadsheet would run as a formula is stored as text with the quote prefix."""
    sheet = book.sheet(title)
    sheet.append(header, bold=True)
    for row in rows:
        sheet.append(row)


def report_xlsx(report: ComplianceReport) -> bytes:
    workbook = SafeWorkbook()
    summary = [
        (_("报告"), report.title),
        (_("期间"), f"{report.start} – {report.end}"),
        (_("状态依据"), str(report.as_of) if report.as_of else _("实时检查")),
        (_("总体得分（%）"), report.score if report.score is not None else "—"),
        *report.count_rows,
        (_("生成时间"), f"{report.generated_at:%Y-%m-%d %H:%M}"),
    ]
    _sheet(workbook, _("概况"), [_("项目"), _("值")], summary)
    _sheet(
        workbook,
        _("条款状态"),
        [_("编号"), _("条款"), _("制度"), _("落实方式"), _("状态"), _("说明")],
        (
            (
                r.key,
                r.citation,
                str(Regulation(r.regulation).label),
                str(Home(r.home).label),
                r.status_label,
                r.detail,
            )
            for r in report.rows
        ),
    )
    _sheet(
        workbook,
        _("定期义务"),
        [_("编号"), _("义务"), _("责任角色"), *[str(OccurrenceState(s).label) for s in STATE_COLUMNS]],
        ((o.key, o.title, o.owner, *[o.states.get(s, 0) for s in STATE_COLUMNS]) for o in report.obligations),
    )
    _sheet(
        workbook,
        _("凭证索引"),
        [_("义务"), _("到期日"), _("文件"), _("SHA-256"), _("上传人"), _("上传时间")],
        (
            (
                e.obligation,
                e.due_on.isoformat(),
                e.name,
                e.sha256,
                e.uploaded_by,
                f"{e.uploaded_at:%Y-%m-%d %H:%M:%S}",
            )
            for e in report.evidence
        ),
    )
    return workbook.to_bytes()
