"""Background work of vulnerability management."""

from django_tasks import task

from . import services
from .models import Scan


@task()
def run_scan(scan_id: int) -> str:
    """Run one queued scan inside its plan (网络安全管理办法 二(二))."""
    return services.scan_run(scan=Scan.objects.get(pk=scan_id)).state
