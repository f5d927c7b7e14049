"""The backup screen (应急预案 第十二条): runs and drills for the 系统管理员 (who may
start either), the 审计管理员 and the 安全管理员 (read). No restore button: restoring
is done on the command line (docs/backup.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import rules, selectors, tasks
from .drills import drill_submit_evidence, last_good_backup
from .models import RestoreDrill


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


def drill_report(request, pk: int):
    """The drill's PDF report (its evidence), as stored at the end of the drill."""
    _need(rules.may_see(request.user))
    drill = get_object_or_404(RestoreDrill, pk=pk)
    if not drill.report:
        raise Http404(_("该次演练没有报告。"))
    response = FileResponse(
        drill.report.open("rb"),
        as_attachment=True,
        filename=f"restore-drill-{drill.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def submit_drill(request, pk: int):
    """A 系统管理员 submits a drill that ran on schedule (no person) as the evidence of the
    open drill obligation (compliance completes occurrences only for a person)."""
    _need(rules.may_run(request.user))
    drill = get_object_or_404(RestoreDrill, pk=pk)
    try:
        occurrence = drill_submit_evidence(drill=drill, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(
            request,
            _("恢复演练 #%(pk)d 已作为“%(obligation)s”（%(due)s 到期）的凭证提交。")
            % {"pk": drill.pk, "obligation": occurrence.obligation, "due": f"{occurrence.due_on:%Y-%m-%d}"},
        )
    return redirect("backup_index")
