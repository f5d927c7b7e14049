"""The asset ledger (网络与系统安全维护管理制度 一(三)), assignments, repair tickets
(一(二)) and the appraisal → approval → disposal record (一(五)).

Writes go through ``services``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AssetKind, AssetState, DisposalMethod, RepairState

__all__ = ["Asset", "Assignment", "Disposal", "RepairTicket"]

USER = settings.AUTH_USER_MODEL


class Asset(models.Model):
    """One item of the ledger, labelled with its number (printed as a QR code)."""

    number = models.CharField(_("资产编号"), max_length=40, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=AssetKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    model = models.CharField(_("型号"), max_length=120, blank=True)
    serial = models.CharField(_("序列号"), max_length=120, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("使用科室")
    )
    holder = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("使用人")
    )
    location = models.CharField(_("存放地点"), max_length=120, blank=True)
    purchased_on = models.DateField(_("购置日期"), null=True, blank=True)
    purchase_value = models.DecimalField(
        _("购置金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    warranty_until = models.DateField(_("保修截止"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=AssetState.choices, default=AssetState.IN_STOCK
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("资产")
        verbose_name_plural = _("资产")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Assignment(models.Model):
    """Who held an asset, from when to when; the open one is the current holder."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="assignments")
    holder = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="asset_assignments", verbose_name=_("使用人")
    )
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("领用时间"))
    assigned_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    returned_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("接收人")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        verbose_name = _("领用记录")
        verbose_name_plural = _("领用记录")
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(returned_at__isnull=True),
                name="assets_one_open_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset.number} → {self.holder}"


class RepairTicket(models.Model):
    """一(二): a fault is reported to 信息科, who alone handles it."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="repairs", verbose_name=_("资产"))
    fault = models.TextField(_("故障描述"))
    state = models.CharField(
        _("状态"), max_length=20, choices=RepairState.choices, default=RepairState.REPORTED
    )
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("报修人")
    )
    reported_at = models.DateTimeField(_("报修时间"), auto_now_add=True)
    handled_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("处理人")
    )
    taken_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    resolution = models.TextField(_("处理结果"), blank=True)
    resolved_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("报修单")
        verbose_name_plural = _("报修单")

    def __str__(self) -> str:
        return f"{self.asset.number} {self.reported_at:%Y-%m-%d}"


class Disposal(models.Model):
    """一(五): 信息科 technical appraisal → approval → disposal, with the data-wiping
    evidence for anything that stores data."""

    asset = models.OneToOneField(Asset, on_delete=models.PROTECT, related_name="disposal")
    appraisal = models.TextField(_("技术鉴定意见"))
    appraised_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("鉴定人")
    )
    appraised_at = models.DateTimeField(_("鉴定时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    method = models.CharField(_("处置方式"), max_length=20, choices=DisposalMethod.choices, blank=True)
    wipe_method = models.CharField(_("数据清除方式"), max_length=200, blank=True)
    wipe_evidence = models.FileField(_("数据清除证明"), upload_to="assets/wipe/%Y/%m/", blank=True)
    wipe_evidence_name = models.CharField(max_length=255, blank=True)
    wipe_evidence_sha256 = models.CharField(max_length=64, blank=True)
    disposed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("处置人")
    )
    disposed_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报废处置")
        verbose_name_plural = _("报废处置")

    def __str__(self) -> str:
        return str(self.asset)
