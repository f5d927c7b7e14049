"""The audit action names the suspensions app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "suspensions.notice.scheduled": _("发布暂停交易服务通知"),
    "suspensions.notice.changed": _("修改暂停交易服务通知"),
    "suspensions.notice.cancelled": _("撤销暂停交易服务通知"),
}

register_actions("suspensions", ACTIONS)
