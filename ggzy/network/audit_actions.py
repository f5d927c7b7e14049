"""The audit action names the network app records (``ggzy.core.actions``)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "network.register.saved": _("保存网络设备登记（设备、网段）"),
    "network.config.pulled": _("备份网络设备配置"),
    "network.config.pull_failed": _("网络设备配置备份失败"),
    "network.config.viewed": _("查看网络设备配置"),
    "network.config.unapproved": _("发现未经批准的配置变更"),
    "network.change.recorded": _("登记配置变更"),
    "network.change.decided": _("审批配置变更"),
    "network.config.audited": _("重新审核网络设备配置"),
    "network.connection.saved": _("登记或修改外联"),
    "network.connection.decided": _("审批外联"),
    "network.connection.retired": _("停用外联"),
    "network.wireless.saved": _("登记或修改无线接入例外"),
    "network.wireless.decided": _("审批无线接入例外"),
    "network.wireless.retired": _("停用无线接入例外"),
    "network.inventory.imported": _("导入网络设备清单"),
}
register_actions("network", ACTIONS)
