"""The live compliance checks publishing registers (issue 21 §3): 行业信息 4 a working
day (网站管理制度 附表 3.4) and every department's item a week (第十二条, 信息传递制度 (四)),
each status they return, on the real chain."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.models import Department
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
# November 2026: Monday 11-02 … Friday 11-06, no holidays.
MON, TUE, WED, THU, FRI, SAT, SUN = (dt.date(2026, 11, d) for d in range(2, 9))


def check(name: str, today: dt.date):
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=SH), tick=False):
        return run_check(all_checks()[name], today=today)


# ----------------------------------------------------------------- 行业信息 4 a day

INDUSTRY = "publishing.industry_news_daily_quota"


@pytest.fixture
def chain():
    return {
        "drafter": make_user(R.DRAFTER, department="caigou"),
        "head": make_user(R.DEPARTMENT_HEAD, department="caigou"),
        "group": make_user(R.REVIEW_GROUP, department="zonghe"),
        "leader": make_user(R.LEADER, department="zonghe"),
        "publisher": make_user(R.PUBLISHER),
    }


def publish_industry(chain, day: dt.date, n: int) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SH), tick=False):
        for i in range(n):
            article = draft_article(column("zxdt/hyxx"), chain["drafter"], f"[政府采购]行业动态{day}-{i}")
            submit_for_review(page=article, actor=chain["drafter"])
            for role in ("head", "group", "leader", "publisher"):
                approve(article, chain[role])


def test_industry_quota_without_any_record_is_no_data():
    result = check(INDUSTRY, WED)
    assert (result.status, result.detail) == ("no_data", "行业信息栏目尚无发布记录")


def test_industry_quota_short_yesterday_is_failing(chain):
    publish_industry(chain, TUE, 4)
    publish_industry(chain, WED, 1)
    result = check(INDUSTRY, THU)
    assert result.status == "failing"
    assert result.detail == "行业信息 2026-11-04 发布 1 篇，少于每天 4 篇"
    assert result.links[0][1].startswith("/admin/publishing/records/")


def test_industry_quota_met_yesterday_but_short_today_is_due_soon(chain):
    publish_industry(chain, TUE, 4)
    publish_industry(chain, WED, 2)
    result = check(INDUSTRY, WED)
    assert result.status == "due_soon"
    assert result.detail == "行业信息今天已发布 2 篇，当天应发布 4 篇（2026-11-03 已达标）"


def test_industry_quota_counts_working_days_only(chain):
    # Friday reached 4; the weekend asks nothing, so Sunday is met (and the clause with it).
    publish_industry(chain, FRI, 4)
    result = check(INDUSTRY, SUN)
    assert (result.status, result.detail) == ("met", "行业信息 2026-11-06 发布 4 篇，达到每天 4 篇")
    with time_machine.travel(dt.datetime.combine(SUN, dt.time(12), tzinfo=SH), tick=False):
        rows = {row.key: row for row in clause_statuses(today=SUN, regulation="wzgl")}
    assert rows["wzgl.fb.3.4"].status == "met" and rows["wzgl.fb.3.4"].home == "checked"
    # Monday with nothing yet: due soon; Tuesday after an empty Monday: failing.
    assert check(INDUSTRY, dt.date(2026, 11, 9)).status == "due_soon"
    assert check(INDUSTRY, dt.date(2026, 11, 10)).status == "failing"


# ----------------------------------------------------------------- weekly department quota

WEEKLY = "publishing.weekly_department_quota"


@pytest.fixture
def drafters():
    # 交易监督科 is the source of no column in the center's tree, so it could never
    # send its weekly item (the check rightly fails it); the 网站管理员 makes it a
    # source of 中心简报 (工作信息), as an installation must.
    briefing = column("zxdt/zxjb").policy
    column_policy_update(
        policy=briefing,
        data={},
        source_departments=[*briefing.source_departments.all(), Department.objects.get(code="jiandu")],
    )
    return {
        code: make_user(R.DRAFTER, department=code)
        for code in Department.objects.values_list("code", flat=True)
    }


def submit(drafter, day: dt.date, title: str) -> None:
    """Submit an item into a column the drafter's department is a source of."""
    policy = (
        ColumnPolicy.objects.filter(source_departments=drafter.department, column__numchild=0)
        .select_related("column")
        .order_by("column__path")
        .first()
    )
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=SH), tick=False):
        article = draft_article(policy.column, drafter, f"[政府采购]{title}")  # fits 行业信息 too
        submit_for_review(page=article, actor=drafter)


def test_weekly_quota_before_any_submission_is_no_data():
    result = check(WEEKLY, WED)
    assert result.status == "no_data"


def test_weekly_quota_a_department_that_sent_nothing_last_week_is_failing(settings, drafters):
    settings.GGZY_QUOTA_START = "2026-11-02"
    for code, drafter in drafters.items():
        if code != "zonghe":
            submit(drafter, THU, f"{code} 本周信息")
    submit(drafters["zonghe"], SAT, "综合科 周六补报")  # after Friday: too late for that week
    result = check(WEEKLY, dt.date(2026, 11, 9))
    assert result.status == "failing"
    assert result.detail == "综合科 在 2026-11-02 那一周（截至 2026-11-06）未报送信息"


def test_weekly_quota_this_week_still_open_is_due_soon(settings, drafters):
    settings.GGZY_QUOTA_START = "2026-11-02"
    for code, drafter in drafters.items():
        submit(drafter, MON, f"{code} 第一周")
    submit(drafters["jianshe"], dt.date(2026, 11, 10), "建设 第二周")
    result = check(WEEKLY, dt.date(2026, 11, 11))
    assert result.status == "due_soon"
    assert result.detail.startswith("本周（截至 2026-11-13）尚未报送：")
    assert (
        result.detail.endswith("等 6 个")
        and "综合科" in result.detail
        and "建设工程交易科" not in result.detail
    )


def test_weekly_quota_every_department_on_time_is_met(settings, drafters):
    settings.GGZY_QUOTA_START = "2026-11-02"
    for code, drafter in drafters.items():
        submit(drafter, FRI, f"{code} 第一周")
    # Saturday: this week's due day is over and everybody sent one.
    result = check(WEEKLY, SAT)
    assert (result.status, result.detail) == ("met", "各科室 2026-11-02 那一周均已按时报送信息")
    with time_machine.travel(dt.datetime.combine(SAT, dt.time(12), tzinfo=SH), tick=False):
        rows = {row.key: row for row in clause_statuses(today=SAT)}
    assert rows["wzgl.12"].status == rows["xxfb.3.4"].status == "met"
