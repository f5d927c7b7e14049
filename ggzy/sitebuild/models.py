"""What the tamper check (网页防篡改) found on each run."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["LinkCheck", "MonthlyWebsiteReport", "TamperCheck", "UptimeProbe"]


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


class LinkCheck(models.Model):
    """One run of the broken-link check of the published site (政府网站检查指标: 不可用
    链接; on the home page a veto). Lists capped, counts exact."""

    FULL, PUBLISH, EXTERNAL = "full", "publish", "external"
    SCOPES = [(FULL, _("全站内部链接")), (PUBLISH, _("发布时写出的页面")), (EXTERNAL, _("外部链接"))]

    checked_at = models.DateTimeField(_("检查时间"), default=timezone.now, db_index=True)
    scope = models.CharField(_("检查范围"), max_length=10, choices=SCOPES, default=FULL, db_index=True)
    pages_checked = models.PositiveIntegerField(_("检查页面数"), default=0)
    links_checked = models.PositiveIntegerField(_("检查链接数"), default=0)
    broken_count = models.PositiveIntegerField(_("不可用链接数"), default=0)
    home_broken_count = models.PositiveIntegerField(_("首页不可用链接数"), default=0)
    broken = models.JSONField(_("不可用链接（页面、链接）"), default=list, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("链接检查")
        verbose_name_plural = _("链接检查")

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.broken_count}"


class UptimeProbe(models.Model):
    """One probe of one public URL from the server (政府网站检查指标 站点无法访问), kept 30 days."""

    url = models.CharField(_("地址"), max_length=500)
    checked_at = models.DateTimeField(_("探测时间"), db_index=True)
    ok = models.BooleanField(_("可访问"))
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("响应时间（毫秒）"))
    error = models.CharField(_("错误"), max_length=300, blank=True)
    tls_expires_at = models.DateTimeField(_("证书到期"), null=True, blank=True)

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("可用性探测")
        verbose_name_plural = _("可用性探测")
        indexes = [models.Index(fields=["url", "checked_at"], name="sitebuild_uptime_url_time")]

    def __str__(self) -> str:
        return f"{self.url} {self.checked_at:%Y-%m-%d %H:%M} {self.ok}"


class MonthlyWebsiteReport(models.Model):
    """The monthly website report of one month as stored (政府网站检查指标; 网站工作年度报表
    in December): the PDF and the xlsx with their SHA-256, written on the 1st for the
    month before by the scheduled task, or again by the 网站管理员 (``website_report
    --store``). The files live under MEDIA_ROOT/website-reports/, never served publicly."""

    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    generated_by = models.CharField(_("生成人"), max_length=150, blank=True, help_text=_("空：定时任务"))
    pdf = models.FileField(_("PDF 文件"), upload_to="website-reports/", max_length=200)
    pdf_sha256 = models.CharField(_("PDF 的 SHA-256"), max_length=64)
    xlsx = models.FileField(_("Excel 文件"), upload_to="website-reports/", max_length=200)
    xlsx_sha256 = models.CharField(_("Excel 的 SHA-256"), max_length=64)
    updates = models.PositiveIntegerField(_("信息发布总数（条）"), default=0)
    availability = models.CharField(_("可用率"), max_length=10, blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("网站月报")
        verbose_name_plural = _("网站月报")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="sitebuild_report_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"
