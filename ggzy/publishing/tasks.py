from django.utils import timezone
from django_tasks import task

from ggzy.core.calendar import is_working_day

from .services import overdue_reminders_send


@task()
def remind_overdue_steps() -> int:
    """Periodic: e-mail reviewers of overdue steps (also `manage.py publishing_remind`).

    Nobody is reminded on a holiday; the next working morning's run catches up.
    """
    if not is_working_day(timezone.localdate()):
        return 0
    return len(overdue_reminders_send())
