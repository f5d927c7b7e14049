"""The register of network and security devices and their configuration backups
(网络安全管理办法 二(三)、四). Management addresses, segments and configurations are
confidential (四(三)): ``rules.may_see_confidential`` decides who sees them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ChangeState, ConfigKind, DeviceKind, Platform, PullOutcome


class Segment(models.Model):
    """A network segment; important ones are isolated by a firewall or VLAN/ACL (二(三))."""

    name = models.CharField(_("网段名称"), max_length=100, unique=True)
    cidr = models.CharField(_("地址段"), max_length=100, blank=True, help_text=_("如 10.1.20.0/24"))
    vlan = models.PositiveSmallIntegerField(_("VLAN"), null=True, blank=True)
    important = models.BooleanField(_("重要网段"), default=False)
    isolation = models.TextField(
        _("隔离措施"), blank=True, help_text=_("防火墙、VLAN 或访问控制列表（网络安全管理办法 二(三)）")
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("网段")
        verbose_name_plural = _("网段")

    def __str__(self):
        return self.name


class Device(models.Model):
    name = models.CharField(_("设备名称"), max_length=100, unique=True)
    kind = models.CharField(_("设备类型"), max_length=20, choices=DeviceKind.choices)
    vendor = models.CharField(_("厂商"), max_length=100, blank=True)
    model = models.CharField(_("型号"), max_length=100, blank=True)
    serial = models.CharField(_("序列号"), max_length=100, blank=True)
    platform = models.CharField(_("系统平台"), max_length=20, choices=Platform.choices)
    mgmt_address = models.CharField(
        _("管理地址"),
        max_length=255,
        blank=True,
        help_text=_("IP 地址或主机名（机密，网络安全管理办法 四(三)）"),
    )
    ssh_port = models.PositiveIntegerField(_("SSH 端口"), default=22)
    # 四(二): the SSH login comes from the credential vault (released for network.config_backup).
    credential = models.ForeignKey(
        "credentials.Credential",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登录口令（特权口令库）"),
    )
    software_version = models.CharField(_("软件版本"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("直接责任人"),
    )
    key_device = models.BooleanField(_("关键设备"), default=False)
    # 网络安全管理办法 二(一): a high finding on a device reachable from the internet is a
    # 重大安全隐患 (reported at once); vulns reads it through ggzy.core.inventory.
    internet_facing = models.BooleanField(_("面向互联网"), default=False)
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("网段"),
    )
    room = models.ForeignKey(
        "facility.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("机房"),
    )
    rack = models.CharField(_("机柜/位置"), max_length=100, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    last_pull_at = models.DateTimeField(_("最近备份时间"), null=True, blank=True)
    last_pull_outcome = models.CharField(
        _("最近备份结果"), max_length=20, choices=PullOutcome.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("网络设备")
        verbose_name_plural = _("网络设备")

    def __str__(self):
        return self.name


class ConfigText(models.Model):
    """A configuration's text, stored once by its SHA-256 (四(二))."""

    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    size = models.PositiveIntegerField()

    def __str__(self):
        return self.sha256


class ChangeRecord(models.Model):
    """四(四) 配置信息的修改要记录并存档: who changes what, why, when, approved by whom."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="changes", verbose_name=_("设备")
    )
    summary = models.CharField(_("变更内容"), max_length=300)
    reason = models.TextField(_("变更原因"))
    planned_at = models.DateTimeField(_("计划时间"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # An unapproved change found by a pull, recorded after the fact (补登), with why.
    for_version = models.ForeignKey(
        "ConfigVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="late_changes",
        verbose_name=_("补登的配置版本"),
    )
    late_reason = models.TextField(_("补登原因"), blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.device} {self.summary}"


class ConfigVersion(models.Model):
    """One distinct running or saved configuration of a device, with the unified diff
    against the previous version of the same kind."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField(_("类别"), max_length=10, choices=ConfigKind.choices)
    number = models.PositiveIntegerField(_("版本号"))
    content = models.ForeignKey(ConfigText, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    diff = models.TextField(blank=True)
    pulled_at = models.DateTimeField(_("获取时间"))
    # 四(四): the change this version implements; null on a running version after the
    # first is an unapproved change.
    change = models.ForeignKey(
        ChangeRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="versions"
    )

    class Meta:
        ordering = ["device", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["device", "kind", "number"], name="network_version_unique_number")
        ]

    def __str__(self):
        return f"{self.device} {self.get_kind_display()} v{self.number}"

    @property
    def needs_change(self) -> bool:
        return self.kind == ConfigKind.RUNNING and self.previous_id is not None and self.change_id is None


class PullAttempt(models.Model):
    """Every pull, failed ones included, with a clear reason (never the secret)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="pulls")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=PullOutcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    running = models.ForeignKey(ConfigVersion, on_delete=models.PROTECT, null=True, related_name="+")
    saved = models.ForeignKey(ConfigVersion, on_delete=models.PROTECT, null=True, related_name="+")
    new_versions = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.device} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
