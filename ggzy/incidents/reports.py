"""The investigation report (第九条 善后处置; 第三条(四) 故障分析报告; 第七条(三) 设备故障
报告单) as PDF, through the platform's WeasyPrint path (ggzy.core.pdf, Noto CJK embedded)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ggzy.core.pdf import html_to_pdf

from .models import Incident, InvestigationReport


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
