"""The backup screen (应急预案 第十二条): runs and drills for the 系统管理员 (who may
start either), the 审计管理员 and the 安全管理员 (read). No restore button: restoring
is done on the command line (docs/backup.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import rules, selectors, tasks
from .drills import last_good_backup


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权访问备份与恢复的此页面。"))


def index(request):
    _need(rules.may_see(request.user))
    return TemplateResponse(
        request,
        "backup/admin/index.html",
        {
            "runs": selectors.recent_runs(),
            "drills": selectors.recent_drills(),
            "last_good": last_good_backup(),
            "repository": settings.BACKUP_REPOSITORY,
            "max_age_hours": settings.BACKUP_MAX_AGE_HOURS,
            "may_run": rules.may_run(request.user),
            "header_title": _("备份与恢复"),
            "page_title": _("备份与恢复"),
        },
    )


@require_POST
def start_backup(request):
    _need(rules.may_run(request.user))
    tasks.backup_now.enqueue(request.user.pk)
    messages.success(request, _("备份已开始，完成后显示在下方列表中。"))
    return redirect("backup_index")


@require_POST
def start_drill(request):
    _need(rules.may_run(request.user))
    tasks.restore_drill_now.enqueue(request.user.pk)
    messages.success(request, _("恢复演练已开始，完成后显示在下方列表中。"))
    return redirect("backup_index")
