from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreensConfig(AppConfig):
    """The hall's electronic screens (网络设备管理制度 第三、九条): a register of the
    screens, their full-screen pages written as static files from published notices
    only, and a heartbeat read from the access records of those files. Sits above
    ``notices`` (it reads published notices) and ``facility`` (a screen is in a room)."""

    default = True
    name = "ggzy.screens"
    label = "screens"
    verbose_name = _("电子屏")

    def ready(self) -> None:
        # The audit action catalogue, the compliance check, and the re-publication of the
        # screens after a notice is published or unpublished (on commit).
        from . import audit_actions, checks, signals  # noqa: F401

        signals.connect()
