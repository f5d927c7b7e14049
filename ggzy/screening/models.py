from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LexiconCategory, Severity

__all__ = ["FindingAcknowledgement", "LexiconEntry", "SpreadsheetTable", "SpreadsheetUpload"]


class LexiconEntry(models.Model):
    """A prohibited term (网站管理制度 第十四条; 信息发布管理制度 一(四)), maintained
    by the 网站管理员. Matched after normalisation, so "赌 博" and "賭博"-style
    full-width or spaced variants need no entries of their own."""

    category = models.CharField(_("类别"), max_length=32, choices=LexiconCategory.choices)
    term = models.CharField(_("词语"), max_length=100)
    severity = models.CharField(_("处理"), max_length=8, choices=Severity.choices, default=Severity.BLOCK)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("违禁词")
        verbose_name_plural = _("违禁词库")
        ordering = ["category", "term"]
        constraints = [
            models.UniqueConstraint(fields=["category", "term"], name="screening_lexicon_unique_term"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.term}"


class FindingAcknowledgement(models.Model):
    """A warning (severity warn) that a 信息发布管理小组 member let through, with
    the reason (网站政务信息发布的管理规定 二(二)(四): the group reviews what goes
    online). Kept per revision, for the publication record."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("页面")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("版本")
    )
    page_title = models.CharField(_("页面标题"), max_length=255)
    rule = models.CharField(_("规则"), max_length=64)
    source = models.CharField(_("位置"), max_length=255, blank=True)
    offset = models.PositiveIntegerField(_("偏移"))
    excerpt = models.CharField(_("摘录（已遮蔽）"), max_length=500)
    reason = models.TextField(_("确认理由"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("确认人")
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("警告确认")
        verbose_name_plural = _("警告确认")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "rule", "source", "offset"], name="screening_ack_unique_per_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_title}：{self.rule}"


# --------------------------------------------------------------------------- tables from .xlsx


class SpreadsheetUpload(models.Model):
    """An .xlsx uploaded to make tables from: the original, checked and screened
    when uploaded, kept under its SHA-256 for the publication record
    (信息发布管理制度 (十) 原始资料归档). Like an image uploaded through the
    chooser, it stays even if no table is inserted."""

    file = models.FileField(_("原始文件"), upload_to="spreadsheets/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    sheet_names = models.JSONField(_("工作表"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Excel 原始文件")
        verbose_name_plural = _("Excel 原始文件")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class SpreadsheetTable(models.Model):
    """A table made from one sheet of an uploaded .xlsx, embedded in rich text as
    ``<embed embedtype="xlsxtable" id="N"/>``. The HTML is sanitised and final
    (caption, header cells with scope). Rows never change once written: a page
    that shows a table must not change behind its approval chain
    (网站管理制度 第十一条), so editing a table in the editor makes a new row."""

    source = models.ForeignKey(
        SpreadsheetUpload, on_delete=models.PROTECT, related_name="tables", verbose_name=_("原始文件")
    )
    sheet_name = models.CharField(_("工作表"), max_length=100)
    caption = models.CharField(_("表格标题"), max_length=200)
    header_rows = models.PositiveSmallIntegerField(_("表头行数"), default=1)
    html = models.TextField(_("表格 HTML"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Excel 表格")
        verbose_name_plural = _("Excel 表格")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.caption

    def save(self, *args, **kwargs):
        # Immutable guard (see the docstring); not a business rule.
        if self.pk is not None:
            raise PermissionDenied("spreadsheet tables cannot be changed; create a new one")
        super().save(*args, **kwargs)
