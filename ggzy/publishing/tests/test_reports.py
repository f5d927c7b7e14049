import datetime as dt
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.tests.factories import column
from ggzy.publishing.reports import escalation_for, monthly_report
from ggzy.publishing.services import submit_for_review, task_act
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


def submit(drafter, when, title):
    with time_machine.travel(when, tick=False):
        article = draft_article(column("zlxz/bgxz"), drafter, title)
        submit_for_review(page=article, actor=drafter)
    return article


@pytest.fixture
def november(settings):
    settings.GGZY_QUOTA_START = "2026-11-02"
    drafter = make_user(R.DRAFTER, department="jianshe")
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe")
    group = make_user(R.REVIEW_GROUP)
    publisher = make_user(R.PUBLISHER)
    first = submit(drafter, at(2026, 11, 2, 9), "第一周")  # week of 11-02: on time
    submit(drafter, at(2026, 11, 14, 10), "周六补报")  # Saturday: too late for week 11-09
    returned = submit(drafter, at(2026, 11, 19, 15), "第三周")  # Thursday: on time
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        approve(first, head)
        approve(type(first).objects.get(pk=first.pk), group)
        approve(type(first).objects.get(pk=first.pk), make_user(R.LEADER))  # 资料下载: 分管领导 chain
        approve(type(first).objects.get(pk=first.pk), publisher)
        task_act(page=returned, actor=head, action="reject", comment="请修改")


def by_department(report):
    return {row.department: row for row in report.departments}


def test_escalation_steps_follow_the_regulation():
    assert [escalation_for(n) for n in range(5)] == [
        "", "警告", "通报批评", "取消文明科室评先资格", "取消文明科室评先资格",
    ]  # fmt: skip


def test_monthly_report_counts_and_weekly_misses(november):
    with time_machine.travel(at(2026, 11, 25, 12), tick=False):
        report = monthly_report(year=2026, month=11)
    rows = by_department(report)
    jianshe = rows["建设工程交易科"]
    assert (jianshe.submitted, jianshe.approved, jianshe.published, jianshe.returned) == (3, 1, 1, 1)
    # weeks due 11-06, 11-13, 11-20 have passed; only 11-13's was missed
    assert jianshe.weekly_quota_misses == 1 and jianshe.escalation == "警告"
    # the others sent nothing in three weeks
    assert rows["综合科"].weekly_quota_misses == 3 and rows["综合科"].escalation == "取消文明科室评先资格"
    # 行业信息 got nothing on any working day so far
    assert report.industry_days_short[0] == (dt.date(2026, 11, 2), 0)
    assert report.calendar_warning == ""


def test_publishing_report_command_json_xlsx_pdf(november, tmp_path):
    out = io.StringIO()
    with time_machine.travel(at(2026, 11, 25, 12), tick=False):
        call_command("publishing_report", "--month", "2026-11", "--format", "json", stdout=out)
        rows = json.loads(out.getvalue())
        assert set(rows[0]) == {
            "department", "submitted", "approved", "published", "returned",
            "weekly_quota_misses", "escalation",
        }  # fmt: skip
        jianshe = next(r for r in rows if r["department"] == "建设工程交易科")
        assert jianshe["submitted"] == 3 and jianshe["weekly_quota_misses"] == 1
        for fmt in ("xlsx", "pdf"):
            call_command(
                "publishing_report", "--month", "2026-11", "--format", fmt,
                "--out", str(tmp_path / f"r.{fmt}"), stdout=io.StringIO(),
            )  # fmt: skip
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert [c.value for c in sheet[1]][:2] == ["科室", "报送"]
    assert "建设工程交易科" in [row[0] for row in sheet.iter_rows(values_only=True)]
    text = PdfReader(tmp_path / "r.pdf").pages[0].extract_text()
    from ggzy.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="publishing.monthly_report.exported").count() == 3
    assert "各科室网站信息报送情况通报" in text and "建设工程交易科" in text


def test_publishing_report_refuses_bad_input(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("publishing_report", "--month", "2026-13")
    with pytest.raises(CommandError, match="--out FILE is required"):
        call_command("publishing_report", "--month", "2026-11", "--format", "xlsx")
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "publishing_report",
            "--month",
            "2026-11",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "no" / "r.pdf"),
        )
    assert list(tmp_path.iterdir()) == []
    from ggzy.audit.models import AuditEvent

    assert not AuditEvent.objects.filter(action="publishing.monthly_report.exported").exists()


def test_dashboard_chart_for_the_website_admin_only(november, client):
    with time_machine.travel(at(2026, 11, 25, 12), tick=False):
        login_as(client, make_user(R.WEBSITE_ADMIN))
        html = client.get("/admin/").content.decode()
        assert "2026-11 各科室信息报送（每月通报）" in html and "<svg" in html
        assert "<title>报送 3</title>" in html  # 建设工程交易科's bar
        login_as(client, make_user(R.DRAFTER))
        assert "每月通报" not in client.get("/admin/").content.decode()
