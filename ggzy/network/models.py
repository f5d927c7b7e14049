"""The register of network and security devices and their configuration backups
(网络安全管理办法 二(三)、四). Management addresses, segments and configurations are
confidential (四(三)): ``rules.may_see_confidential`` decides who sees them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    ApprovalState,
    AuditOutcome,
    ChangeState,
    ConfigKind,
    ConnectionKind,
    DeviceKind,
    Platform,
    PullOutcome,
    WirelessEncryption,
)


class Segment(models.Model):
    """A network segment; important ones are isolated by a firewall or VLAN/ACL (二(三))."""

    name = models.CharField(_("网段名称"), max_length=100, unique=True)
    cidr = models.CharField(_("地址段"), max_length=100, blank=True, help_text=_("如 10.1.20.0/24"))
    vlan = models.PositiveSmallIntegerField(_("VLAN"), null=True, blank=True)
    important = models.BooleanField(_("重要网段"), default=False)
    isolation = models.TextField(
        _("隔离措施"), blank=True, help_text=_("防火墙、VLAN 或访问控制列表（网络安全管理办法 二(三)）")
    )
    # 二(三): the means an important segment is isolated by, stated one by one (the live
    # check network.segments_isolated reads them), and the security devices guarding it.
    isolated_by_firewall = models.BooleanField(_("防火墙隔离"), default=False)
    isolated_by_vlan = models.BooleanField(_("VLAN 隔离"), default=False)
    isolated_by_acl = models.BooleanField(_("访问控制列表隔离"), default=False)
    guards = models.ManyToManyField(
        "Device",
        blank=True,
        related_name="guarded_segments",
        verbose_name=_("防护设备"),
        help_text=_("隔离本网段的防火墙等安全设备（网络安全管理办法 二(三)）"),
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
    # 网络安全管理办法 六: the version the device should run at least (empty: no target).
    target_version = models.CharField(
        _("目标软件版本"), max_length=200, blank=True, help_text=_("低于此版本的设备列入待升级（六）")
    )
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
    # 四(四): the change this version implements; null on a version after the first
    # (running or saved) is an unapproved change.
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
        # 四(四): every version after the first, running or saved, needs a change record.
        return self.previous_id is not None and self.change_id is None


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


class AuditResult(models.Model):
    """One rule of the configuration audit (``hardening``) on one running configuration
    version of a device, with the masked lines that prove it. ``current`` marks the
    results of the device's latest audited version (the live check reads only those)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="audit_results")
    version = models.ForeignKey(ConfigVersion, on_delete=models.CASCADE, related_name="audit_results")
    rule = models.CharField(_("规则"), max_length=50)
    clause = models.CharField(_("条款"), max_length=30)
    outcome = models.CharField(_("结果"), max_length=10, choices=AuditOutcome.choices)
    detail = models.CharField(_("说明"), max_length=300)
    lines = models.TextField(_("依据配置行"), blank=True)
    current = models.BooleanField(default=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["device", "clause", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["version", "rule"], name="network_audit_one_result_per_rule")
        ]
        indexes = [models.Index(fields=["current", "clause"], name="network_audit_current")]

    def __str__(self):
        return f"{self.device} {self.rule} {self.outcome}"


class DeviceAccount(models.Model):
    """A local user account read from a device's running configuration (三(一)(二)(三)):
    its privilege level and whether it is a super-user. ``current`` rows are those of
    the latest running version."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="accounts")
    version = models.ForeignKey(ConfigVersion, on_delete=models.CASCADE, related_name="accounts")
    name = models.CharField(_("账号"), max_length=100)
    privilege = models.CharField(_("权限级别"), max_length=50, blank=True)
    superuser = models.BooleanField(_("超级用户"), default=False)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["device", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="network_account_once_per_version")
        ]

    def __str__(self):
        return f"{self.device} {self.name}"


class AccountHolder(models.Model):
    """Who should hold a device account (三(二)(三)): an account name on one device (or
    every device when ``device`` is empty) belongs to one person."""

    account = models.CharField(_("账号"), max_length=100)
    device = models.ForeignKey(
        Device,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holders",
        verbose_name=_("设备"),
        help_text=_("留空表示所有设备上的同名账号"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("持有人")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["account", "device__name"]
        verbose_name = _("设备账号持有人")
        verbose_name_plural = _("设备账号持有人")

    def __str__(self):
        return f"{self.account} → {self.person}"


class SoftwareSeen(models.Model):
    """六: a software version a device ran, from its pulled configuration's header —
    first and last seen; the history of a device is its rows by first seen."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="software")
    version = models.CharField(_("软件版本"), max_length=200)
    first_seen = models.DateTimeField(_("首次发现"))
    last_seen = models.DateTimeField(_("最近发现"))

    class Meta:
        ordering = ["device", "-first_seen"]
        constraints = [
            models.UniqueConstraint(fields=["device", "version"], name="network_software_once_per_device")
        ]

    def __str__(self):
        return f"{self.device} {self.version}"


