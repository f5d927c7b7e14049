"""The joint analysis of a scan as PDF and xlsx (网络安全管理办法 二(一)), through the
platform's WeasyPrint and safe-workbook paths."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.exports import SafeWorkbook
from ggzy.core.pdf import CJK_FONT_STACK, html_to_pdf

from .figures import bucket_labels, trend_chart
from .models import JointAnalysis
from .services import SIGNERS

SIGNER_LABELS = {"network": _("网络管理员"), "system": _("系统管理员"), "security": _("安全管理员")}


def signatures(analysis: JointAnalysis) -> list[tuple[str, str, str]]:
    rows = []
    for _role, slot in SIGNERS:
        user = getattr(analysis, f"{slot}_signed_by")
        when = getattr(analysis, f"{slot}_signed_at")
        rows.append(
            (
                str(SIGNER_LABELS[slot]),
                (user.get_full_name() or user.get_username()) if user else _("未签字"),
                timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "",
            )
        )
    return rows


def _findings(analysis: JointAnalysis):
    return analysis.scan.observed.select_related("host").order_by("host__address", "port")


def analysis_pdf(analysis: JointAnalysis) -> bytes:
    html = render_to_string(
        "vulns/analysis_pdf.html",
        {
            "analysis": analysis,
            "scan": analysis.scan,
            "plan": analysis.scan.plan,
            "findings": _findings(analysis),
            "signatures": signatures(analysis),
            "font_stack": CJK_FONT_STACK,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return html_to_pdf(html)


def analysis_xlsx(analysis: JointAnalysis) -> bytes:
    book = SafeWorkbook()
    scan, plan = analysis.scan, analysis.scan.plan
    sheet = book.sheet(_("联合分析"))
    sheet.append([_("项目"), _("内容")], bold=True)
    for row in (
        (_("扫描方案"), plan.title),
        (_("扫描范围"), plan.scope),
        (
            _("扫描时间"),
            timezone.localtime(scan.started_at).strftime("%Y-%m-%d %H:%M") if scan.started_at else "",
        ),
        (_("结果文件 SHA-256"), scan.output_sha256),
        (_("结果综述"), analysis.summary),
        (_("接受的风险"), analysis.accepted_risks),
        (_("整改计划"), analysis.remediation_plan),
        *((label + _("签字"), f"{name} {when}".strip()) for label, name, when in signatures(analysis)),
    ):
        sheet.append(row)
    sheet = book.sheet(_("发现"))
    sheet.append([_("主机"), _("端口"), _("协议"), _("名称"), _("等级"), _("状态"), _("整改期限")], bold=True)
    for finding in _findings(analysis):
        sheet.append(
            [
                finding.host.address,
                finding.port or "",
                finding.protocol,
                finding.title,
                str(finding.get_severity_display()),
                str(finding.get_status_display()),
                finding.due_on.isoformat(),
            ]
        )
    return book.to_bytes()


def _figure_rows(data) -> list[tuple[str, object]]:
    return [
        (_("统计月份"), f"{data.start:%Y-%m}"),
        (_("未关闭隐患"), data.open_total),
        (_("已超期未关闭"), data.overdue),
        (_("本月修复"), data.fixed),
        (_("按期修复率（%）"), data.sla_percent if data.sla_percent is not None else "—"),
        (_("平均修复天数"), data.mean_days_to_fix if data.mean_days_to_fix is not None else "—"),
    ]


def figures_xlsx(data) -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet(_("概况"))
    sheet.append([_("项目"), _("值")], bold=True)
    for row in _figure_rows(data):
        sheet.append(row)
    sheet = book.sheet(_("按等级和时长"))
    buckets = bucket_labels()
    sheet.append([_("等级"), *[_("%(b)s 天") % {"b": b} for b in buckets], _("合计")], bold=True)
    for _key, label, counts, total in data.by_severity:
        sheet.append([label, *counts, total])
    sheet = book.sheet(_("近十二个月"))
    sheet.append([_("月份"), _("新发现"), _("已修复")], bold=True)
    for point in data.trend:
        sheet.append([f"{point['month']:%Y-%m}", point["new"], point["fixed"]])
    return book.to_bytes()


def figures_pdf(data) -> bytes:
    html = render_to_string(
        "vulns/figures_pdf.html",
        {
            "figures": data,
            "rows": _figure_rows(data),
            "chart": trend_chart(data.trend),
            "buckets": bucket_labels(),
            "font_stack": CJK_FONT_STACK,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return html_to_pdf(html)
