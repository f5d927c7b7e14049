"""The audit action names the incidents app records, with their Chinese labels
(the catalogue: ``ggzy.core.actions``). Imported from the app's ``AppConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

INCIDENT_ACTIONS = {
    "incidents.alert.raised": _("产生安全告警"),
    "incidents.alert.repeated": _("安全告警再次发生（已合并）"),
    "incidents.alert.recovered": _("安全告警恢复正常"),
    "incidents.alert.notified": _("发送安全告警通知"),
    "incidents.alert.promoted": _("告警转为安全事件"),
    "incidents.alert.dismissed": _("忽略安全告警"),
    "incidents.incident.opened": _("登记安全事件"),
}
register_actions("incidents", INCIDENT_ACTIONS)
