"""Periodic work of the vault (each also a management command)."""

from django_tasks import task

from . import services


@task()
def expire_pending_changes() -> int:
    """密码、口令管理制度 一(一): a change not confirmed in time is void, its sealed value dropped."""
    return services.change_expire_due()
