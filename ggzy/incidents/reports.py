"""The investigation report (第九条 善后处置; 第三条(四) 故障分析报告; 第七条(三) 设备故障
报告单) as PDF, and the monthly/yearly figures as PDF and xlsx, through the platform's
WeasyPrint path (ggzy.core.pdf, Noto CJK embedded) and safe workbook (ggzy.core.exports)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.charts import bar_chart
from ggzy.core.exports import SafeWorkbook
from ggzy.core.pdf import CJK_FONT_STACK, html_to_pdf

from .models import Incident, InvestigationReport
from .selectors import Figures


def investigation_pdf(*, incident: Incident, report: InvestigationReport) -> bytes:
    html = render_to_string(
        "incidents/investigation_pdf.html",
        {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "incident": incident,
            "report": report,
            "reports": incident.reports.select_related("reported_by"),
            "steps": incident.steps.select_related("done_by"),
            "timeline": incident.timeline.select_related("actor"),
            "evidence": incident.evidence.select_related("added_by"),
            "follow_ups": incident.follow_ups.select_related("owner"),
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)


def _dash(value):
    return "—" if value is None else value


def figure_rows(f: Figures) -> list[tuple[str, object]]:
    """The figures as (label, value) rows: the page, the PDF and the workbook."""
    return [
        (_("安全事件（不含演练和错误开立）"), f.total),
        *((label, n) for label, n in f.by_type.items()),
        *((_("级别：%(l)s") % {"l": label}, n) for label, n in f.by_severity.items()),
        (_("5 分钟内报告"), f.reported_within),
        (_("报告超时"), f.reported_late),
        (_("5 分钟内报告占比（%）"), _dash(f.within_share)),
        (_("报告用时中位数（分钟）"), _dash(f.report_minutes_median)),
        (_("控制用时中位数（分钟）"), _dash(f.contain_minutes_median)),
        (_("控制用时 P90（分钟）"), _dash(f.contain_minutes_p90)),
        (_("恢复用时中位数（分钟）"), _dash(f.recover_minutes_median)),
        (_("恢复用时 P90（分钟）"), _dash(f.recover_minutes_p90)),
        (_("未完成的整改措施"), f.open_follow_ups),
        (_("演练（另计）"), f.drills),
    ]


def trend_chart(f: Figures) -> dict:
    return bar_chart(
        f.trend,
        (
            ("incidents", "#34495e", _("安全事件")),
            ("within", "#2e7d32", _("5 分钟内报告")),
            ("late", "#c0392b", _("报告超时")),
        ),
    )


def figures_xlsx(f: Figures, *, period: str) -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet(_("应急统计 %(p)s") % {"p": period})
    sheet.append([_("项目"), _("值")], bold=True)
    for row in figure_rows(f):
        sheet.append(row)
    sheet = book.sheet(_("近十二个月"))
    sheet.append([_("月份"), _("安全事件"), _("5 分钟内报告"), _("报告超时")], bold=True)
    for point in f.trend:
        sheet.append([f"{point['month']:%Y-%m}", point["incidents"], point["within"], point["late"]])
    return book.to_bytes()


def figures_pdf(f: Figures, *, period: str) -> bytes:
    html = render_to_string(
        "incidents/figures_pdf.html",
        {
            "period": period,
            "rows": figure_rows(f),
            "chart": trend_chart(f),
            "font_stack": CJK_FONT_STACK,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)
