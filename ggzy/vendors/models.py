"""Outsourcing and vendor service records (技术服务外包、维护管理制度 一至十).

Writes go through ``services``; no business rule lives here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RequestState, SelectionMethod, UpgradeResult, UpgradeState, VisitState

__all__ = [
    "Contract",
    "ContractFile",
    "OutsourcingRequest",
    "RemoteSession",
    "SelectionRecord",
    "UpgradeFiling",
    "Vendor",
    "VendorEvaluation",
    "VendorStaff",
    "Visit",
]

USER = settings.AUTH_USER_MODEL


class StoredFile(models.Model):
    """An uploaded file that passed the upload gate, kept with its SHA-256."""

    file = models.FileField(_("文件"), upload_to="vendors/%Y/%m/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- outsourcing (一、二)


class OutsourcingRequest(models.Model):
    """A business item the responsible department asks to outsource (一), with its
    reasons against the three factors (二); contracted only once the 中心主任 approved."""

    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("主管部门")
    )
    title = models.CharField(_("外包项目"), max_length=200)
    scope = models.TextField(_("外包范围"))
    # 二 1-3: at least one factor holds, each ticked one explained in the reason.
    lacks_capability = models.BooleanField(
        _("本单位没有此项业务所需的设备、专业人员或专门技术"), default=False
    )
    lowers_cost = models.BooleanField(_("外包可以降低成本"), default=False)
    more_benefit = models.BooleanField(_("外包能产生比自己运作更多的利益"), default=False)
    reason = models.TextField(_("理由说明"))
    state = models.CharField(
        _("状态"), max_length=20, choices=RequestState.choices, default=RequestState.SUBMITTED
    )
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("批准人")
    )
    decided_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    decision_note = models.TextField(_("批示"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("业务外包申请")
        verbose_name_plural = _("业务外包申请")

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------- vendors (三、六、七)


class Vendor(models.Model):
    """A service provider (承包商), identified by its unified social credit code."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("外包承包商")
        verbose_name_plural = _("外包承包商")

    def __str__(self) -> str:
        return self.name


class VendorStaff(models.Model):
    """A vendor's engineer. The ID number is never stored in full: its masked form
    for display and a keyed digest to recognise the same person again."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="staff", verbose_name=_("承包商")
    )
    name = models.CharField(_("姓名"), max_length=60)
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=18)
    id_number_digest = models.CharField(max_length=64, editable=False)
    role = models.CharField(_("岗位"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        ordering = ["vendor", "name"]
        verbose_name = _("承包商人员")
        verbose_name_plural = _("承包商人员")
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "id_number_digest"], name="vendors_staff_once_per_vendor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.vendor}）"


class SelectionRecord(StoredFile):
    """How the vendor was chosen for an approved request (六: 招标或竞争性谈判)."""

    request = models.ForeignKey(
        OutsourcingRequest, on_delete=models.PROTECT, related_name="selections", verbose_name=_("外包申请")
    )
    method = models.CharField(_("方式"), max_length=20, choices=SelectionMethod.choices)
    held_on = models.DateField(_("日期"))
    participants = models.TextField(_("参与单位"))
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="selections", verbose_name=_("确定的承包商")
    )
    summary = models.TextField(_("过程与结果"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("选定承包商记录")
        verbose_name_plural = _("选定承包商记录")

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.held_on}：{self.vendor}"


class Contract(models.Model):
    """The outsourcing contract (六), for an approved request and its selection."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("承包商")
    )
    request = models.ForeignKey(
        OutsourcingRequest, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("外包申请")
    )
    selection = models.ForeignKey(
        SelectionRecord, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("选定记录")
    )
    number = models.CharField(_("合同编号"), max_length=60, unique=True)
    title = models.CharField(_("合同名称"), max_length=200)
    scope = models.TextField(_("服务范围"))
    sla = models.TextField(_("服务水平（SLA）"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("终止日期"))
    value = models.DecimalField(_("合同金额（元）"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("外包合同")
        verbose_name_plural = _("外包合同")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ContractFile(StoredFile):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="files")
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("合同文件")
        verbose_name_plural = _("合同文件")

    def __str__(self) -> str:
        return self.file_name


class VendorEvaluation(models.Model):
    """A periodic evaluation of a vendor's performance (七), scored on the checklist
    ``choices.EVALUATION_CRITERIA``."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("承包商")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
        verbose_name=_("合同"),
    )
    period = models.CharField(_("考核期间"), max_length=40)
    scores = models.JSONField(_("评分"), default=dict)
    total = models.PositiveSmallIntegerField(_("总分"))
    passed = models.BooleanField(_("合格"))
    comment = models.TextField(_("评价意见"), blank=True)
    evaluated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核人")
    )
    evaluated_on = models.DateField(_("考核日期"))

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("承包商考核")
        verbose_name_plural = _("承包商考核")

    def __str__(self) -> str:
        return f"{self.vendor} {self.period}：{self.total}"


# --------------------------------------------------------------------------- on-site and remote (九、十)


class Visit(models.Model):
    """An on-site service visit (九): the 介绍信 and the ID document are uploaded;
    the 网络管理员 reviews, the 信息科负责人 approves; only then is entry logged."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="visits", verbose_name=_("承包商")
    )
    staff = models.ForeignKey(
        VendorStaff, on_delete=models.PROTECT, related_name="visits", verbose_name=_("上门人员")
    )
    purpose = models.TextField(_("服务内容"))
    planned_on = models.DateField(_("计划日期"))
    letter = models.FileField(_("单位介绍信"), upload_to="vendors/visits/%Y/%m/")
    letter_sha256 = models.CharField(max_length=64)
    id_document = models.FileField(_("身份证明"), upload_to="vendors/visits/%Y/%m/")
    id_document_sha256 = models.CharField(max_length=64)
    state = models.CharField(
        _("状态"), max_length=20, choices=VisitState.choices, default=VisitState.REQUESTED
    )
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("审核人")
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    decision_note = models.TextField(_("意见"), blank=True)
    # The visit log (十: 网络管理员需对现场技术服务记录存档).
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    escort = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("陪同人员")
    )
    rooms = models.CharField(_("进入区域"), max_length=200, blank=True)
    # 九 with 网络机房管理制度 二(八): each machine room entered is an entry in the facility's
    # visitor register, where the room's keeper checks the ID and overshoes at the door.
    room_entries = models.ManyToManyField(
        "facility.Visit", blank=True, related_name="vendor_visits", verbose_name=_("进入机房登记")
    )
    work_done = models.TextField(_("工作内容"), blank=True)
    departed_at = models.DateTimeField(_("离开时间"), null=True, blank=True)
    logged_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("登记人")
    )

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("上门服务")
        verbose_name_plural = _("上门服务")

    def __str__(self) -> str:
        return f"{self.staff.name} {self.planned_on}"


