"""Fixed vocabularies of vulnerability management (网络安全管理办法 二(一)(二))."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Technique(models.TextChoices):
    """二(二): the plan states the technique to be used."""

    PORT_SCAN = "port_scan", _("端口扫描")
    SERVICE_SCAN = "service_scan", _("端口及服务识别")


class PlanState(models.TextChoices):
    REQUESTED = "requested", _("待安全管理员批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    CANCELLED = "cancelled", _("已撤销")


class ScanState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("扫描中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScanSource(models.TextChoices):
    RUN = "run", _("本系统执行")
    IMPORTED = "imported", _("导入结果")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("严重")
    HIGH = "high", _("高危")
    MEDIUM = "medium", _("中危")
    LOW = "low", _("低危")
    INFO = "info", _("信息")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("未处理")
    FIX_PROPOSED = "fix_proposed", _("复扫未见，待确认修复")
    FIXED = "fixed", _("已修复")
    ACCEPTED = "accepted", _("接受风险")
    FALSE_POSITIVE = "false_positive", _("误报")


# Days to fix by severity (the defaults; settings.VULNS_SLA_DAYS overrides).
DEFAULT_SLA_DAYS = {
    Severity.CRITICAL: 7,
    Severity.HIGH: 30,
    Severity.MEDIUM: 90,
    Severity.LOW: 180,
    Severity.INFO: 365,
}


class RemovableMedia(models.TextChoices):
    """网络设备管理制度 第十一条; 维护管理制度 二(三): storage not checked for viruses is not used."""

    BLOCKED = "blocked", _("禁用移动存储")
    SCAN_FIRST = "scan_first", _("使用前强制查毒")
    ALLOWED = "allowed", _("不受限制")


# 网络设备管理制度 第十四条 定期升级和杀毒: signatures at most a week old, a full scan a month.
ENDPOINT_COMPUTER_KINDS = ("desktop", "laptop", "server")
