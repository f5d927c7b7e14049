"""What ggzy records about its backups (应急预案 第十二条): every run, good or failed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RunStatus


class BackupRun(models.Model):
    """One ``backup`` run: the restic snapshot it wrote, or why it failed. The row is
    written when the run starts, so a run killed midway stays visible as running
    until the next run marks it failed."""

    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    tag = models.CharField(_("标签"), max_length=100, blank=True)
    repository = models.CharField(_("备份库"), max_length=500)
    snapshot_id = models.CharField(_("快照"), max_length=64, blank=True)
    files = models.PositiveIntegerField(_("文件数"), default=0)
    bytes_total = models.PositiveBigIntegerField(_("数据量（字节）"), default=0)
    bytes_added = models.PositiveBigIntegerField(_("新增存储（字节）"), default=0)
    duration_ms = models.PositiveIntegerField(_("用时（毫秒）"), default=0)
    # How long the publish root's lock was held to copy the site and its manifest.
    site_lock_ms = models.PositiveIntegerField(_("网站锁定（毫秒）"), default=0)
    manifest_sha256 = models.CharField(_("清单摘要"), max_length=64, blank=True)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("备份记录")
        verbose_name_plural = _("备份记录")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.snapshot_id or self.status}"


class RestoreDrill(models.Model):
    """One restore drill (应急预案 第十二条 可紧急恢复): the latest snapshot restored into
    a scratch directory and database and verified; its result is the evidence of the
    monthly drill obligation."""

    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    snapshot_id = models.CharField(_("快照"), max_length=64, blank=True)
    files_checked = models.PositiveIntegerField(_("校验文件数"), default=0)
    rows_checked = models.PositiveBigIntegerField(_("校验行数"), default=0)
    duration_ms = models.PositiveIntegerField(_("用时（毫秒）"), default=0)
    problems = models.JSONField(_("问题"), default=list, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # The verification steps as the restore reported them, and the PDF report made of
    # them (the drill's evidence, also for the scheduled drill that no person ran).
    steps = models.JSONField(_("校验步骤"), default=list, blank=True)
    report = models.FileField(_("演练报告"), upload_to="backup/drill-reports/%Y/%m/", blank=True)
    report_sha256 = models.CharField(_("报告摘要"), max_length=64, blank=True)
    # The occurrence of the monthly drill obligation this drill is the evidence of.
    occurrence = models.ForeignKey(
        "compliance.Occurrence",
        verbose_name=_("义务待办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("恢复演练")
        verbose_name_plural = _("恢复演练")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"
