"""The audit action names the publishing app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "publishing.record.created": _("生成发布审批记录"),
    "publishing.page.taken_down": _("撤下已发布页面"),
    "publishing.reminder.sent": _("发送审核催办提醒"),
    "publishing.approval_form.exported": _("导出发布审批单"),
    "publishing.monthly_report.exported": _("导出信息发布月报"),
}

register_actions("publishing", ACTIONS)
