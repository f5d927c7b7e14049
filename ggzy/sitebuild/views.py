"""网站管理 → 网站月报: the monthly website report in the admin (政府网站检查指标; 网站工作
年度报表 in December). The 网站管理员 and the 审计管理员 (read) download any month's report
as PDF or xlsx, made on demand, and the reports the scheduled run stored on the 1st, each
checked against its SHA-256 before it is handed out. Every download is audited."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.core.permissions import role_has_perm

from .models import MonthlyWebsiteReport
from .website_report import previous_month, report_filename, report_pdf, report_xlsx, sha256, website_report

REPORT_PERMISSION = "sitebuild.view_monthlywebsitereport"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_see_reports(user) -> bool:
    return role_has_perm(user, REPORT_PERMISSION)


def _refuse(request) -> None:
    if not may_see_reports(request.user):
        raise PermissionDenied


def _attachment(body: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_index(request):
    _refuse(request)
    year, month = previous_month(timezone.localdate())
    return TemplateResponse(
        request,
        "sitebuild/website_report_index.html",
        {
            "page_title": _("网站月报"),
            "header_icon": "doc-full",
            "default_month": f"{year}-{month:02d}",
            "reports": MonthlyWebsiteReport.objects.order_by("-year", "-month"),
        },
    )


def report_download(request):
    """Any month's report, made now (the current month: up to today)."""
    _refuse(request)
    fmt = request.GET.get("format", "")
    match = re.fullmatch(r"(\d{4})-(\d{2})", request.GET.get("month", "").strip())
    today = timezone.localdate()
    if (
        fmt not in CONTENT_TYPES
        or match is None
        or not 1 <= int(match.group(2)) <= 12
        or int(match.group(1)) < 2000
        or dt.date(int(match.group(1)), int(match.group(2)), 1) > today
    ):
        messages.error(request, _("请按 YYYY-MM 填写不晚于本月的月份，并选择 PDF 或 Excel。"))
        return redirect("sitebuild_website_reports")
    year, month = int(match.group(1)), int(match.group(2))
    report = website_report(year=year, month=month)
    body = report_pdf(report) if fmt == "pdf" else report_xlsx(report)
    audit.record(
        action="sitebuild.website_report.exported",
        actor=request.user,
        object_type="sitebuild.monthlywebsitereport",
        object_repr=f"{year}-{month:02d}",
        month=f"{year}-{month:02d}",
        format=fmt,
        stored=False,
        sha256=sha256(body),
    )
    return _attachment(body, fmt, report_filename(year, month, fmt))


def report_file(request, pk: int, fmt: str):
    """A stored report's file, handed out only if it still has the SHA-256 it was stored with."""
    _refuse(request)
    row = get_object_or_404(MonthlyWebsiteReport, pk=pk)
    if fmt not in CONTENT_TYPES:
        raise PermissionDenied
    field, expected = (row.pdf, row.pdf_sha256) if fmt == "pdf" else (row.xlsx, row.xlsx_sha256)
    try:
        with field.open("rb") as handle:
            body = handle.read()
    except OSError:
        body = None
    intact = body is not None and sha256(body) == expected
    audit.record(
        action="sitebuild.website_report.exported",
        actor=request.user,
        obj=row,
        outcome=Outcome.SUCCESS if intact else Outcome.FAILURE,
        month=str(row),
        format=fmt,
        stored=True,
        sha256=expected,
        intact=intact,
    )
    if not intact:
        messages.error(
            request,
            _("%(m)s 的网站月报文件缺失或与保存时的 SHA-256 不一致，未提供下载；请重新生成并检查存储。")
            % {"m": str(row)},
        )
        return redirect("sitebuild_website_reports")
    return _attachment(body, fmt, report_filename(row.year, row.month, fmt))
