"""The live compliance check portal registers (issue 21 §3): every column published
within its policy's update limit (网站管理制度 第九条, 附表 更新时限), each status."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user
from ggzy.compliance.registry import all_checks, run_check
from ggzy.compliance.selectors import clause_statuses
from ggzy.portal.models import ColumnPolicy
from ggzy.portal.services import column_policy_update
from ggzy.portal.tests.factories import column
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MON, TUE, WED, THU = (dt.date(2026, 11, d) for d in range(2, 6))
NAME = "portal.columns_updated_in_time"


def check(today: dt.date):
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=SH), tick=False):
        return run_check(all_checks()[NAME], today=today)


def set_limit(path: str, limit: str) -> None:
    column_policy_update(policy=column(path).policy, data={"update_time_limit": limit})


@pytest.fixture
def daily_forms():
    """表格下载 made a 每天更新 column, the center's two periodic columns made 实时更新,
    so one item a day through the 分管领导 chain decides."""
    set_limit("zxdt/hyxx", "realtime")
    set_limit("llyj", "realtime")
    set_limit("zlxz/bgxz", "daily")
    return {
        "drafter": make_user(R.DRAFTER, department="jianshe"),
        "head": make_user(R.DEPARTMENT_HEAD, department="jianshe"),
        "group": make_user(R.REVIEW_GROUP),
        "leader": make_user(R.LEADER),
        "publisher": make_user(R.PUBLISHER),
    }


def publish_forms(people, day: dt.date, n: int = 1) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SH), tick=False):
        for i in range(n):
            article = draft_article(column("zlxz/bgxz"), people["drafter"], f"表格{day}-{i}")
            submit_for_review(page=article, actor=people["drafter"])
            for role in ("head", "group", "leader", "publisher"):
                approve(article, people[role])


def test_the_centers_periodic_columns_are_the_ones_checked():
    limits = dict(ColumnPolicy.objects.values_list("column__title", "update_time_limit"))
    assert limits["理论研究"] == "daily" and limits["行业信息"] == "daily_four"


def test_no_publication_record_yet_is_no_data(daily_forms):
    result = check(TUE)
    assert (result.status, result.detail) == ("no_data", "尚无信息发布记录")


def test_a_daily_column_without_an_item_yesterday_is_failing(daily_forms):
    publish_forms(daily_forms, MON)
    result = check(WED)
    assert result.status == "failing"
    assert result.detail == "2026-11-03 未达到更新时限：表格下载 0/1 篇"


def test_a_daily_column_not_yet_updated_today_is_due_soon(daily_forms):
    publish_forms(daily_forms, MON)
    result = check(TUE)
    assert (result.status, result.detail) == ("due_soon", "今天尚未达到更新时限：表格下载 已发布 0/1 篇")


def test_columns_within_their_limits_are_met_and_the_clause_with_them(daily_forms):
    publish_forms(daily_forms, MON)
    publish_forms(daily_forms, TUE)
    result = check(TUE)
    assert (result.status, result.detail) == ("met", "2026-11-02 各栏目均按更新时限发布：表格下载")
    with time_machine.travel(dt.datetime.combine(TUE, dt.time(12), tzinfo=SH), tick=False):
        rows = {row.key: row for row in clause_statuses(today=TUE, regulation="wzgl")}
    assert rows["wzgl.fb.8"].status == "met" and rows["wzgl.fb.8"].home == "checked"


def test_only_event_driven_columns_is_met():
    for path in ("zxdt/hyxx", "llyj"):
        set_limit(path, "on_approval")
    result = check(TUE)
    assert result.status == "met"
    assert result.detail == "没有规定每天更新篇数的栏目，其余栏目实时或审核后即时发布"
