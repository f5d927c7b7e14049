"""backup's playbook action for incident response (ggzy.incidents.actions):
应急预案 第五条(三) 必要情况下，应对硬盘进行备份 — a snapshot now, tagged with the
incident, before anyone repairs the system (第五条(四) 在保持原始数据安全的情况下…修复)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.incidents.actions import register_playbook_action

from . import services
from .choices import RunStatus


def snapshot_now(*, incident, actor, reason: str, target: str) -> str:
    try:
        run = services.run_backup(actor=actor, tag=f"incident-{incident.pk}")
    except services.BackupError as exc:
        raise ValidationError(_("备份未能开始：%(error)s") % {"error": exc}) from exc
    if run.status != RunStatus.SUCCEEDED:
        raise ValidationError(_("备份失败：%(error)s") % {"error": run.error})
    return _("已备份：快照 %(id)s，%(files)d 个文件，用时 %(s).1f 秒") % {
        "id": run.snapshot_id,
        "files": run.files,
        "s": run.duration_ms / 1000,
    }


def register() -> None:
    register_playbook_action(
        "backup.snapshot",
        gettext_lazy("立即备份（数据库、附件、网站、审计归档、密钥）"),
        snapshot_now,
        roles=(RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN),
    )
