import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.tests.factories import column
from ggzy.publishing.selectors import open_step_deadlines, overdue_steps
from ggzy.publishing.services import overdue_reminders_send, submit_for_review
from ggzy.publishing.tests.factories import draft_article

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def submitted():
    drafter = make_user(R.DRAFTER, department="jianshe")
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe", email="head@example.gov.cn")
    make_user(R.DEPARTMENT_HEAD, department="caigou", email="other@example.gov.cn")
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):  # Wednesday before National Day
        article = draft_article(column("zlxz/bgxz"), drafter, "登记表")
        submit_for_review(page=article, actor=drafter)
    mail.outbox.clear()  # Wagtail's own "submitted for review" notices
    return article, head


def test_one_working_day_step_is_due_after_the_holiday(submitted):
    (deadline,) = open_step_deadlines(now=at(2026, 10, 8, 9, 0))
    assert deadline.due == at(2026, 10, 8, 18, 0)  # 10-01..10-07 are holidays
    assert not deadline.overdue
    assert overdue_steps(now=at(2026, 10, 8, 18, 1))[0].task_state == deadline.task_state


def test_same_day_chain_for_meetings_is_due_that_evening():
    drafter = make_user(R.DRAFTER, department="zonghe")
    with time_machine.travel(at(2026, 11, 25, 9, 30), tick=False):
        article = draft_article(column("zxdt/ztxx"), drafter, "中心召开会议")
        submit_for_review(page=article, actor=drafter)
    (deadline,) = open_step_deadlines(now=at(2026, 11, 25, 12, 0))
    assert deadline.due == at(2026, 11, 25, 18, 0)


def test_overdue_reminders_go_to_the_right_head_once_a_day(submitted):
    assert overdue_reminders_send(now=at(2026, 10, 8, 12, 0)) == []
    sent = overdue_reminders_send(now=at(2026, 10, 9, 9, 0))
    assert [item["recipients"] for item in sent] == [["head@example.gov.cn"]]
    assert len(mail.outbox) == 1 and "登记表" in mail.outbox[0].subject
    assert overdue_reminders_send(now=at(2026, 10, 9, 15, 0)) == []  # once a day
    assert len(mail.outbox) == 1


def test_remind_command_dry_run_sends_nothing(submitted):
    out = io.StringIO()
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        call_command("publishing_remind", "--dry-run", stdout=out)
    assert "1 overdue step(s) (dry run)" in out.getvalue() and "登记表" in out.getvalue()
    assert mail.outbox == []


def test_deadline_panel_lists_the_step_for_its_reviewer(submitted, client):
    _, head = submitted
    login_as(client, head)
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        html = client.get("/admin/").content.decode()
    assert "待我办理" in html and "登记表" in html and "已超时" in html
