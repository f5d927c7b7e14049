"""The monthly website report stored on the 1st and downloaded in the admin
(网站管理 → 网站月报): the schedule, the stored files and their SHA-256, the alert
when the run fails, and who may download."""

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.core.scheduling import load_schedule
from ggzy.core.tests.access import admin_menu_urls, is_refusal
from ggzy.incidents.models import Alert
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild.models import MonthlyWebsiteReport
from ggzy.sitebuild.tasks import store_website_report

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)
TASK = "ggzy.sitebuild.tasks.store_website_report"


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=TZ)


def stored_bytes(field) -> bytes:
    return (Path(settings.MEDIA_ROOT) / field.name).read_bytes()


def test_the_schedule_runs_on_the_first_of_each_month():
    scheduled = {task.path: task for task in load_schedule()}
    assert scheduled[TASK].crontab == settings.GGZY_SCHEDULE[TASK] == "10 1 1 * *"
    assert scheduled[TASK].next_run(at("2026-11-15")) == at("2026-12-01", 1, 10)
    assert scheduled[TASK].next_run(at("2026-12-01", 1, 11)) == at("2027-01-01", 1, 10)


def test_the_run_on_the_first_stores_last_months_report_with_its_sha256(
    center, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2026-11-10"), tick=False):
        publish_article(column("zwgk"), "十一月的信息")
    with time_machine.travel(at("2026-12-01", 1, 10), tick=False):
        outcome = store_website_report.call()
    row = MonthlyWebsiteReport.objects.get()
    assert (row.year, row.month, row.generated_by, row.updates) == (2026, 11, "", 1)
    assert outcome == {"report": row.pk, "month": "2026-11", "pdf_sha256": row.pdf_sha256}
    pdf, xlsx = stored_bytes(row.pdf), stored_bytes(row.xlsx)
    assert pdf.startswith(b"%PDF") and row.pdf.name.startswith("website-reports/website-report-2026-11")
    assert hashlib.sha256(pdf).hexdigest() == row.pdf_sha256
    assert hashlib.sha256(xlsx).hexdigest() == row.xlsx_sha256
    month = {r[0]: r[1] for r in load_workbook(io.BytesIO(xlsx)).worksheets[0].iter_rows(values_only=True)}
    assert month["信息发布总数（条）"] == 1
    event = AuditEvent.objects.get(action="sitebuild.website_report.stored")
    assert (
        event.outcome == "success" and event.extra["scheduled"] is True and event.extra["month"] == "2026-11"
    )

    # Stored again (the command): one row, the old files removed after the commit.
    old = [Path(settings.MEDIA_ROOT) / row.pdf.name, Path(settings.MEDIA_ROOT) / row.xlsx.name]
    with time_machine.travel(at("2026-12-02"), tick=False), django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command("website_report", "--month", "2026-11", "--store", stdout=out)
    again = MonthlyWebsiteReport.objects.get()
    assert "stored website-reports/" in out.getvalue()
    assert not any(path.exists() for path in old)
    assert (Path(settings.MEDIA_ROOT) / again.pdf.name).exists()
    assert AuditEvent.objects.filter(action="sitebuild.website_report.stored").count() == 2


def test_a_failed_run_raises_an_alert_writes_nothing_and_the_next_run_recovers_it(center, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"  # the storage cannot create its directory
    with time_machine.travel(at("2027-01-01", 1, 10), tick=False), pytest.raises(OSError):
        store_website_report.call()
    assert not MonthlyWebsiteReport.objects.exists()
    alert = Alert.objects.get(source="sitebuild", key="website_report:2026-12")
    assert alert.status == "open" and "2026年12月" in alert.title and alert.incident_type == "software"
    failed = AuditEvent.objects.get(action="sitebuild.website_report.stored")
    assert failed.outcome == "failure" and "error" in failed.extra

    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(at("2027-01-01", 2, 0), tick=False):
        store_website_report.call()
    alert.refresh_from_db()
    assert alert.status == "recovered"
    row = MonthlyWebsiteReport.objects.get()
    assert (row.year, row.month) == (2026, 12)


# --------------------------------------------------------------------------- the admin screen


@pytest.fixture
def website_admin(client, center):
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN, department="xinxi"))
    return client


def test_the_website_admin_downloads_any_month_and_the_download_is_audited(website_admin):
    with time_machine.travel(at("2026-12-04"), tick=False):
        page = website_admin.get(reverse("sitebuild_website_reports"))
        assert page.status_code == 200
        assert 'value="2026-11"' in page.content.decode()
        assert "尚无保存的月报" in page.content.decode()
        pdf = website_admin.get(
            reverse("sitebuild_website_report_download"), {"month": "2026-11", "format": "pdf"}
        )
        xlsx = website_admin.get(
            reverse("sitebuild_website_report_download"), {"month": "2026-12", "format": "xlsx"}
        )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="website-report-2026-11.pdf"'
    assert "网站工作年度报表" in load_workbook(io.BytesIO(xlsx.content)).sheetnames  # December
    events = AuditEvent.objects.filter(action="sitebuild.website_report.exported").order_by("seq")
    assert [(e.extra["month"], e.extra["format"], e.extra["stored"]) for e in events] == [
        ("2026-11", "pdf", False),
        ("2026-12", "xlsx", False),
    ]


@pytest.mark.parametrize(
    "query",
    [{"month": "2026-13", "format": "pdf"}, {"month": "2027-01", "format": "pdf"}, {"month": "2026-11"}],
)
def test_a_bad_or_future_month_is_refused_with_a_chinese_message(website_admin, query):
    with time_machine.travel(at("2026-12-04"), tick=False):
        response = website_admin.get(reverse("sitebuild_website_report_download"), query, follow=True)
    assert response.redirect_chain[-1][0] == reverse("sitebuild_website_reports")
    assert "请按 YYYY-MM 填写不晚于本月的月份" in response.content.decode()
    assert not AuditEvent.objects.filter(action="sitebuild.website_report.exported").exists()


def test_a_stored_report_is_served_only_while_it_has_its_sha256(website_admin, center):
    with time_machine.travel(at("2026-12-01", 1, 10), tick=False):
        store_website_report.call()
    row = MonthlyWebsiteReport.objects.get()
    listing = website_admin.get(reverse("sitebuild_website_reports")).content.decode()
    assert row.pdf_sha256 in listing and "定时任务" in listing
    url = reverse("sitebuild_website_report_file", args=[row.pk, "xlsx"])
    response = website_admin.get(url)
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == row.xlsx_sha256

    (Path(settings.MEDIA_ROOT) / row.xlsx.name).write_bytes(b"changed on disk")
    refused = website_admin.get(url, follow=True)
    assert "与保存时的 SHA-256 不一致" in refused.content.decode()
    last = AuditEvent.objects.filter(action="sitebuild.website_report.exported").order_by("-seq").first()
    assert last.outcome == "failure" and last.extra["intact"] is False


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(RoleKey.AUDIT_ADMIN, True), (RoleKey.SECURITY_ADMIN, False), (RoleKey.PUBLISHER, False)],
)
def test_who_sees_the_reports(client, center, role, allowed):
    login_as(client, make_user(role, department="xinxi"))
    response = client.get(reverse("sitebuild_website_reports"))
    # Refused as Wagtail refuses an admin view: back to the dashboard, saying so.
    assert response.status_code == 200 if allowed else is_refusal(response)
    assert (reverse("sitebuild_website_reports") in admin_menu_urls(client)) is allowed
