"""Periodic work of the network app (also the ``network_pull`` command)."""

from django_tasks import task

from . import external, services
from .choices import PullOutcome


@task()
def pull_configs() -> int:
    """网络安全管理办法 四(二): back up every device's configuration (daily by default);
    returns the number of successful pulls."""
    return sum(1 for a in services.pull_all() if a.outcome == PullOutcome.OK)


@task()
def wireless_expiry() -> int:
    """网络安全管理办法 二(八): alert on wireless exceptions ending within a week or ended
    (daily by default); returns the number of alerts raised."""
    return external.wireless_expiry_alerts()
