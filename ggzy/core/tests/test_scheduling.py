import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from ggzy.core.scheduling import ScheduleError, load_schedule

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_schedule_lists_tasks_with_next_run_times():
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, 0, tzinfo=SH), tick=False):  # a Friday
        call_command("run_scheduler", "--list", stdout=out)
    assert (
        "ggzy.publishing.tasks.remind_overdue_steps\t30 8 * * 1-5\tnext: 2026-11-30 08:30" in out.getvalue()
    )


def test_day_of_week_numbers_mean_what_crontab_means(settings):
    settings.GGZY_SCHEDULE = {"ggzy.publishing.tasks.remind_overdue_steps": "0 9 * * 0"}  # Sunday
    (item,) = load_schedule()
    friday = dt.datetime(2026, 11, 27, 12, 0, tzinfo=SH)
    assert item.next_run(friday).astimezone(SH) == dt.datetime(2026, 11, 29, 9, 0, tzinfo=SH)


def test_bad_schedule_is_refused_clearly(settings):
    settings.GGZY_SCHEDULE = {"ggzy.publishing.tasks.remind_overdue_steps": "61 * * * *"}
    with pytest.raises(CommandError, match="bad crontab"):
        call_command("run_scheduler", "--list")
    with pytest.raises(ScheduleError, match="cannot be imported"):
        load_schedule({"ggzy.nothing.here": "* * * * *"})
    with pytest.raises(ScheduleError, match="not a django-tasks task"):
        load_schedule({"ggzy.core.scheduling.load_schedule": "* * * * *"})


@pytest.mark.django_db
def test_run_now_enqueues_the_task(settings):
    out = io.StringIO()
    call_command("run_scheduler", "--run-now", "remind_overdue_steps", stdout=out)
    assert "enqueued ggzy.publishing.tasks.remind_overdue_steps" in out.getvalue()
    with pytest.raises(CommandError, match="no scheduled task"):
        call_command("run_scheduler", "--run-now", "nope")


@pytest.mark.django_db
def test_reminder_task_rests_on_holidays():
    from ggzy.publishing.tasks import remind_overdue_steps

    with time_machine.travel(dt.datetime(2026, 10, 2, 9, 0, tzinfo=SH), tick=False):  # National Day
        assert remind_overdue_steps.call() == 0
    assert mail.outbox == []
