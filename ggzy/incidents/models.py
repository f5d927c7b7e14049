"""Incident response (网络信息安全故障应急预案, 网络机房管理制度 一(四)): alerts raised by
ggzy's own monitors, incidents, and the readiness registers."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AlertStatus, ContactGroup, IncidentStatus, IncidentType, Severity

__all__ = ["REPORT_WITHIN", "Alert", "Contact", "Incident"]

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
