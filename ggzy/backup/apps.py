from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backup and restore (应急预案 第十二条: 重要信息系统均应建立备份系统，保证重要数据在受到
    破坏后可紧急恢复): restic snapshots of everything ggzy holds, restored and verified."""

    name = "ggzy.backup"
    label = "backup"
    verbose_name = _("备份与恢复")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit_actions, checks, incident_actions  # noqa: F401

        incident_actions.register()
