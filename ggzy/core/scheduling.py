"""The periodic schedule: APScheduler cron triggers that enqueue django-tasks.

Settings.GGZY_SCHEDULE maps a task's dotted path to a crontab expression. The
scheduler only enqueues; the task worker (`db_worker`) runs the work, so a slow
task never delays the schedule.
"""

import datetime as dt
import re
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class ScheduledTask:
    path: str
    crontab: str
    trigger: CronTrigger

    def next_run(self, now: dt.datetime | None = None) -> dt.datetime | None:
        now = now or timezone.now()
        return self.trigger.get_next_fire_time(None, now)

    def enqueue(self):
        return import_string(self.path).enqueue()


_DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _standard_crontab(crontab: str) -> str:
    """APScheduler numbers weekdays from Monday = 0; crontab(5) from Sunday = 0.
    Translate numeric day-of-week to names so that "1-5" means Monday–Friday as
    every administrator expects."""
    fields = crontab.split()
    if len(fields) != 5:
        raise ValueError("a crontab has 5 fields: minute hour day month day-of-week")
    fields[4] = re.sub(r"\b([0-7])\b", lambda m: _DOW_NAMES[int(m.group(1))], fields[4])
    return " ".join(fields)


def load_schedule(schedule: dict[str, str] | None = None) -> list[ScheduledTask]:
    """Validate the schedule: every path a task, every expression a crontab."""
    schedule = settings.GGZY_SCHEDULE if schedule is None else schedule
    items = []
    for path, crontab in schedule.items():
        try:
            task = import_string(path)
        except ImportError as exc:
            raise ScheduleError(f"scheduled task {path!r} cannot be imported: {exc}") from exc
        if not hasattr(task, "enqueue"):
            raise ScheduleError(f"{path!r} is not a django-tasks task")
        try:
            trigger = CronTrigger.from_crontab(_standard_crontab(crontab), timezone=settings.TIME_ZONE)
        except ValueError as exc:
            raise ScheduleError(f"schedule for {path!r}: bad crontab {crontab!r}: {exc}") from exc
        items.append(ScheduledTask(path, crontab, trigger))
    return items
