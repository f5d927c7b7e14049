"""Live checks and the drill obligation of backup, registered with compliance
(imported in BackupConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check, register_obligation

from .choices import RunStatus
from .models import BackupRun, RestoreDrill

LINKS = ((gettext_lazy("备份与恢复"), "/admin/backup/"),)
DRILL_DAYS = 35  # monthly, with a few days' grace


@register_check("yjya.12", "sb.13")
def last_good_backup_recent(*, today: dt.date) -> CheckResult:
    """应急预案 第十二条 / 网络设备管理制度 第十三条: a good backup within BACKUP_MAX_AGE_HOURS."""
    last = (
        BackupRun.objects.filter(status=RunStatus.SUCCEEDED)
        .order_by("-finished_at")
        .values("finished_at", "snapshot_id")
        .first()
    )
    if last is None:
        return CheckResult(Status.NO_DATA, _("尚无成功的备份"), LINKS)
    age = timezone.now() - last["finished_at"]
    when = timezone.localtime(last["finished_at"]).strftime("%Y-%m-%d %H:%M")
    if age > dt.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS):
        return CheckResult(
            Status.FAILING,
            _("最近一次成功备份在 %(when)s，已超过 %(hours)d 小时")
            % {"when": when, "hours": settings.BACKUP_MAX_AGE_HOURS},
            LINKS,
        )
    return CheckResult(
        Status.MET,
        _("最近一次成功备份：%(when)s（快照 %(id)s）") % {"when": when, "id": last["snapshot_id"]},
        LINKS,
    )


@register_check("yjya.12")
def restore_drill_recent(*, today: dt.date) -> CheckResult:
    """应急预案 第十二条 可紧急恢复: the latest restore drill passed within the month."""
    last = (
        RestoreDrill.objects.exclude(status=RunStatus.RUNNING)
        .select_related("started_by")
        .order_by("-started_at")
        .first()
    )
    if last is None:
        return CheckResult(Status.NO_DATA, _("尚无恢复演练记录（每月一次）"), LINKS)
    when = timezone.localtime(last.started_at)
    # The drill's evidence (also of the scheduled drill no person ran): its PDF report.
    links = LINKS
    if last.report:
        links = (*LINKS, (_("演练报告 #%(pk)d") % {"pk": last.pk}, f"/admin/backup/drills/{last.pk}/report/"))
    if last.status != RunStatus.SUCCEEDED:
        return CheckResult(Status.FAILING, _("%(when)s 的恢复演练失败") % {"when": f"{when:%Y-%m-%d}"}, links)
    if today - when.date() > dt.timedelta(days=DRILL_DAYS):
        return CheckResult(
            Status.OVERDUE,
            _("最近一次恢复演练在 %(when)s，已超过一个月") % {"when": f"{when:%Y-%m-%d}"},
            links,
        )
    who = last.started_by.get_username() if last.started_by_id else _("计划任务")
    return CheckResult(
        Status.MET,
        _("%(when)s 的恢复演练通过（%(who)s；快照 %(id)s，校验 %(files)d 个文件、%(rows)d 行）")
        % {
            "when": f"{when:%Y-%m-%d}",
            "who": who,
            "id": last.snapshot_id,
            "files": last.files_checked,
            "rows": last.rows_checked,
        },
        links,
    )


# 应急预案 第十二条: every month the newest backup is restored onto an empty directory and
# database and verified; the drill's result is the evidence (ggzy.backup.drills).
register_obligation(
    key="backup-restore-drill",
    title=_("备份恢复演练"),
    clauses=["yjya.12"],
    owner_role=RoleKey.SYSTEM_ADMIN,
    rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
    starts_on=dt.date(2026, 1, 1),
    non_working_day="previous",
    evidence="none",
    checklist=[
        {
            "key": "restored",
            "label": _("最新备份已恢复到空目录和空数据库并全部校验通过"),
            "type": "yes_no",
            "expected": True,
        },
        {"key": "snapshot", "label": _("演练所用快照"), "type": "text"},
    ],
)
