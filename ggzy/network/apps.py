from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """Network and security devices (网络安全管理办法 二、三、四, 网络设备管理制度): the
    register, configuration backups over SSH with drift and change records.
    Operations layer, beside ``facility`` (its rooms) and ``credentials`` (the vault)."""

    default = True
    name = "ggzy.network"
    label = "network"
    verbose_name = _("网络与安全设备")

    def ready(self):
        from ggzy.credentials.registry import register_system_use

        from . import audit_actions, checks, external_checks, handover, inventory  # noqa: F401
        from .services import SYSTEM_USE

        # 二(一)(三): the scans read their hosts against the device and segment registers.
        inventory.register()
        # 三(三): the departures flow lists the device accounts a leaving person holds.
        handover.register()

        # 四(二): the SSH login of the configuration backup is a registered machine use of the vault.
        register_system_use(SYSTEM_USE, _("网络设备配置备份"))
