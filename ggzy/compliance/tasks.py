from django.utils import timezone
from django_tasks import task

from ggzy.core.calendar import is_working_day

from .services import occurrences_generate, overdue_reminders_send, snapshot_take


@task()
def remind_overdue_occurrences() -> int:
    """Periodic: generate ahead, mark overdue, remind (also `manage.py compliance_remind`).
    Nobody is reminded on a holiday; the next working morning catches up."""
    occurrences_generate()
    if not is_working_day(timezone.localdate()):
        return 0
    return len(overdue_reminders_send())


@task()
def clause_snapshot() -> int:
    """Daily: every clause's status, kept for the dashboard's trend."""
    return snapshot_take()