class Upgrade(models.Model):
    """六: 对现有设备系统版本进行备份 — an upgrade names where the previous image was backed up."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="upgrades", verbose_name=_("设备")
    )
    from_version = models.CharField(_("原版本"), max_length=200)
    to_version = models.CharField(_("新版本"), max_length=200)
    image_backup = models.CharField(
        _("原版本映像备份位置"), max_length=300, help_text=_("原系统映像文件的备份位置与文件名（六）")
    )
    done_on = models.DateField(_("升级日期"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-done_on"]
        verbose_name = _("软件升级记录")
        verbose_name_plural = _("软件升级记录")

    def __str__(self):
        return f"{self.device} {self.from_version} → {self.to_version}"


# --------------------------------------------------------------------------- 二(七)(八): 外联, 无线接入


class ApprovedEntry(models.Model):
    """What the two registers of 二(七)(八) share: decided by the 安全管理员 (never the
    registrant), with a reason, and taken out of use with a reason."""

    state = models.CharField(
        _("状态"), max_length=20, choices=ApprovalState.choices, default=ApprovalState.PENDING
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
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    retire_reason = models.TextField(_("停用原因"), blank=True)

    class Meta:
        abstract = True


class ExternalConnection(ApprovedEntry):
    """二(七)(九)(十): a connection of the center's network to an outside system — its kind
    (which decides the approval procedure, ``external.PROCEDURES``), the interconnection
    point devices, the internal segments it reaches, its policy and control measures.
    Confidential like the device register (四(三))."""

    name = models.CharField(_("外联名称"), max_length=100, unique=True)
    kind = models.CharField(_("外联种类"), max_length=20, choices=ConnectionKind.choices)
    counterpart = models.CharField(_("对端单位/系统"), max_length=200)
    points = models.ManyToManyField(Device, related_name="external_connections", verbose_name=_("互连点设备"))
    segments = models.ManyToManyField(
        Segment, blank=True, related_name="external_connections", verbose_name=_("可达的内部网段")
    )
    policy = models.TextField(_("连接策略"), help_text=_("允许的方向、地址、端口与业务"))
    # 二(九)(十): the control measures the regulation names, one by one.
    firewall = models.BooleanField(_("互连点部署防火墙"), default=False)
    nat = models.BooleanField(
        _("互连点防火墙做地址转换（NAT）"),
        default=False,
        help_text=_("互联网连接须隐藏内部真实地址（二(九)1）"),
    )
    acl = models.BooleanField(_("互连点访问控制列表（ACL）"), default=False)
    redundancy = models.BooleanField(_("互连点安全冗余"), default=False, help_text=_("二(十)2"))
    monitored = models.BooleanField(_("纳入网管监控"), default=False, help_text=_("二(十)3"))
    controls = models.TextField(_("其他控制措施"), blank=True)
    review_on = models.DateField(_("复核日期"), help_text=_("批准有效至此日，到期须复核并重新审批"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("外联")
        verbose_name_plural = _("外联")

    def __str__(self):
        return self.name


class WirelessException(ApprovedEntry):
    """二(八) 一般情况禁止无线接入: an exception approved by the 信息安全部门组 (the
    安全管理员 decides), for a place and a period; it is authorised only while
    approved and between its dates."""

    location = models.CharField(_("地点"), max_length=200)
    ssid = models.CharField(_("无线网络名称（SSID）"), max_length=32)
    purpose = models.TextField(_("用途"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    access_points = models.ManyToManyField(
        Device, blank=True, related_name="wireless_exceptions", verbose_name=_("无线接入设备")
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        related_name="wireless_exceptions",
        verbose_name=_("隔离网段"),
        help_text=_("无线终端接入的独立网段"),
    )
    encryption = models.CharField(_("加密方式"), max_length=20, choices=WirelessEncryption.choices)
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_until", "location"]
        verbose_name = _("无线接入例外")
        verbose_name_plural = _("无线接入例外")

    def __str__(self):
        return f"{self.location} {self.ssid}"