class RemoteSession(StoredFile):
    """A remote service session (十: 远程技术服务记录存档)."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="remote_sessions", verbose_name=_("承包商")
    )
    staff = models.ForeignKey(
        VendorStaff, on_delete=models.PROTECT, related_name="+", verbose_name=_("远程操作人员")
    )
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    source = models.CharField(_("来源（地址/方式）"), max_length=200)
    systems = models.CharField(_("涉及系统"), max_length=200)
    work_done = models.TextField(_("操作内容"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("远程服务记录")
        verbose_name_plural = _("远程服务记录")

    def __str__(self) -> str:
        return f"{self.vendor} {self.started_at:%Y-%m-%d %H:%M}"


class UpgradeFiling(models.Model):
    """A version upgrade by the system vendor (十): filed with 信息科, approved by a
    中心领导 before it is carried out; the result recorded after."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="upgrades", verbose_name=_("系统提供商")
    )
    system = models.CharField(_("系统"), max_length=120)
    from_version = models.CharField(_("当前版本"), max_length=60)
    to_version = models.CharField(_("目标版本"), max_length=60)
    details = models.TextField(_("升级内容"))
    planned_at = models.DateTimeField(_("计划实施时间"))
    state = models.CharField(
        _("状态"), max_length=20, choices=UpgradeState.choices, default=UpgradeState.FILED
    )
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("报备人"))
    filed_at = models.DateTimeField(_("报备时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("信息科审核人"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("批准人（中心领导）"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("意见"), blank=True)
    executed_at = models.DateTimeField(_("实施时间"), null=True, blank=True)
    # 十: carried out before the approval — a finding until the 安全管理员 records how it was dealt with.
    executed_before_approval = models.BooleanField(_("未经批准即实施"), default=False)
    finding_resolution = models.TextField(_("违规处理说明"), blank=True)
    finding_resolved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    result = models.CharField(_("结果"), max_length=20, choices=UpgradeResult.choices, blank=True)
    result_note = models.TextField(_("结果说明"), blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("版本升级报备")
        verbose_name_plural = _("版本升级报备")

    def __str__(self) -> str:
        return f"{self.system} {self.from_version} → {self.to_version}"
