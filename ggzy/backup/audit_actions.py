"""The audit action names backup records (ggzy.core.actions)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "backup.repository.initialized": _("初始化备份库"),
    "backup.snapshot.created": _("完成备份"),
    "backup.snapshot.failed": _("备份失败"),
    "backup.drill.passed": _("恢复演练通过"),
    "backup.drill.failed": _("恢复演练失败"),
    "backup.retention.applied": _("按保留策略清理备份快照"),
    "backup.repository.checked": _("校验备份库"),
}
register_actions("backup", ACTIONS)
