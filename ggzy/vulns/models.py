"""Scan plans, scans, hosts and findings (网络安全管理办法 二(一)(二))."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FindingStatus, PlanState, RemovableMedia, ScanSource, ScanState, Severity, Technique

USER = settings.AUTH_USER_MODEL


class ScanPlan(models.Model):
    """二(二): a scan is described — technique, scope, window, impact, rollback — and
    approved by the 安全管理员 before it runs; nothing runs outside it."""

    title = models.CharField(_("名称"), max_length=200)
    technique = models.CharField(_("扫描方式"), max_length=20, choices=Technique.choices)
    # One address or CIDR network per line (scope.parse_scope).
    scope = models.TextField(_("扫描范围"))
    ports = models.CharField(_("端口范围"), max_length=200, default="1-1024")
    window_start = models.DateTimeField(_("开始时间"))
    window_end = models.DateTimeField(_("结束时间"))
    max_rate = models.PositiveIntegerField(_("每秒最多发包数"), default=100)
    expected_impact = models.TextField(_("预期影响"))
    rollback = models.TextField(_("回退措施"))
    state = models.CharField(_("状态"), max_length=20, choices=PlanState.choices, default=PlanState.REQUESTED)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制人"))
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["-window_start", "-pk"]
        verbose_name = _("扫描方案")
        verbose_name_plural = _("扫描方案")

    def __str__(self) -> str:
        return self.title


class Scan(models.Model):
    """One scan inside a plan: run here by nmap, or its results imported."""

    plan = models.ForeignKey(ScanPlan, on_delete=models.PROTECT, related_name="scans", verbose_name=_("方案"))
    source = models.CharField(_("来源"), max_length=10, choices=ScanSource.choices)
    targets = models.TextField(_("扫描目标"))
    state = models.CharField(_("状态"), max_length=10, choices=ScanState.choices, default=ScanState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度 %"), default=0)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    output = models.FileField(_("扫描结果（XML）"), upload_to="vulns/scans/%Y/%m/", blank=True)
    output_sha256 = models.CharField(max_length=64, blank=True)
    hosts_up = models.PositiveIntegerField(_("存活主机"), default=0)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("扫描")
        verbose_name_plural = _("扫描")

    def __str__(self) -> str:
        return f"{self.plan} #{self.pk}"


class Host(models.Model):
    address = models.GenericIPAddressField(_("地址"), unique=True)
    hostname = models.CharField(_("主机名"), max_length=255, blank=True)
    first_seen = models.DateTimeField(_("首次发现"))
    last_seen = models.DateTimeField(_("最近发现"))
    # Matched to a register (ggzy.core.inventory: the device register), by address then
    # name, at every scan; empty when no register knows it.
    known_source = models.CharField(_("登记来源"), max_length=60, blank=True)
    known_key = models.CharField(_("登记编号"), max_length=200, blank=True)
    known_label = models.CharField(_("登记设备"), max_length=300, blank=True)
    known_url = models.CharField(max_length=300, blank=True)
    internet_facing = models.BooleanField(_("面向互联网"), default=False)
    segment_name = models.CharField(_("所在网段"), max_length=100, blank=True)
    segment_important = models.BooleanField(_("重要网段"), default=False)
    # An unmatched host someone has looked at and let be (a guest laptop…), with why.
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(_("忽略原因"), blank=True)

    class Meta:
        ordering = ["address"]
        verbose_name = _("主机")
        verbose_name_plural = _("主机")

    def __str__(self) -> str:
        return self.address


class Finding(models.Model):
    """One weakness on one host, the same across scans: (host, port, protocol, vuln_id)."""

    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="findings", verbose_name=_("主机"))
    port = models.PositiveIntegerField(_("端口"), default=0)  # 0: the host itself
    protocol = models.CharField(_("协议"), max_length=10, blank=True)
    vuln_id = models.CharField(_("漏洞标识"), max_length=200)
    title = models.CharField(_("名称"), max_length=300)
    detail = models.TextField(_("详情"), blank=True)
    severity = models.CharField(_("等级"), max_length=10, choices=Severity.choices)
    cvss = models.DecimalField(_("CVSS"), max_digits=3, decimal_places=1, null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    first_seen = models.DateTimeField(_("首次发现"))
    last_seen = models.DateTimeField(_("最近发现"))
    first_scan = models.ForeignKey(Scan, on_delete=models.PROTECT, related_name="+")
    last_scan = models.ForeignKey(Scan, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("整改期限"))
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("责任人")
    )
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("确认人")
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    accepted_until = models.DateField(_("接受风险至"), null=True, blank=True)
    status_note = models.TextField(_("说明"), blank=True)
    # Every scan that saw it: what a scan found stays what it found after later scans.
    scans = models.ManyToManyField(Scan, related_name="observed", blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("安全隐患")
        verbose_name_plural = _("安全隐患")
        constraints = [
            models.UniqueConstraint(
                fields=["host", "port", "protocol", "vuln_id"], name="vulns_finding_identity"
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.host} {self.title}"


class JointAnalysis(models.Model):
    """二(一): the results of a scan analysed together by the 网络管理员, the 系统管理员 and
    the 安全管理员 — three different people, each signing; the text is frozen at the
    first signature."""

    scan = models.OneToOneField(
        Scan, on_delete=models.PROTECT, related_name="analysis", verbose_name=_("扫描")
    )
    summary = models.TextField(_("结果综述"))
    accepted_risks = models.TextField(_("接受的风险"), blank=True)
    remediation_plan = models.TextField(_("整改计划"))
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人"))
    drafted_at = models.DateTimeField(_("起草时间"), auto_now=True)
    network_signed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    network_signed_at = models.DateTimeField(null=True, blank=True)
    system_signed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    system_signed_at = models.DateTimeField(null=True, blank=True)
    security_signed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    security_signed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("三方签字完成"), null=True, blank=True)

    class Meta:
        verbose_name = _("扫描结果联合分析")
        verbose_name_plural = _("扫描结果联合分析")

    def __str__(self) -> str:
        return _("%(scan)s 联合分析") % {"scan": self.scan}

    @property
    def signed_any(self) -> bool:
        return bool(self.network_signed_by_id or self.system_signed_by_id or self.security_signed_by_id)


class EndpointStatus(models.Model):
    """网络设备管理制度 第十四条: licensed antivirus on every computer, kept up to date and
    run; 第十一条 and 维护管理制度 二(三): removable storage unchecked for viruses is not used.
    Entered or imported by 信息科 — no agent on the endpoints."""

    asset = models.OneToOneField(
        "assets.Asset", on_delete=models.PROTECT, related_name="endpoint_status", verbose_name=_("计算机")
    )
    antivirus = models.CharField(_("杀毒软件"), max_length=100)
    signatures_updated_on = models.DateField(_("病毒库更新日期"))
    last_full_scan_on = models.DateField(_("最近全盘查毒"), null=True, blank=True)
    removable_media = models.CharField(_("移动存储策略"), max_length=20, choices=RemovableMedia.choices)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("终端防护状况")
        verbose_name_plural = _("终端防护状况")

    def __str__(self) -> str:
        return str(self.asset_id)


class ApprovedSoftware(models.Model):
    """网络与系统安全维护管理制度 二(二): software is installed by 信息科 only, and nothing
    unrelated to work — the list of what 信息科 allows on the center's computers. A name
    pattern matches installed programs case-insensitively; ``*`` and ``?`` are wildcards
    (``Microsoft Office*`` covers every edition)."""

    name_pattern = models.CharField(_("软件名称"), max_length=200, unique=True)
    publisher = models.CharField(_("发行商"), max_length=200, blank=True)
    purpose = models.CharField(_("工作用途"), max_length=300)
    active = models.BooleanField(_("准许安装"), default=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人"), null=True, editable=False
    )
    approved_on = models.DateField(_("批准日期"), null=True, editable=False)

    class Meta:
        verbose_name = _("准许安装的软件")
        verbose_name_plural = _("准许安装的软件")
        ordering = ("name_pattern",)

    def __str__(self) -> str:
        return self.name_pattern


class SoftwareInventory(models.Model):
    """二(二): what one computer had installed on the day 信息科 took stock (exported from
    the machine and imported — no agent on the endpoints). The newest one counts."""

    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        related_name="software_inventories",
        verbose_name=_("计算机"),
    )
    taken_on = models.DateField(_("清点日期"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("软件清点")
        verbose_name_plural = _("软件清点")
        indexes = [models.Index(fields=["asset", "-taken_on", "-id"], name="vulns_inventory_latest")]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.taken_on}"


class InstalledSoftware(models.Model):
    inventory = models.ForeignKey(
        SoftwareInventory, on_delete=models.CASCADE, related_name="items", verbose_name=_("软件清点")
    )
    name = models.CharField(_("软件名称"), max_length=300)
    version = models.CharField(_("版本"), max_length=100, blank=True)
    publisher = models.CharField(_("发行商"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已安装软件")
        verbose_name_plural = _("已安装软件")

    def __str__(self) -> str:
        return self.name
