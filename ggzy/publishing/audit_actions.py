"""The audit action names the publishing app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "publishing.record.created": _("生成发布审批记录"),
    "publishing.page.taken_down": _("撤下已发布页面"),
    "publishing.live_media.refused": _("替换或删除已发布页面使用的文件被拒绝"),
    "publishing.reminder.sent": _("发送审核催办提醒"),
    "publishing.approval_form.exported": _("导出发布审批单"),
    "publishing.monthly_report.exported": _("导出信息发布月报"),
    # 网站管理制度 第十四条 (八); 信息发布管理制度 一(四) 9: the reviewer's checklist.
    "publishing.checklist.confirmed": _("审核人勾选确认审核事项"),
    # 审核制度 (四)(七): setup_center adds a step the regulation requires to a chain.
    "publishing.workflow.step_added": _("审批流程补充环节"),
    # 网站管理制度 附表 3.4: a working day ended with fewer than 4 行业信息.
    "publishing.industry_quota.alerted": _("行业信息未达每日篇数提醒"),
}

register_actions("publishing", ACTIONS)
