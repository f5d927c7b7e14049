"""The monthly report (每月通报) as JSON, xlsx and PDF."""

import json

from django.template.loader import render_to_string

from ggzy.core.exports import SafeWorkbook
from ggzy.core.pdf import html_to_pdf

from .reports import MonthlyReport

COLUMNS = [
    ("department", "科室"),
    ("submitted", "报送"),
    ("approved", "审核通过"),
    ("published", "发布"),
    ("returned", "退回"),
    ("weekly_quota_misses", "本月未按时报送（周）"),
    ("misses_this_year", "本年累计未按时报送"),
    ("escalation", "处理"),
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
    sheet = workbook.sheet(f"{report.month} 信息报送通报")
    sheet.append([label for _, label in COLUMNS], bold=True)
    for row in report.departments:
        data = row.as_dict()
        sheet.append([data[key] for key, _ in COLUMNS])
    if report.calendar_warning:
        sheet.append([])
        sheet.append([report.calendar_warning])
    if report.industry_days_short:
        industry = workbook.sheet("行业信息每日4篇")
        industry.append(["日期", "发布篇数"])
        for day, count in report.industry_days_short:
            industry.append([day.isoformat(), count])
    return workbook.to_bytes()


def report_pdf(report: MonthlyReport) -> bytes:
    html = render_to_string("publishing/monthly_report.html", {"report": report, "columns": COLUMNS})
    return html_to_pdf(html)
