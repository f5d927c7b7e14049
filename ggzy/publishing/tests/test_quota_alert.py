"""行业信息 每天更新发布4篇 (网站管理制度 附表 3.4): a working day that ends under
the quota reaches the 信息发布管理小组 and the 网站管理员 by e-mail, once."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.portal.tests.factories import column
from ggzy.publishing.models import IndustryQuotaAlert
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tasks import alert_industry_quota
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
TUESDAY, WEDNESDAY = dt.date(2026, 11, 3), dt.date(2026, 11, 4)


@pytest.fixture
def people():
    return {
        "drafter": make_user(R.DRAFTER, department="caigou"),
        "head": make_user(R.DEPARTMENT_HEAD, department="caigou"),
        "group": make_user(R.REVIEW_GROUP, department="zonghe", email="group@example.org"),
        "leader": make_user(R.LEADER, department="zonghe", email="leader@example.org"),
        "publisher": make_user(R.PUBLISHER, email="pub@example.org"),
        "web": make_user(R.WEBSITE_ADMIN, email="web@example.org"),
    }


def publish_industry(people, day: dt.date, n: int) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SH), tick=False):
        for i in range(n):
            article = draft_article(column("zxdt/hyxx"), people["drafter"], f"[政府采购]行业动态{day}-{i}")
            submit_for_review(page=article, actor=people["drafter"])
            for role in ("head", "group", "leader", "publisher"):
                approve(article, people[role])


def run(day=None, *args) -> str:
    out = io.StringIO()
    call_command("publishing_quota_alert", *([f"--day={day}"] if day else []), *args, stdout=out)
    return out.getvalue()


def test_a_day_under_quota_mails_the_group_and_website_admin_once(people, mailoutbox):
    publish_industry(people, TUESDAY, 4)
    publish_industry(people, WEDNESDAY, 1)
    mailoutbox.clear()  # Wagtail's own workflow notifications
    assert "nothing to send" in run(TUESDAY)  # 4 published: met
    assert "(dry run)" in run(WEDNESDAY, "--dry-run")
    assert mailoutbox == [] and not IndustryQuotaAlert.objects.exists()

    run(WEDNESDAY)
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["group@example.org", "web@example.org"]
    assert "1 篇" in mail.subject and "4 篇" in mail.body
    alert = IndustryQuotaAlert.objects.get()
    assert (alert.day, alert.published, alert.quota) == (WEDNESDAY, 1, 4)
    assert AuditEvent.objects.filter(action="publishing.industry_quota.alerted").count() == 1
    assert "nothing to send" in run(WEDNESDAY)  # once per day
    assert len(mailoutbox) == 1


def test_the_daily_task_checks_yesterday_and_skips_holidays(people, mailoutbox):
    with time_machine.travel(dt.datetime(2026, 11, 5, 0, 15, tzinfo=SH), tick=False):
        assert alert_industry_quota.call()["day"] == "2026-11-04"  # nothing published
    assert len(mailoutbox) == 1
    with time_machine.travel(dt.datetime(2026, 11, 9, 0, 15, tzinfo=SH), tick=False):
        assert alert_industry_quota.call() is None  # Sunday 11-08: not a working day
    with time_machine.travel(dt.datetime(2026, 10, 2, 0, 15, tzinfo=SH), tick=False):
        assert alert_industry_quota.call() is None  # 国庆节 10-01
    assert len(mailoutbox) == 1
    assert settings.GGZY_SCHEDULE["ggzy.publishing.tasks.alert_industry_quota"] == "15 0 * * *"


def test_a_bad_day_argument_is_refused():
    with pytest.raises(CommandError, match="not a date"):
        run("2026-13-01")
