"""Periodic audit work on Django's task framework; each is also a command."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .retention import audit_export, audit_purge
from .services import checkpoint_create


@task()
def audit_checkpoint_task() -> int:
    return checkpoint_create().seq


@task()
def audit_monthly_archive_task() -> int:
    """Archive last month (网络安全管理办法 五(四): regular backups)."""
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return audit_export(month=last_month, out_dir=settings.AUDIT_ARCHIVE_DIR).count


@task()
def audit_purge_task() -> int:
    return audit_purge().count
