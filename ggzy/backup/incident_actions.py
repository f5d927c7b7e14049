"""backup's playbook action for incident response (ggzy.incidents.actions):
应急预案 第五条(三) 必要情况下，应对硬盘进行备份 — a snapshot now, tagged with the
incident, before anyone repairs the system (第五条(四) 在保持原始数据安全的情况下…修复)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.incidents.actions import register_playbook_action

from . import tasks
from .choices import RunStatus
from .models import BackupRun


def snapshot_now(*, incident, actor, reason: str, target: str) -> str:
    """The action runs inside the incident's transaction; the backup must see committed
    data and must not run inside a write transaction, so it starts after the commit
    (its run, good or failed, is recorded and audited on its own)."""
    if RunStatus.RUNNING in BackupRun.objects.filter(status=RunStatus.RUNNING).values_list(
        "status", flat=True
    ):
        raise ValidationError(_("已有备份正在进行，请稍后再试。"))
    tag = f"incident-{incident.pk}"
    transaction.on_commit(lambda: tasks.backup_now.enqueue(actor.pk, tag))
    return _("已开始备份（标签 %(tag)s），结果见“备份与恢复”页面") % {"tag": tag}


def register() -> None:
    register_playbook_action(
        "backup.snapshot",
        gettext_lazy("立即备份（数据库、附件、网站、审计归档、密钥）"),
        snapshot_now,
        roles=(RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN),
    )
