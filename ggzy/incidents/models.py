"""Incident response (网络信息安全故障应急预案, 网络机房管理制度 一(四)): alerts raised by
ggzy's own monitors, incidents, and the readiness registers."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    AlertStatus,
    ContactGroup,
    IncidentStatus,
    IncidentType,
    NotificationChannel,
    ReportBody,
    ReportChannel,
    ReportKind,
    Severity,
    SupportKind,
    TimelineKind,
    TrainingKind,
)

__all__ = [
    "REPORT_WITHIN",
    "Alert",
    "Contact",
    "Drill",
    "Evidence",
    "FollowUpAction",
    "Incident",
    "IncidentReport",
    "InvestigationReport",
    "Notification",
    "PlaybookStep",
    "ReserveEquipment",
    "SupportTeam",
    "TimelineEntry",
    "Training",
]

# 第八条: 发生信息网络突发事件后，相关人员应在 5 分钟内向网络与信息安全领导小组报告.
REPORT_WITHIN = timedelta(minutes=5)


class Incident(models.Model):
    """An incident of one of the plan's five types (第三–七条), never deleted: it is
    closed (with the 第九条 investigation report) or marked as opened in error."""

    title = models.CharField(_("标题"), max_length=200)
    incident_type = models.CharField(_("事件类型"), max_length=20, choices=IncidentType.choices)
    severity = models.CharField(
        _("事件级别"), max_length=20, choices=Severity.choices, default=Severity.GENERAL
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.OPEN, db_index=True
    )
    description = models.TextField(_("情况描述"), blank=True)
    affected_systems = models.TextField(_("受影响的系统和设备"), blank=True)
    detected_at = models.DateTimeField(_("发现时间"), db_index=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("负责人"),
    )
    # 第十六条: a drill goes through the same screens, kept out of the real figures.
    is_drill = models.BooleanField(_("演练"), default=False, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # 第八条: the first report to the 领导小组 (denormalised from IncidentReport).
    first_reported_at = models.DateTimeField(_("首次报告时间"), null=True, blank=True)
    report_late = models.BooleanField(_("报告超时"), default=False)
    contained_at = models.DateTimeField(_("控制时间"), null=True, blank=True)
    recovered_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("关闭人"),
    )
    error_reason = models.TextField(_("错误开立的原因"), blank=True)
    # Affected devices and assets (links.py: kind, key, label, url — resolved when linked).
    links = models.JSONField(_("关联设备和资产"), default=list, blank=True)
    # The audit events involved (a lockout, the tamper finding, an account change), by
    # their sequence numbers: no foreign key into the append-only log (old events move
    # to archives), and their content stays behind the 审计管理员's audited grant.
    audit_event_seqs = models.JSONField(_("相关审计事件序号"), default=list, blank=True)

    class Meta:
        ordering = ["-detected_at", "-pk"]
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def report_due_at(self):
        return self.detected_at + REPORT_WITHIN

    @property
    def is_finished(self) -> bool:
        return self.status in (IncidentStatus.CLOSED, IncidentStatus.ERROR)


class Alert(models.Model):
    """Something a monitor noticed (a tamper finding, an audit-chain break, lockouts
    from one network range, …). One open alert per (source, key): repeats are
    grouped on it (count, last_seen, detail), never duplicated."""

    source = models.CharField(_("来源"), max_length=40, db_index=True)
    key = models.CharField(_("原因标识"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    incident_type = models.CharField(_("事件类型"), max_length=20, choices=IncidentType.choices)
    severity = models.CharField(_("级别"), max_length=20, choices=Severity.choices, default=Severity.GENERAL)
    status = models.CharField(
        _("状态"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    detail = models.TextField(_("详情"), blank=True)
    links = models.JSONField(_("相关链接"), default=list, blank=True)  # [[label, url], …]
    first_seen = models.DateTimeField(_("首次发生"), db_index=True)
    last_seen = models.DateTimeField(_("最近发生"))
    count = models.PositiveIntegerField(_("次数"), default=1)
    recovered_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    notified_to = models.JSONField(_("已通知"), default=list, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("处理人"),
    )
    dismiss_reason = models.TextField(_("忽略原因"), blank=True)
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="alerts",
        null=True,
        blank=True,
        verbose_name=_("安全事件"),
    )

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("告警")
        verbose_name_plural = _("告警")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key"],
                condition=models.Q(status="open"),
                name="incidents_one_open_alert_per_cause",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.source}] {self.title}"


class Contact(models.Model):
    """第十条: the 24-hour contacts roster of the 领导小组 and 应急领导小组, and the
    people on duty (alerts are e-mailed to them)."""

    name = models.CharField(_("姓名"), max_length=50)
    group = models.CharField(_("所属"), max_length=20, choices=ContactGroup.choices)
    position = models.CharField(_("职务/分工"), max_length=100, blank=True)
    is_lead = models.BooleanField(_("组长"), default=False)
    phone = models.CharField(_("手机"), max_length=30)
    phone_backup = models.CharField(_("备用电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("平台账号"),
    )
    on_duty = models.BooleanField(_("当前值班"), default=False)
    active = models.BooleanField(_("在册"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["group", "-is_lead", "name"]
        verbose_name = _("应急联系人")
        verbose_name_plural = _("应急联系人")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_group_display()}）"


# --------------------------------------------------------------------------- the incident's record


class TimelineEntry(models.Model):
    """Every change, note, notification and step of an incident, in order."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("类别"), max_length=20, choices=TimelineKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    text = models.TextField(_("内容"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("事件时间线")
        verbose_name_plural = _("事件时间线")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:40]}"


