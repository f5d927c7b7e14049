"""Device logs (网络安全管理办法 五): the collector's files, their indexed lines, the
hash-chained archive of each closed day, and the grants under which the logs are read."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ggzy.audit.grants import AccessGrantBase

from .choices import Facility, LineKind, Severity

__all__ = ["DayArchive", "DeviceLogGrant", "LogFile", "LogLine"]


# --------------------------------------------------------------------------- files and lines


class LogFile(models.Model):
    """One file of the collector: one source host, one day (rsyslog writes
    ``<DEVICELOG_DIR>/<source address>/<YYYY-MM-DD>.log``). ``offset`` is how far
    ggzy has indexed: always the end of a complete line, so a line rsyslog is
    still writing is read again, whole, next time."""

    host = models.CharField(_("来源地址"), max_length=255)
    day = models.DateField(_("日期"))
    device = models.ForeignKey(
        "network.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("设备"),
    )
    offset = models.BigIntegerField(_("已索引字节"), default=0)
    lines = models.BigIntegerField(_("已索引条数"), default=0)
    first_line_at = models.DateTimeField(_("最早日志时间"), null=True, blank=True)
    last_line_at = models.DateTimeField(_("最近日志时间"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("索引时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "host"]
        verbose_name = _("设备日志文件")
        verbose_name_plural = _("设备日志文件")
        constraints = [models.UniqueConstraint(fields=["host", "day"], name="devicelogs_file_host_day")]
        indexes = [models.Index(fields=["device", "last_line_at"], name="devicelogs_file_device_last")]

    def __str__(self) -> str:
        return f"{self.host}/{self.day:%Y-%m-%d}.log"

    @property
    def relpath(self) -> str:
        return f"{self.host}/{self.day:%Y-%m-%d}.log"


class LogLine(models.Model):
    """One syslog message as indexed: device, time, severity, facility, program, text.
    The text is searchable by substring: an FTS5 trigram index on SQLite, a pg_trgm
    GIN index on PostgreSQL (migration 0002)."""

    file = models.ForeignKey(LogFile, on_delete=models.CASCADE, related_name="+", db_index=False)
    device = models.ForeignKey(
        "network.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("设备"),
    )
    host = models.CharField(_("来源地址"), max_length=255)
    hostname = models.CharField(_("主机名"), max_length=255, blank=True)
    time = models.DateTimeField(_("时间"))
    severity = models.PositiveSmallIntegerField(_("级别"), choices=Severity.choices)
    facility = models.PositiveSmallIntegerField(_("类别"), choices=Facility.choices)
    program = models.CharField(_("程序"), max_length=100, blank=True)
    text = models.TextField(_("内容"))
    kind = models.PositiveSmallIntegerField(_("分类"), choices=LineKind.choices, default=LineKind.OTHER)

    class Meta:
        verbose_name = _("设备日志")
        verbose_name_plural = _("设备日志")
        indexes = [
            models.Index(fields=["device", "time"], name="devicelogs_line_device_time"),
            models.Index(fields=["time"], name="devicelogs_line_time"),
            models.Index(fields=["file"], name="devicelogs_line_file"),
            models.Index(fields=["kind", "device", "time"], name="devicelogs_line_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.host} {self.time:%Y-%m-%d %H:%M:%S} {self.text[:50]}"


# --------------------------------------------------------------------------- archive (五(四))


class DayArchive(models.Model):
    """One closed day of one source, gzip-compressed into DEVICELOG_ARCHIVE_DIR and
    chained: ``hash`` is an HMAC (AUDIT_HMAC_KEY, ``ggzy.audit.hashing``) over the
    archive's description including ``prev_hash``, so a replaced, removed or
    reordered archive shows (``devicelogs_verify``). A purge past retention deletes
    the file and sets ``purged_at``; the row stays, so the chain stays whole."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    host = models.CharField(_("来源地址"), max_length=255)
    day = models.DateField(_("日期"))
    device = models.ForeignKey(
        "network.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("设备"),
    )
    file_name = models.CharField(_("归档文件"), max_length=300)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    size = models.BigIntegerField(_("原始字节数"))
    lines = models.BigIntegerField(_("行数"))
    created_at = models.DateTimeField(_("归档时间"), default=timezone.now)
    hash_alg = models.CharField(_("摘要算法"), max_length=10)
    prev_hash = models.CharField(_("前一摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64)
    purged_at = models.DateTimeField(_("清理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("设备日志归档")
        verbose_name_plural = _("设备日志归档")
        constraints = [models.UniqueConstraint(fields=["host", "day"], name="devicelogs_archive_host_day")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.file_name}"


# --------------------------------------------------------------------------- access (五(五))


class DeviceLogGrant(AccessGrantBase):
    """网络安全管理办法 五(五) 对日志文件的访问要获得安全管理员的批准: a 网络管理员 or
    审计管理员 asks for a purpose, a period and optionally one device and an event
    period; a 安全管理员 (not the requester) approves. The same model as the audit
    log's grant (``ggzy.audit.models.AuditAccessGrant``)."""

    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    scope_device = models.ForeignKey(
        "network.Device",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("范围（设备）"),
        help_text=_("留空表示全部设备"),
    )
    scope_since = models.DateTimeField(_("日志起始时间"), null=True, blank=True)
    scope_until = models.DateTimeField(_("日志截止时间"), null=True, blank=True)

    class Meta(AccessGrantBase.Meta):
        verbose_name = _("设备日志查阅授权")
        verbose_name_plural = _("设备日志查阅授权")
