from django.db import models
from django.utils.translation import gettext_lazy as _

from ggzy.audit.choices import GrantStatus

__all__ = ["Facility", "GrantStatus", "LineKind", "Severity"]


class Severity(models.IntegerChoices):
    """RFC 5424 §6.2.1 severities (0 is the most severe)."""

    EMERGENCY = 0, _("紧急")
    ALERT = 1, _("告警")
    CRITICAL = 2, _("严重")
    ERROR = 3, _("错误")
    WARNING = 4, _("警告")
    NOTICE = 5, _("通知")
    INFO = 6, _("信息")
    DEBUG = 7, _("调试")


class Facility(models.IntegerChoices):
    """RFC 5424 §6.2.1 facilities."""

    KERN = 0, "kern"
    USER = 1, "user"
    MAIL = 2, "mail"
    DAEMON = 3, "daemon"
    AUTH = 4, "auth"
    SYSLOG = 5, "syslog"
    LPR = 6, "lpr"
    NEWS = 7, "news"
    UUCP = 8, "uucp"
    CRON = 9, "cron"
    AUTHPRIV = 10, "authpriv"
    FTP = 11, "ftp"
    NTP = 12, "ntp"
    SECURITY = 13, "security"
    CONSOLE = 14, "console"
    SOLARIS_CRON = 15, "solaris-cron"
    LOCAL0 = 16, "local0"
    LOCAL1 = 17, "local1"
    LOCAL2 = 18, "local2"
    LOCAL3 = 19, "local3"
    LOCAL4 = 20, "local4"
    LOCAL5 = 21, "local5"
    LOCAL6 = 22, "local6"
    LOCAL7 = 23, "local7"


class LineKind(models.IntegerChoices):
    """What the alert rules look for, classified once when a line is indexed."""

    OTHER = 0, _("其他")
    LOGIN_FAILED = 1, _("登录失败")
    CONFIG_CHANGE = 2, _("配置变更")
