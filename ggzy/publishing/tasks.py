from django.utils import timezone
from django_tasks import task

from ggzy.core.calendar import is_working_day

from .services import industry_quota_alert, overdue_reminders_send


@task()
def remind_overdue_steps() -> int:
    """Periodic: e-mail reviewers of overdue steps (also `manage.py publishing_remind`).

    Nobody is reminded on a holiday; the next working morning's run catches up.
    """
    if not is_working_day(timezone.localdate()):
        return 0
    return len(overdue_reminders_send())


@task()
def alert_industry_quota() -> dict | None:
    """Daily, the next morning: e-mail the 信息发布管理小组 and 网站管理员 when
    yesterday (a working day) ended with fewer than 4 行业信息 (网站管理制度 附表 3.4;
    also `manage.py publishing_quota_alert`)."""
    return industry_quota_alert()
