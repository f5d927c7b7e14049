from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviceLogsConfig(AppConfig):
    """Device logs (网络安全管理办法 五): syslog of network and security devices,
    received by rsyslog, indexed, archived in a hash chain, searched only under a
    grant of the 安全管理员. Operations layer, beside ``network`` (its devices and
    change records)."""

    name = "ggzy.devicelogs"
    label = "devicelogs"
    verbose_name = _("设备日志")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit_actions, checks, system_checks  # noqa: F401
