"""The audit action names backup records (ggzy.core.actions)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "backup.repository.initialized": _("初始化备份库"),
    "backup.snapshot.created": _("完成备份"),
    "backup.snapshot.failed": _("备份失败"),
}
register_actions("backup", ACTIONS)
