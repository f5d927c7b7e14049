from django_tasks import task

from .services import suspension_notices_refresh


@task()
def refresh_suspension_notices() -> dict:
    """Periodic (every minute): re-render the static home page when a suspension
    notice's display window starts or ends (网络安全管理办法 二(十一); also
    `manage.py suspension_notices_refresh`). Does nothing when nothing changed."""
    result = suspension_notices_refresh()
    return {
        "visible": result.visible,
        "changed": result.changed,
        "rendered": result.rendered,
        "recomputed": result.recomputed,
        "skipped": result.skipped,
    }
