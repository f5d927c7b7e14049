"""The figures (open by severity and age, SLA compliance, mean time to fix, trend) and
the monthly report, on findings imported at known times."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ggzy.accounts.tests.factories import login_as
from ggzy.vulns import figures, services
from ggzy.vulns.choices import FindingStatus
from ggzy.vulns.models import Finding

from .conftest import make_plan

pytestmark = pytest.mark.django_db

HEADER = "host,port,vuln_id,title,severity\n"


def _import(people, rows: str):
    plan = make_plan(people, scope="10.0.1.0/24")
    services.scan_import(
        plan=plan,
        upload=SimpleUploadedFile("r.csv", (HEADER + rows).encode()),
        kind="csv",
        actor=people.network_admin,
    )


def test_figures_of_a_month(people):
    tz = timezone.get_current_timezone()
    march = dt.datetime(2026, 3, 2, 10, tzinfo=tz)
    with time_machine.travel(march, tick=False):
        _import(
            people, "10.0.1.5,22,A,weak ssh,high\n10.0.1.5,80,B,old nginx,medium\n10.0.1.6,0,C,eol os,low\n"
        )
    with time_machine.travel(march + dt.timedelta(days=10), tick=False):  # in time (high: 30 days)
        services.finding_close(
            finding=Finding.objects.get(vuln_id="csv:A"), status="fixed", actor=people.network_admin
        )
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=tz), tick=False):
        # B was due 2026-05-31 (medium: 90 days): fixed late, 105 days after it was found.
        services.finding_close(
            finding=Finding.objects.get(vuln_id="csv:B"), status="fixed", actor=people.network_admin
        )
        data = figures.figures(month=dt.date(2026, 6, 1))
        assert (data.open_total, data.fixed, data.fixed_in_time, data.sla_percent) == (1, 1, 0, 0.0)
        assert data.mean_days_to_fix == 105.0
        low = next(row for row in data.by_severity if row[0] == "low")
        assert low[2] == [0, 0, 1, 0] and low[3] == 1  # 105 days open: the 91–180 bucket
        march_data = figures.figures(month=dt.date(2026, 3, 1))
        assert (march_data.fixed, march_data.fixed_in_time, march_data.sla_percent) == (1, 1, 100.0)
        assert march_data.mean_days_to_fix == 10.0
        trend = {f"{p['month']:%Y-%m}": (p["new"], p["fixed"]) for p in data.trend}
        assert len(trend) == 12 and trend["2026-03"] == (3, 1) and trend["2026-06"] == (0, 1)
        assert data.overdue == 0  # C (low) is due in September
        # Bounded: the same number of queries whatever the number of findings.
        with CaptureQueriesContext(connection) as few:
            figures.figures(month=dt.date(2026, 6, 1))
        _import(people, "".join(f"10.0.1.{i},443,X{i},tls,low\n" for i in range(10, 60)))
        with CaptureQueriesContext(connection) as many:
            figures.figures(month=dt.date(2026, 6, 1))
        assert len(many) == len(few)


def test_the_figures_page_and_monthly_report(people, client):
    _import(people, "10.0.1.5,22,A,weak ssh,critical\n")
    login_as(client, people.security_admin)
    month = timezone.localdate().strftime("%Y-%m")
    page = client.get(f"/admin/vulns/figures/?month={month}")
    assert page.status_code == 200 and 'id="vulns-trend"' in page.content.decode()
    xlsx = client.get(f"/admin/vulns/figures.xlsx?month={month}")
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["未关闭隐患"] == 1 and summary["统计月份"] == month
    pdf = client.get("/admin/vulns/figures.pdf?month=not-a-month")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert Finding.objects.get().status == FindingStatus.OPEN