class IncidentReport(models.Model):
    """第八条: who told the 领导小组 (or the 应急领导小组), whom, by which channel, when."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    body = models.CharField(_("报告对象"), max_length=20, choices=ReportBody.choices)
    reported_at = models.DateTimeField(_("报告时间"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告人")
    )
    recipients = models.CharField(_("报告给谁"), max_length=300)
    channel = models.CharField(_("方式"), max_length=20, choices=ReportChannel.choices)
    note = models.TextField(_("报告内容"), blank=True)
    within_clock = models.BooleanField(_("5 分钟内"), default=True)

    class Meta:
        ordering = ["reported_at", "pk"]
        verbose_name = _("事件报告")
        verbose_name_plural = _("事件报告")

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.reported_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An outbound notice of an incident (e-mail or the HTTP webhook to the SMS/IM
    gateway). Unacknowledged after the configured minutes: re-sent and escalated."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(_("渠道"), max_length=20, choices=NotificationChannel.choices)
    recipients = models.JSONField(_("接收人"), default=list)
    payload = models.JSONField(_("内容"), default=dict)
    sent_at = models.DateTimeField(_("首次发送"))
    last_sent_at = models.DateTimeField(_("最近发送"))
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=1)
    delivered = models.BooleanField(_("已送达"), default=False)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.CharField(_("确认人"), max_length=150, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("事件通知")
        verbose_name_plural = _("事件通知")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.sent_at:%Y-%m-%d %H:%M}"


class PlaybookStep(models.Model):
    """One step of the type's playbook (the plan's 第三–七条 as a checklist)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(_("序号"))
    clause = models.CharField(_("依据"), max_length=40)
    text = models.TextField(_("步骤"))
    action_keys = models.JSONField(_("平台操作"), default=list, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("完成人"),
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["incident", "order"]
        verbose_name = _("处置步骤")
        verbose_name_plural = _("处置步骤")

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:40]}"


