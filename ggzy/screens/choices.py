from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """What a screen shows (one or more), always from published notices (第九条)."""

    OPENINGS = "openings", _("今日开标")
    PUBLICITY = "publicity", _("今日公示")
    NOTICES = "notices", _("通知")


class ScreenStatus(models.TextChoices):
    ONLINE = "online", _("在线")
    OFFLINE = "offline", _("离线")
    NEVER = "never", _("从未上线")
    WAITING = "waiting", _("等待上线")
    DISABLED = "disabled", _("停用")


# Offline for the compliance check, the admin list and the alerts.
OFFLINE_STATUSES = frozenset({ScreenStatus.OFFLINE, ScreenStatus.NEVER})
