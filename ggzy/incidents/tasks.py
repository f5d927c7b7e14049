"""Periodic work of incident response (also ``manage.py incident_clock``)."""

from django_tasks import task

from .services import incidents_mark_late, notifications_escalate


@task()
def incident_clock() -> int:
    """Every minute: flag incidents past the 5-minute report clock (第八条) and re-send,
    escalated, the notifications nobody acknowledged."""
    return len(incidents_mark_late()) + len(notifications_escalate())
