from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    SWITCH = "switch", _("交换机")
    ROUTER = "router", _("路由器")
    FIREWALL = "firewall", _("防火墙")
    SECURITY = "security", _("安全设备")
    SERVER = "server", _("服务器")
    UPS = "ups", _("UPS")
    NVR = "nvr", _("网络录像机")
    SCREEN = "screen", _("电子屏控制器")
    OTHER = "other", _("其他")


class Platform(models.TextChoices):
    HUAWEI_VRP = "huawei_vrp", _("华为 VRP")
    HP_COMWARE = "hp_comware", _("H3C Comware")
    CISCO_IOS = "cisco_ios", _("Cisco IOS")
    FORTINET = "fortinet", _("Fortinet FortiOS")
    LINUX = "linux", _("Linux")
    OTHER = "other", _("其他")


# 四(一)(二): the commands that print the running and the saved (startup) configuration.
# Platforms not listed here are registered but not pulled yet (docs/network.md).
CONFIG_COMMANDS = {
    Platform.HUAWEI_VRP: ("display current-configuration", "display saved-configuration"),
    Platform.HP_COMWARE: ("display current-configuration", "display saved-configuration"),
    Platform.CISCO_IOS: ("show running-config", "show startup-config"),
}


# 六: the command that prints the software version the device runs (read in the same SSH
# session as the configurations).
VERSION_COMMANDS = {
    Platform.HUAWEI_VRP: "display version",
    Platform.HP_COMWARE: "display version",
    Platform.CISCO_IOS: "show version",
}


class ConfigKind(models.TextChoices):
    RUNNING = "running", _("运行配置")
    SAVED = "saved", _("启动配置")


class PullOutcome(models.TextChoices):
    OK = "ok", _("成功")
    UNREACHABLE = "unreachable", _("无法连接")
    AUTH_FAILED = "auth_failed", _("认证失败")
    TIMEOUT = "timeout", _("超时")
    REFUSED = "refused", _("口令库拒绝")
    NOT_CONFIGURED = "not_configured", _("未配置")
    ERROR = "error", _("错误")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class AuditOutcome(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")
