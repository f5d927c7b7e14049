"""The audit action names the portal app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "portal.column_policy.updated": _("修改栏目发布策略"),
    "portal.site_identity.updated": _("修改网站标识"),
}

register_actions("portal", ACTIONS)
