"""The monthly and annual compliance report (issue 21 §4): PDF and xlsx with the
evidence index; user text in the xlsx cannot run as a formula."""

import datetime as dt
import io
import re

import openpyxl
import pypdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.models import Clause, ClauseSnapshot, Occurrence
from ggzy.compliance.services import occurrence_complete, occurrences_generate

pytestmark = pytest.mark.django_db


def png(colour="white") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    # A hostile file name: a spreadsheet would run it as a formula.
    return SimpleUploadedFile("=SUM(1,2)+cmd.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def completed():
    """November 2026: the 网络管理员's monthly network report and quarterly asset ledger,
    both completed with a photo."""
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        Occurrence.objects.all().delete()
        occurrences_generate(today=dt.date(2026, 11, 1), horizon_days=90)
    network = make_user(RoleKey.NETWORK_ADMIN, username="wangluo")
    ledger = Occurrence.objects.get(obligation__key="wh-asset-ledger", due_on=dt.date(2026, 12, 31))
    # An answer out of range and a comment that starts like a formula.
    with time_machine.travel(dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC), tick=False):
        occurrence_complete(
            occurrence=Occurrence.objects.get(
                obligation__key="wlaq-network-report", due_on=dt.date(2026, 11, 30)
            ),
            actor=network,
            answers={"availability": 99.9, "faults": False, "summary": "正常"},
            comment="@SUM(A1:A9)",
            files=[png("black")],
        )
        done = occurrence_complete(
            occurrence=ledger, actor=network, answers={"discrepancies": 0}, files=[png()]
        )
    clause = Clause.objects.get(key="wh.1.3")
    ClauseSnapshot.objects.create(
        clause=clause, day=dt.date(2026, 11, 30), status="met", detail="-1+1 已完成"
    )
    return done


def security_client():
    client = Client()
    login_as(client, make_user(RoleKey.SECURITY_ADMIN))
    return client


def test_the_annual_xlsx_lists_statuses_obligations_and_the_evidence_index(completed):
    with time_machine.travel(dt.datetime(2027, 1, 5, 2, 0, tzinfo=dt.UTC), tick=False):
        client = security_client()
        response = client.get(
            reverse("compliance_report_download"), {"kind": "annual", "period": "2026", "format": "xlsx"}
        )
    assert response.status_code == 200
    assert 'filename="compliance-annual-2026.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "条款状态", "定期义务", "凭证索引"]
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True)}
    assert summary["状态依据"] == "2026-11-30"  # the year is over: its last snapshot
    statuses = {row[0]: row for row in book["条款状态"].iter_rows(min_row=2, values_only=True)}
    assert len(statuses) == Clause.objects.count()
    assert statuses["wh.1.3"][4] == "符合"
    detail = next(c for c in book["条款状态"]["F"] if c.value == "-1+1 已完成")  # a stored detail
    assert detail.data_type == "s" and detail.quotePrefix
    obligations = {row[0]: row for row in book["定期义务"].iter_rows(min_row=2, values_only=True)}
    assert obligations["wh-asset-ledger"][3] == 1  # 已完成
    evidence = list(book["凭证索引"].iter_rows(min_row=2))
    assert len(evidence) == 2
    attachment = completed.attachments.get()
    row = next(row for row in evidence if row[3].value == attachment.sha256)
    name, sha, who = row[2], row[3], row[4]
    assert name.value == attachment.name and name.data_type == "s" and name.quotePrefix
    assert sha.value == attachment.sha256 and who.value == "wangluo"
    assert not any(
        cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )
    event = AuditEvent.objects.get(action="compliance.report.exported")
    assert event.extra["format"] == "xlsx" and event.extra["evidence"] == 2


def test_the_monthly_pdf_has_the_score_the_trend_and_the_evidence(completed):
    with time_machine.travel(dt.datetime(2026, 12, 20, 2, 0, tzinfo=dt.UTC), tick=False):
        client = security_client()
        response = client.get(
            reverse("compliance_report_download"), {"kind": "monthly", "period": "2026-12", "format": "pdf"}
        )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    squeezed = re.sub(r"\s+", "", text)
    assert "2026年12月合规报告" in squeezed
    assert "凭证索引" in squeezed and completed.attachments.get().sha256[:16] in squeezed
    assert "总体得分" in squeezed and "近12个月趋势" in squeezed


def test_a_bad_period_goes_back_to_the_form_and_other_roles_are_refused():
    client = security_client()
    response = client.get(reverse("compliance_report_download"), {"kind": "monthly", "period": "2026-13"})
    assert response.status_code == 302 and response.url == reverse("compliance_report")
    assert not AuditEvent.objects.filter(action="compliance.report.exported").exists()
    network = Client()
    login_as(network, make_user(RoleKey.NETWORK_ADMIN))
    response = network.get(
        reverse("compliance_report_download"), {"kind": "annual", "period": "2026", "format": "pdf"}
    )
    assert response.status_code == 403