class Evidence(models.Model):
    """An evidence file, stored with its SHA-256 and who added it (chain of custody)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="incidents/evidence/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    screening_findings = models.JSONField(_("筛查发现"), default=list, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("证据")
        verbose_name_plural = _("证据")

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class InvestigationReport(models.Model):
    """第九条 善后处置: the investigation group's report, generated as a PDF and signed
    off by the 领导小组 lead; closing the incident needs it."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="investigation")
    kind = models.CharField(
        _("报告类型"), max_length=20, choices=ReportKind.choices, default=ReportKind.INVESTIGATION
    )
    investigators = models.CharField(_("调查组成员"), max_length=300)
    cause = models.TextField(_("事件原因"))
    nature = models.TextField(_("事件性质"))
    impact = models.TextField(_("影响范围"))
    consequences = models.TextField(_("后果"))
    responsibility = models.TextField(_("责任"))
    response_capability = models.TextField(_("应急处置能力评估"))
    recovery = models.TextField(_("恢复重建"))
    lessons = models.TextField(_("经验教训"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("撰写时间"))
    pdf = models.FileField(_("报告 PDF"), upload_to="incidents/reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("领导小组组长签批"),
    )
    signed_off_at = models.DateTimeField(_("签批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事件调查报告")
        verbose_name_plural = _("事件调查报告")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.incident_id}"


class FollowUpAction(models.Model):
    """A follow-up action of an investigation report or a drill, tracked until done."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="follow_ups", null=True, blank=True
    )
    drill = models.ForeignKey(
        "Drill", on_delete=models.PROTECT, related_name="follow_ups", null=True, blank=True
    )
    text = models.CharField(_("整改措施"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人")
    )
    due_on = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    done_note = models.TextField(_("完成说明"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- readiness registers


class ReserveEquipment(models.Model):
    """第十一条: reserve hardware and software, with a keeper who maintains it."""

    item = models.CharField(_("设备/软件"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    location = models.CharField(_("存放位置"), max_length=200)
    keeper = models.CharField(_("保管人"), max_length=50)
    condition = models.CharField(_("状态"), max_length=200, default="", blank=True)
    checked_on = models.DateField(_("最近检查"), null=True, blank=True)

    class Meta:
        ordering = ["item"]
        verbose_name = _("备用设备")
        verbose_name_plural = _("备用设备")

    def __str__(self) -> str:
        return f"{self.item} ×{self.quantity}"


class SupportTeam(models.Model):
    """第十三条: the emergency support teams (on-site vendor engineers, outside units)."""

    name = models.CharField(_("单位/团队"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=SupportKind.choices)
    scope = models.CharField(_("支援范围"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    contract_ref = models.CharField(_("合同/协议编号"), max_length=100, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("应急支援队伍")
        verbose_name_plural = _("应急支援队伍")

    def __str__(self) -> str:
        return self.name


class Drill(models.Model):
    """第十六条: a drill; it may run as a drill incident (marked, out of the real figures)."""

    scenario = models.CharField(_("演练场景"), max_length=300)
    held_on = models.DateField(_("演练日期"))
    participants = models.TextField(_("参加人员"))
    timeline = models.TextField(_("演练过程"), blank=True)
    findings = models.TextField(_("发现的问题"), blank=True)
    problems_found = models.PositiveIntegerField(_("发现问题数"), default=0)
    plan_updated = models.BooleanField(_("已据此完善应急预案"), default=False)
    incident = models.OneToOneField(
        Incident,
        on_delete=models.PROTECT,
        related_name="drill",
        null=True,
        blank=True,
        verbose_name=_("演练事件"),
        help_text=_("演练作为“演练事件”走事件流程时，选择该事件（仅列出未关联的演练事件）。"),
    )
    # 第十六条 每年至少一次: the yearly occurrence this record was submitted as evidence of.
    occurrence = models.ForeignKey(
        "compliance.Occurrence",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("年度义务凭证"),
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")

    def __str__(self) -> str:
        return f"{self.held_on} {self.scenario}"


class Training(models.Model):
    """第十四–十五条: security education and training, with attendance."""

    kind = models.CharField(_("类别"), max_length=20, choices=TrainingKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("日期"))
    attendees = models.TextField(_("参加人员"))
    attendance = models.PositiveIntegerField(_("人数"))
    notes = models.TextField(_("内容摘要"), blank=True)
    # 第十四、十五条 每年至少一次: the yearly occurrence this record was submitted as evidence of.
    occurrence = models.ForeignKey(
        "compliance.Occurrence",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("年度义务凭证"),
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("安全教育与培训")
        verbose_name_plural = _("安全教育与培训")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"
