"""The audit action names the credential vault records (ggzy.core.actions)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "credentials.credential.created": _("登记特权口令"),
    "credentials.credential.updated": _("修改特权口令登记信息"),
    "credentials.credential.retired": _("停用特权口令"),
    "credentials.credential.leak_reported": _("报告口令泄密迹象"),
    "credentials.change.started": _("发起口令设定/更换"),
    "credentials.change.refused": _("口令设定被拒绝"),
    "credentials.change.confirm_refused": _("口令变更确认被拒绝"),
    "credentials.change.expired": _("口令变更超时作废"),
    "credentials.change.cancelled": _("撤销口令变更"),
    "credentials.secret.changed": _("两人确认后口令生效"),
    "credentials.reveal.requested": _("申请查看口令"),
    "credentials.reveal.approved": _("批准查看口令"),
    "credentials.reveal.declined": _("拒绝查看口令"),
    "credentials.reveal.refused": _("查看口令被拒绝"),
    "credentials.secret.revealed": _("查看口令"),
    "credentials.reveal.failed": _("口令密文校验失败"),
    "credentials.master_key.rewrapped": _("更换主密钥后重新封装数据密钥"),
    "credentials.secret.used_by_system": _("自动化任务使用口令"),
    "credentials.system_use.refused": _("自动化任务使用口令被拒绝"),
}
register_actions("credentials", ACTIONS)
