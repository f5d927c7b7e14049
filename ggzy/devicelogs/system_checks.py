"""Django system checks of the devicelogs settings (run by ``manage.py check`` and at
start-up of every management command and the server)."""

from django.conf import settings
from django.core.checks import Error, register

MINIMUM_RETENTION_DAYS = 90


@register()
def retention_not_below_floor(app_configs, **kwargs):
    """网络安全管理办法 五(四) 日志文件保存时间应在3个月以上: refuse less than 90 days."""
    days = settings.DEVICELOG_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        # CLI/operator text in English (网络安全管理办法 五(四)).
        return [
            Error(
                f"DEVICELOG_RETENTION_DAYS is {days}; device logs must be kept at least "
                f"{MINIMUM_RETENTION_DAYS} days (the network security regulation, part 5(4): "
                "more than 3 months)",
                hint="Set DEVICELOG_RETENTION_DAYS to 183 (the default, six months) or more.",
                id="devicelogs.E001",
            )
        ]
    return []
