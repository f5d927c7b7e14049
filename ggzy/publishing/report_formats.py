"""The monthly report (每月通报) as JSON, xlsx and PDF."""

import json

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.core.exports import SafeWorkbook
from ggzy.core.pdf import html_to_pdf

from .reports import MonthlyReport

COLUMNS = [
    ("department", gettext_lazy("科室")),
    ("submitted", gettext_lazy("报送")),
    ("approved", gettext_lazy("审核通过")),
    ("published", gettext_lazy("发布")),
    ("returned", gettext_lazy("退回")),
    ("weekly_quota_misses", gettext_lazy("本月未按时报送（周）")),
    ("misses_this_year", gettext_lazy("本年累计未按时报送")),
    ("escalation", gettext_lazy("处理")),
]


def report_json(report: MonthlyReport) -> str:
    payload = [
        {
            key: row.as_dict()[key]
            for key in (
                "department",
                "submitted",
                "approved",
                "published",
                "returned",
                "weekly_quota_misses",
                "escalation",
            )
        }
        for row in report.departments
    ]
    return json.dumps(payload, ensure_ascii=False, indent=2)


def report_xlsx(report: MonthlyReport) -> bytes:
    workbook = SafeWorkbook()  # text cells never become formulas (issue 14 item 7)
    sheet = workbook.sheet(_("%(month)s 信息报送通报") % {"month": report.month})
    sheet.append([str(label) for _key, label in COLUMNS], bold=True)
    for row in report.departments:
        data = row.as_dict()
        sheet.append([data[key] for key, _label in COLUMNS])
    if report.industry_days_short:
        industry = workbook.sheet(_("行业信息每日4篇"))
        industry.append([_("日期"), _("发布篇数")])
        for day, count in report.industry_days_short:
            industry.append([day.isoformat(), count])
    if report.calendar_warning:
        sheet.append([])
        sheet.append([report.calendar_warning])
    return workbook.to_bytes()


def report_pdf(report: MonthlyReport) -> bytes:
    html = render_to_string("publishing/monthly_report.html", {"report": report, "columns": COLUMNS})
    return html_to_pdf(html)
