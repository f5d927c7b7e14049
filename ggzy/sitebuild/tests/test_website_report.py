"""The monthly website report (PDF and xlsx; 网站工作年度报表 in December)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook

from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild.models import LinkCheck, UptimeProbe
from ggzy.sitebuild.website_report import website_report

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


def test_month_figures_updates_links_and_availability(center):
    with time_machine.travel(at("2026-11-10"), tick=False):
        publish_article(column("zwgk"), "中心简介")
        publish_article(column("jyxx/jsgc/zbgg"), "招标公告一")
        publish_article(column("jyxx/jsgc/zbgg"), "招标公告二")
    with time_machine.travel(at("2026-12-02"), tick=False):
        publish_article(column("zwgk"), "十二月的信息")  # another month
    LinkCheck.objects.create(checked_at=at("2026-11-20"), broken_count=2, home_broken_count=1, broken=[])
    LinkCheck.objects.create(checked_at=at("2026-11-21"), scope="publish", broken_count=5, broken=[])
    for minute, ok in enumerate([True, True, True, False]):
        UptimeProbe.objects.create(
            url="http://x/",
            checked_at=at("2026-11-15") + dt.timedelta(minutes=minute),
            ok=ok,
            elapsed_ms=100 + minute,
        )
    with time_machine.travel(at("2026-12-04"), tick=False):
        report = website_report(year=2026, month=11)
    f = report.figures
    assert f.updates == 3 and dict(f.updates_by_column) == {"招标公告": 2, "政务公开": 1}
    assert (f.link_runs, f.broken_links, f.home_broken_links) == (
        2,
        2,
        1,
    )  # the full crawl's; publish runs counted
    assert (f.probes, f.probes_ok, f.availability, f.mean_ms) == (4, 3, "75.00%", 102)
    assert {name for name, *_ in report.checks} >= {"portal.home_updated", "sitebuild.no_broken_links"}
    assert report.year is None


def test_command_writes_pdf_and_xlsx_with_the_annual_sheet_in_december(center, tmp_path):
    with time_machine.travel(at("2026-03-10"), tick=False):
        publish_article(column("zwgk"), "三月的信息")
    with time_machine.travel(at("2026-12-10"), tick=False):
        publish_article(column("zwgk"), "十二月的信息")
    with time_machine.travel(at("2027-01-05"), tick=False):
        out = io.StringIO()
        call_command("website_report", "--out", str(tmp_path), stdout=out)  # the previous month
    pdf = tmp_path / "website-report-2026-12.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    book = load_workbook(tmp_path / "website-report-2026-12.xlsx")
    assert "网站工作年度报表" in book.sheetnames
    annual = {row[0]: row[1] for row in book["网站工作年度报表"].iter_rows(values_only=True)}
    assert annual["信息发布总数（条）"] == 2 and annual["网站名称"] == "焦作市公共资源交易中心"
    month = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert month["信息发布总数（条）"] == 1
    # other months have no annual sheet
    call_command("website_report", "--month", "2026-03", "--out", str(tmp_path), stdout=io.StringIO())
    assert "网站工作年度报表" not in load_workbook(tmp_path / "website-report-2026-03.xlsx").sheetnames


@pytest.mark.parametrize("args", [["--month", "2026-13"], ["--month", "11/2026"], ["--out", "/no/such/dir"]])
def test_command_refuses_bad_input_in_english(center, args):
    with pytest.raises(CommandError, match=r"--month|--out"):
        call_command("website_report", *args, stdout=io.StringIO())
