"""What the tamper check (网页防篡改) found on each run."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["TamperCheck"]


class TamperCheck(models.Model):
    """One run of the check of the publish root against its signed manifest
    (网络信息安全故障应急预案 第六条: 网页内容被篡改). The audit app takes these
    over later; until then this table is the record."""

    checked_at = models.DateTimeField(_("检查时间"), default=timezone.now, db_index=True)
    root = models.CharField(_("发布目录"), max_length=500)
    files_checked = models.PositiveIntegerField(_("检查文件数"), default=0)
    intact = models.BooleanField(_("完好"), default=False)
    manifest_error = models.CharField(_("清单错误"), max_length=300, blank=True)
    # Lists are capped (an attacker may drop thousands of files); the counts are exact.
    modified = models.JSONField(_("被修改的文件"), default=list, blank=True)
    added = models.JSONField(_("新增的文件"), default=list, blank=True)
    missing = models.JSONField(_("缺失的文件"), default=list, blank=True)
    modified_count = models.PositiveIntegerField(_("被修改数"), default=0)
    added_count = models.PositiveIntegerField(_("新增数"), default=0)
    missing_count = models.PositiveIntegerField(_("缺失数"), default=0)
    restored = models.BooleanField(_("已恢复"), default=False)
    intact_after_restore = models.BooleanField(_("恢复后完好"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("网页防篡改检查")
        verbose_name_plural = _("网页防篡改检查")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        state = _("完好") if self.intact else _("被篡改")
        return f"{self.checked_at:%Y-%m-%d %H:%M} {state}"
