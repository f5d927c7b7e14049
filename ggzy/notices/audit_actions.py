"""The audit action names the notices app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "notices.apitoken.created": _("新建公告接口令牌"),
    "notices.apitoken.updated": _("修改公告接口令牌"),
    "notices.apitoken.revoked": _("吊销公告接口令牌"),
    "notices.api.called": _("调用公告接口"),
}

register_actions("notices", ACTIONS)
