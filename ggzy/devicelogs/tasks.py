"""Periodic work of device logs (also the ``devicelogs_*`` commands), scheduled in
GGZY_SCHEDULE: index every minute, archive closed days nightly, purge daily."""

from django_tasks import task

from . import archive, services


@task()
def index_device_logs() -> int:
    """五(一): index what the collector wrote since the last run; returns the lines indexed."""
    return services.index_and_alert().lines


@task()
def archive_device_logs() -> int:
    """五(四) 定期对日志文件进行备份: compress and chain each closed day; returns the count."""
    return len(archive.archive_closed_days().archived)


@task()
def purge_device_logs() -> int:
    """五(四): remove index rows and archives past DEVICELOG_RETENTION_DAYS; returns lines removed."""
    return archive.purge_expired().lines
