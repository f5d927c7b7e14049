"""The inspection checks (政府网站与政务新媒体检查指标) over the center's column table
(网站管理制度 附表): each row's column exists and is not blank, 通知公告/政策法规 updated
within 6 months, five blank columns a veto, and the home page updated within two weeks
(warned at day 10) — one result per clause."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ggzy.compliance.registry import all_checks, run_check
from ggzy.compliance.selectors import clause_statuses
from ggzy.portal.models import ColumnPage
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 4, tzinfo=dt.UTC)


def kept(today):
    return run_check(all_checks()["portal.columns_kept"], today=today)


@time_machine.travel(NOW, tick=False)
def test_blank_and_missing_columns_fail_per_row(center):
    today = timezone.localdate()
    assert kept(today).status == "no_data"  # a site with nothing published is not yet open
    publish_article(column("zxdt/tpxw"), "中心召开年度工作会议")
    result = kept(today)
    assert result.status == "failing" and "已达单项否决" in result.detail
    assert result.for_clause("wzgl.fb.4").detail == "栏目“重要通知”为空白栏目"
    publish_article(column("zytz"), "关于春节放假的通知")
    publish_article(column("zcfg/gjj"), "招标投标法")
    result = kept(today)
    assert (
        result.for_clause("wzgl.fb.4").status == "met" and "共 1 条" in result.for_clause("wzgl.fb.4").detail
    )
    # A parent row counts its subcolumns: 政策法规 has the national law.
    assert result.for_clause("wzgl.fb.7").status == "met" and result.for_clause("wzgl.fb.7.1").status == "met"
    assert result.for_clause("wzgl.fb.7.2").status == "failing"
    # A column that is gone is named.
    ColumnPage.objects.get(slug="tpzs").unpublish()
    assert result.for_clause("wzgl.fb.11").status == "failing"
    assert kept(today).for_clause("wzgl.fb.11").detail == "网站缺少栏目“图片展示”"
    rows = {row.key: row for row in clause_statuses(today=today, regulation="wzgl")}
    assert rows["wzgl.fb.4"].status == "met" and rows["wzgl.fb.7.2"].status == "failing"


def test_notices_and_policies_go_stale_after_six_months(center):
    with time_machine.travel(NOW, tick=False):
        publish_article(column("zytz"), "关于春节放假的通知")
    later = (NOW + dt.timedelta(days=190)).date()
    with time_machine.travel(NOW + dt.timedelta(days=190), tick=False):
        row = kept(later).for_clause("wzgl.fb.4")
    assert row.status == "failing" and "超过 6 个月未更新" in row.detail


def test_the_home_page_is_warned_at_day_ten_and_fails_at_two_weeks(center):
    check = all_checks()["portal.home_updated"]
    assert run_check(check, today=NOW.date()).status == "no_data"
    with time_machine.travel(NOW, tick=False):
        publish_article(column("zytz"), "关于春节放假的通知")
    day = timezone.localtime(NOW).date()
    assert run_check(check, today=day + dt.timedelta(days=9)).status == "met"
    assert run_check(check, today=day + dt.timedelta(days=10)).status == "due_soon"
    failing = run_check(check, today=day + dt.timedelta(days=14))
    assert failing.status == "failing" and "单项否决" in failing.detail
