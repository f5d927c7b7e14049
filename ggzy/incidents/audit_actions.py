"""The audit action names the incidents app records, with their Chinese labels
(the catalogue: ``ggzy.core.actions``). Imported from the app's ``AppConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

INCIDENT_ACTIONS = {
    "incidents.register.saved": _("维护应急登记表（联系人、备用设备、支援队伍、演练、培训）"),
    "incidents.alert.raised": _("产生安全告警"),
    "incidents.alert.repeated": _("安全告警再次发生（已合并）"),
    "incidents.alert.recovered": _("安全告警恢复正常"),
    "incidents.alert.notified": _("发送安全告警通知"),
    "incidents.alert.promoted": _("告警转为安全事件"),
    "incidents.alert.dismissed": _("忽略安全告警"),
    "incidents.incident.opened": _("登记安全事件"),
    "incidents.incident.updated": _("修改安全事件"),
    "incidents.incident.status_changed": _("安全事件状态变更"),
    "incidents.incident.noted": _("安全事件记录"),
    "incidents.incident.reported": _("向领导小组报告安全事件"),
    "incidents.incident.report_late": _("安全事件未在 5 分钟内报告"),
    "incidents.incident.closed": _("关闭安全事件"),
    "incidents.incident.opened_in_error": _("安全事件标记为错误开立"),
    "incidents.notification.sent": _("发送安全事件通知"),
    "incidents.notification.acknowledged": _("确认收到安全事件通知"),
    "incidents.notification.escalated": _("安全事件通知未确认，重发并升级"),
    "incidents.step.completed": _("完成处置步骤"),
    "incidents.action.run": _("执行应急平台操作"),
    "incidents.action.refused": _("拒绝执行应急平台操作"),
    "incidents.evidence.added": _("添加安全事件证据"),
    "incidents.evidence.downloaded": _("下载安全事件证据"),
    "incidents.investigation.saved": _("提交事件调查报告"),
    "incidents.investigation.signed_off": _("签批事件调查报告"),
    "incidents.follow_up.added": _("增加整改措施"),
    "incidents.follow_up.done": _("完成整改措施"),
    "incidents.report.exported": _("下载事件调查报告"),
    "incidents.figures.exported": _("导出应急统计报表"),
}
register_actions("incidents", INCIDENT_ACTIONS)
