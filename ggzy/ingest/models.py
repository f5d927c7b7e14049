"""The .xlsx tables of the editor's 插入 Excel 表格: the archived workbooks and
the tables made from their sheets.

Both models were created in ``screening`` (migration screening.0004) and moved
here with their data: the tables keep their names, and the content types (so
permissions, Wagtail's reference index and ``<embed embedtype="xlsxtable">``)
keep their ids (migrations screening.0005, ingest.0001 and ingest.0002)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SpreadsheetTable", "SpreadsheetUpload"]


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
        db_table = "screening_spreadsheetupload"  # created before the model left screening
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
        db_table = "screening_spreadsheettable"  # created before the model left screening
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


class MalwareScanPolicy(models.Model):
    """应急预案 第四条: what the upload gate does when clamd cannot be reached — refuse
    (the default) or let files through with a warning. Only the 安全管理员 changes it
    (one row); the deployment's MALWARE_SCAN=off still turns scanning off entirely."""

    REQUIRED, WARN = "required", "warn"
    on_unavailable = models.CharField(
        _("病毒扫描服务不可用时"),
        max_length=10,
        choices=[(REQUIRED, _("拒绝上传（默认）")), (WARN, _("允许上传并记录警告"))],
        default=REQUIRED,
    )
    reason = models.TextField(_("理由"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("病毒扫描策略")
        verbose_name_plural = _("病毒扫描策略")

    def __str__(self) -> str:
        return self.get_on_unavailable_display()

    @classmethod
    def current(cls) -> MalwareScanPolicy:
        return cls.objects.filter(pk=1).first() or cls(pk=1)
