"""Choices of incident response (网络信息安全故障应急预案)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "SEVERITY_RANK",
    "TYPE_ARTICLE",
    "AlertStatus",
    "ContactGroup",
    "IncidentStatus",
    "IncidentType",
    "NotificationChannel",
    "ReportBody",
    "ReportChannel",
    "ReportKind",
    "Severity",
    "SupportKind",
    "TimelineKind",
    "TrainingKind",
]


class IncidentType(models.TextChoices):
    """The plan's five kinds of incident, each with its own article (第三–七条)."""

    NETWORK = "network", _("通信网络故障")  # 第三条
    MALWARE = "malware", _("不良信息和网络病毒")  # 第四条
    SOFTWARE = "software", _("计算机软件系统故障")  # 第五条
    ATTACK = "attack", _("黑客攻击")  # 第六条
    HARDWARE = "hardware", _("机房设备硬件故障")  # 第七条


# The article of 网络信息安全故障应急预案 each type's playbook comes from.
TYPE_ARTICLE = {
    IncidentType.NETWORK: _("第三条"),
    IncidentType.MALWARE: _("第四条"),
    IncidentType.SOFTWARE: _("第五条"),
    IncidentType.ATTACK: _("第六条"),
    IncidentType.HARDWARE: _("第七条"),
}


class Severity(models.TextChoices):
    """After GB/T 20986 and the national plan; 重大 and above go to the 应急领导小组 (第八条)."""

    GENERAL = "general", _("一般")
    LARGE = "large", _("较大")
    MAJOR = "major", _("重大")
    CRITICAL = "critical", _("特别重大")


SEVERITY_RANK = {Severity.GENERAL: 0, Severity.LARGE: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


class AlertStatus(models.TextChoices):
    """An alert is raised by a monitor; a person promotes it to an incident or dismisses it."""

    OPEN = "open", _("待处理")
    RECOVERED = "recovered", _("已恢复")
    PROMOTED = "promoted", _("已转为事件")
    DISMISSED = "dismissed", _("已忽略")


class IncidentStatus(models.TextChoices):
    """open → contained → recovered → closed; or opened in error (never deleted)."""

    OPEN = "open", _("处置中")
    CONTAINED = "contained", _("已控制")
    RECOVERED = "recovered", _("已恢复")
    CLOSED = "closed", _("已关闭")
    ERROR = "error", _("误报（错误开立）")


class ContactGroup(models.TextChoices):
    """第十条: the 24-hour roster of the two groups, and who is on duty."""

    LEADERSHIP = "leadership", _("网络与信息安全领导小组")
    EMERGENCY = "emergency", _("网络与信息安全应急领导小组")
    DUTY = "duty", _("值班人员")


class TimelineKind(models.TextChoices):
    """What a timeline entry records (every change, note, notification and step, in order)."""

    OPENED = "opened", _("登记")
    CHANGED = "changed", _("修改")
    STATUS = "status", _("状态变更")
    NOTE = "note", _("记录")
    REPORT = "report", _("报告领导小组")
    NOTIFICATION = "notification", _("通知")
    ACKNOWLEDGED = "acknowledged", _("确认收到")
    ESCALATED = "escalated", _("升级")
    STEP = "step", _("处置步骤")
    ACTION = "action", _("平台操作")
    EVIDENCE = "evidence", _("证据")
    ALERT = "alert", _("关联告警")
    INVESTIGATION = "investigation", _("调查报告")
    FOLLOW_UP = "follow_up", _("整改措施")
    CLOSED = "closed", _("关闭")


class ReportChannel(models.TextChoices):
    """How the 领导小组 was told (第八条)."""

    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    IM = "im", _("即时通讯")
    EMAIL = "email", _("电子邮件")
    IN_PERSON = "in_person", _("当面")
    WEBHOOK = "webhook", _("平台推送")


class ReportBody(models.TextChoices):
    LEADERSHIP = "leadership", _("网络与信息安全领导小组")
    EMERGENCY = "emergency", _("网络与信息安全应急领导小组")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("HTTP 推送（短信/即时通讯网关）")


class ReportKind(models.TextChoices):
    """第九条 investigation report; 第三条(四) and 第七条(三) use the same mechanism."""

    INVESTIGATION = "investigation", _("事件调查报告（第九条）")
    FAULT_ANALYSIS = "fault_analysis", _("故障分析报告（第三条(四)）")
    DEVICE_FAULT = "device_fault", _("设备故障报告单（第七条(三)）")


class TrainingKind(models.TextChoices):
    EDUCATION = "education", _("信息网络安全教育（第十四条）")
    TRAINING = "training", _("信息网络安全培训（第十五条）")


class SupportKind(models.TextChoices):
    ONSITE_VENDOR = "onsite_vendor", _("现场服务厂商")
    OUTSIDE_UNIT = "outside_unit", _("外部支援单位")
