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
    # 网络安全管理办法 二(八): a wireless access point is only in use under an approved exception.
    WIRELESS = "wireless", _("无线接入点")
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


# The last line of a complete configuration as the device prints it: a read that ends
# elsewhere was cut short (a slow device, a lost packet) and is never stored as a version.
CONFIG_LAST_LINE = {
    Platform.HUAWEI_VRP: "return",
    Platform.HP_COMWARE: "return",
    Platform.CISCO_IOS: "end",
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


# The security devices that isolate an important segment (二(三)) or guard an interconnection.
SECURITY_KINDS = (DeviceKind.FIREWALL, DeviceKind.SECURITY)


class ApprovalState(models.TextChoices):
    """An external connection or a wireless exception (二(七)(八)): 待审批 → 已批准 /
    已驳回 → 已停用. An edit sends an approved row back to 待审批."""

    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    RETIRED = "retired", _("已停用")


class ConnectionKind(models.TextChoices):
    """二(七) 外联种类: the kind decides the approval procedure (``external.PROCEDURES``)."""

    INTERNET = "internet", _("互联网接入")
    EGOV = "egov", _("电子政务外网")
    LEASED = "leased", _("专线（银行/CA/上级平台）")
    BUSINESS = "business", _("不同业务网络互连")
    REMOTE = "remote", _("VPN/远程运维接入")
    OTHER = "other", _("其他")


class WirelessEncryption(models.TextChoices):
    WPA3 = "wpa3", _("WPA3")
    WPA2_ENTERPRISE = "wpa2_enterprise", _("WPA2 企业级（802.1X）")
    WPA2_PSK = "wpa2_psk", _("WPA2 个人级（预共享密钥）")
    OPEN = "open", _("不加密")
