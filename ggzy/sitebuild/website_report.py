"""The monthly website report (政府网站与政务新媒体检查指标; at the year end the
网站工作年度报表 figures): updates per column, the inspection checks, links and
availability — as PDF (WeasyPrint, ggzy.core.pdf) and xlsx (ggzy.core.exports)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.db.models.functions import Length, Substr
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.compliance.choices import Status
from ggzy.compliance.registry import all_checks, run_check
from ggzy.core.exports import SafeWorkbook
from ggzy.core.pdf import CJK_FONT_STACK, html_to_pdf
from ggzy.incidents.alerts import raise_alert, resolve_alert
from ggzy.incidents.choices import IncidentType, Severity
from ggzy.portal.models import ColumnPage, HomePage
from ggzy.portal.selectors import site_identity

from .models import LinkCheck, MonthlyWebsiteReport, UptimeProbe

logger = logging.getLogger("ggzy.sitebuild")
ALERT_SOURCE = "sitebuild"

# The checks of the inspection (政府网站检查指标) the report lists.
REPORT_CHECKS = (
    "portal.home_updated",
    "portal.columns_kept",
    "portal.columns_updated_in_time",
    "portal.guides_complete",
    "portal.site_identity_complete",
    "sitebuild.no_broken_links",
    "sitebuild.site_available",
)


@dataclass
class Period:
    label: str
    start: dt.datetime
    end: dt.datetime  # exclusive


@dataclass
class Figures:
    updates_by_column: list[tuple[str, int]] = field(default_factory=list)
    updates: int = 0
    link_runs: int = 0
    broken_links: int = 0  # the newest full crawl's, plus external
    home_broken_links: int = 0
    probes: int = 0
    probes_ok: int = 0
    mean_ms: int | None = None

    @property
    def availability(self) -> str:
        return f"{100 * self.probes_ok / self.probes:.2f}%" if self.probes else "—"


@dataclass
class WebsiteReport:
    month: Period
    figures: Figures
    checks: list[tuple[str, str, str]]  # (name, status label, detail)
    year: Period | None = None  # December: the 网站工作年度报表 figures
    year_figures: Figures | None = None


def _bounds(first: dt.date, after: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        dt.datetime.combine(after, dt.time.min, tzinfo=tz),
    )


def _tree_types() -> list[int]:
    return [ct.pk for ct in ContentType.objects.get_for_models(ColumnPage, HomePage).values()]


def figures(period: Period) -> Figures:
    """A handful of grouped queries, however long the period."""
    # New items per column (articles and notices first published in the period; a later
    # takedown does not undo that it was published), grouped by their parent column.
    steplen = Page.steplen
    per_parent = (
        Page.objects.filter(first_published_at__gte=period.start, first_published_at__lt=period.end)
        .exclude(content_type__in=_tree_types())
        .order_by()  # Wagtail's manager orders by path, which would join the GROUP BY
        .annotate(parent=Substr("path", 1, Length("path") - steplen))
        .values("parent")
        .annotate(n=Count("pk"))
    )
    counts = {row["parent"]: row["n"] for row in per_parent}
    titles = dict(Page.objects.filter(path__in=list(counts)).values_list("path", "title"))
    by_title: dict[str, int] = {}
    for path, n in counts.items():
        title = titles.get(path, "—")
        by_title[title] = by_title.get(title, 0) + n
    result = Figures(updates_by_column=sorted(by_title.items(), key=lambda item: (-item[1], item[0])))
    result.updates = sum(n for _c, n in result.updates_by_column)
    runs = LinkCheck.objects.filter(checked_at__gte=period.start, checked_at__lt=period.end)
    result.link_runs = runs.count()
    newest = {}
    for run in runs.filter(scope__in=[LinkCheck.FULL, LinkCheck.EXTERNAL]).order_by("checked_at"):
        newest[run.scope] = run
    result.broken_links = sum(r.broken_count for r in newest.values())
    result.home_broken_links = sum(r.home_broken_count for r in newest.values())
    probes = UptimeProbe.objects.filter(checked_at__gte=period.start, checked_at__lt=period.end).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(ok=True)), ms=Avg("elapsed_ms")
    )
    result.probes, result.probes_ok = probes["n"] or 0, int(probes["ok"] or 0)
    result.mean_ms = round(probes["ms"]) if probes["ms"] is not None else None
    return result


def website_report(*, year: int, month: int) -> WebsiteReport:
    if not 1 <= month <= 12:
        raise ValueError("month must be 1..12")
    first = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    start, end = _bounds(first, after)
    period = Period(_("%(y)d年%(m)d月") % {"y": year, "m": month}, start, end)
    checks_today = min(after - dt.timedelta(days=1), timezone.localdate())
    registered = all_checks()
    checks = []
    for name in REPORT_CHECKS:
        if name in registered:
            result = run_check(registered[name], today=checks_today)
            checks.append((name, str(Status(result.status).label), result.detail))
    report = WebsiteReport(month=period, figures=figures(period), checks=checks)
    if month == 12:
        year_start, year_end = _bounds(dt.date(year, 1, 1), after)
        report.year = Period(_("%(y)d年") % {"y": year}, year_start, year_end)
        report.year_figures = figures(report.year)
    return report


def figure_rows(f: Figures) -> list[tuple[str, object]]:
    return [
        (_("信息发布总数（条）"), f.updates),
        (_("链接检查次数"), f.link_runs),
        (_("不可用链接（最近一次全站与外部检查）"), f.broken_links),
        (_("其中首页不可用链接（单项否决）"), f.home_broken_links),
        (_("可用性探测次数"), f.probes),
        (_("可用率"), f.availability),
        (_("平均响应时间（毫秒）"), "—" if f.mean_ms is None else f.mean_ms),
    ]


def annual_rows(report: WebsiteReport) -> list[tuple[str, object]]:
    """网站工作年度报表 (the figures ggzy holds)."""
    identity = site_identity()
    f = report.year_figures
    return [
        (_("网站名称"), identity.site_name),
        (_("首页网址"), identity.base_url or "—"),
        (_("主办单位"), identity.sponsor or "—"),
        (_("网站标识码"), identity.site_code or "—"),
        (_("ICP 备案号"), identity.icp_number or "—"),
        (_("公安机关备案号"), identity.police_number or "—"),
        (_("信息发布总数（条）"), f.updates),
        *((_("栏目更新：%(c)s") % {"c": column}, n) for column, n in f.updates_by_column),
        (_("全年可用率"), f.availability),
    ]


def report_xlsx(report: WebsiteReport) -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet(_("网站月报 %(p)s") % {"p": report.month.label})
    sheet.append([_("项目"), _("值")], bold=True)
    for row in figure_rows(report.figures):
        sheet.append(row)
    sheet = book.sheet(_("栏目更新"))
    sheet.append([_("栏目"), _("更新（条）")], bold=True)
    for row in report.figures.updates_by_column:
        sheet.append(row)
    sheet = book.sheet(_("检查"))
    sheet.append([_("检查"), _("状态"), _("说明")], bold=True)
    for row in report.checks:
        sheet.append(row)
    if report.year_figures is not None:
        sheet = book.sheet(_("网站工作年度报表"))
        sheet.append([_("项目"), _("值")], bold=True)
        for row in annual_rows(report):
            sheet.append(row)
    return book.to_bytes()


def report_pdf(report: WebsiteReport) -> bytes:
    html = render_to_string(
        "sitebuild/website_report_pdf.html",
        {
            "report": report,
            "rows": figure_rows(report.figures),
            "annual": annual_rows(report) if report.year_figures is not None else None,
            "site_name": site_identity().site_name,
            "font_stack": CJK_FONT_STACK,
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)


# --------------------------------------------------------------------------- stored reports


def previous_month(today: dt.date) -> tuple[int, int]:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.year, last.month


def report_filename(year: int, month: int, fmt: str) -> str:
    return f"website-report-{year}-{month:02d}.{fmt}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def website_report_store(*, year: int, month: int, actor=None) -> MonthlyWebsiteReport:
    """Generate the month's report and keep it: both files under MEDIA_ROOT/website-reports/
    (never served publicly) with their SHA-256, one row per month (a second run replaces
    the first, whose files go after the commit), audited in the same transaction. On any
    failure nothing is left: the new files are removed and no row is written."""
    report = website_report(year=year, month=month)
    pdf, xlsx = report_pdf(report), report_xlsx(report)
    written: list = []
    try:
        with transaction.atomic():
            row = MonthlyWebsiteReport.objects.select_for_update().filter(year=year, month=month).first()
            replaced = [row.pdf.name, row.xlsx.name] if row is not None else []
            row = row or MonthlyWebsiteReport(year=year, month=month)
            before = {"pdf_sha256": row.pdf_sha256, "xlsx_sha256": row.xlsx_sha256} if replaced else None
            row.pdf.save(report_filename(year, month, "pdf"), ContentFile(pdf), save=False)
            written.append(row.pdf)
            row.xlsx.save(report_filename(year, month, "xlsx"), ContentFile(xlsx), save=False)
            written.append(row.xlsx)
            row.pdf_sha256, row.xlsx_sha256 = sha256(pdf), sha256(xlsx)
            row.generated_at = timezone.now()
            row.generated_by = actor.get_username() if actor is not None else ""
            row.updates, row.availability = report.figures.updates, report.figures.availability
            row.save()
            audit.record(
                action="sitebuild.website_report.stored",
                actor=actor,
                obj=row,
                before=before,
                after={"pdf_sha256": row.pdf_sha256, "xlsx_sha256": row.xlsx_sha256},
                month=f"{year}-{month:02d}",
                scheduled=actor is None,
            )
            storage = row.pdf.storage
            transaction.on_commit(lambda: [storage.delete(name) for name in replaced if name], robust=True)
    except BaseException:
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise
    return row


def website_report_scheduled(*, today: dt.date | None = None) -> MonthlyWebsiteReport:
    """The run on the 1st (``tasks.store_website_report``): last month's report, stored.
    A failure raises an incidents alert (计算机软件系统故障, grouped per month) and is
    audited; the next good run of that month recovers the alert."""
    year, month = previous_month(today or timezone.localdate())
    key = f"website_report:{year}-{month:02d}"
    try:
        row = website_report_store(year=year, month=month)
    except Exception as exc:
        logger.exception("the monthly website report %s-%02d failed", year, month)
        error = f"{type(exc).__name__}: {exc}"[:500]
        with transaction.atomic():
            audit.record(
                action="sitebuild.website_report.stored",
                outcome=Outcome.FAILURE,
                object_type="sitebuild.monthlywebsitereport",
                object_repr=f"{year}-{month:02d}",
                month=f"{year}-{month:02d}",
                scheduled=True,
                error=error,
            )
            raise_alert(
                source=ALERT_SOURCE,
                key=key,
                title=_("网站月报生成失败：%(y)d年%(m)d月") % {"y": year, "m": month},
                incident_type=IncidentType.SOFTWARE,
                severity=Severity.GENERAL,
                detail=error,
                links=[(_("网站月报"), "/admin/site/website-reports/")],
            )
        raise
    resolve_alert(source=ALERT_SOURCE, key=key, detail=_("网站月报已生成"))
    return row
