from django_tasks import task

from .publish import screens_publish
from .services import screens_tick as tick


@task()
def screens_tick() -> dict:
    """Periodic (every minute, ``SCHEDULE_SCREENS``; also `manage.py screens_tick`): read the
    screens' heartbeats, rewrite their files (the day boundary, repairs), raise or resolve
    offline alerts (网络设备管理制度 第三条)."""
    result = tick()
    return {
        "beats": result.beats.beats,
        "written": len(result.files.written),
        "repaired": len(result.files.repaired),
        "offline": result.offline.offline,
        "alerted": result.offline.alerted,
        "recovered": result.offline.recovered,
    }


@task()
def refresh_screens() -> dict:
    """On demand, after a publish/unpublish or a register change: rewrite the screens' files."""
    result = screens_publish()
    return {"screens": result.screens, "written": result.written, "repaired": result.repaired}
