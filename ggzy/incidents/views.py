"""The incident response screens (应急响应 menu): alerts, incidents with the live
report clock, playbook steps and actions, evidence, timeline, the 第九条 report,
figures; and the acknowledge link of notifications (``/api/incidents/ack/…``).

Every write goes through ``services``; a refusal shows the service's Chinese
message and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ggzy.accounts.models import User
from ggzy.audit import services as audit
from ggzy.core.exports import XLSX_CONTENT_TYPE
from ggzy.core.forms import apply_errors

from . import registers, reports, selectors, services
from .actions import action_for
from .choices import (
    IncidentStatus,
    IncidentType,
    ReportBody,
    ReportChannel,
    ReportKind,
    Severity,
)
from .forms import IncidentEditForm
from .models import Alert, Drill, Evidence, Incident, InvestigationReport
from .permissions import can_dismiss, can_respond, can_view
from .reports import investigation_pdf


def _forbidden(request, message: str) -> TemplateResponse:
    return TemplateResponse(
        request,
        "incidents/forbidden.html",
        {"page_title": _("无权访问"), "header_icon": "warning", "message": message},
        status=403,
    )


def _refused(request):
    if can_view(request.user):
        return None
    return _forbidden(request, _("只有应急处置人员、审计管理员和领导小组可以查看安全事件。"))


def _errors(exc) -> list[str]:
    return list(getattr(exc, "messages", None) or [str(exc)])


# --------------------------------------------------------------------------- alerts


def alerts(request):
    if refused := _refused(request):
        return refused
    status = request.GET.get("status", "")
    rows = Alert.objects.select_related("incident")
    rows = rows.filter(status=status) if status else selectors.open_alerts()
    return TemplateResponse(
        request,
        "incidents/alerts.html",
        {
            "page_title": _("告警"),
            "header_icon": "warning",
            "alerts": rows[:200],
            "status": status,
            "statuses": Alert._meta.get_field("status").choices,
        },
    )


def alert(request, pk: int):
    if refused := _refused(request):
        return refused
    item = get_object_or_404(Alert, pk=pk)
    errors = []
    if request.method == "POST":
        try:
            if request.POST.get("op") == "dismiss":
                services.alert_dismiss(alert=item, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("告警已忽略。"))
                return redirect("incidents_alerts")
            target = request.POST.get("incident")
            incident = Incident.objects.filter(pk=target).first() if target else None
            incident = services.alert_promote(alert=item, actor=request.user, incident=incident)
            messages.success(request, _("告警已转为安全事件 #%(pk)s。") % {"pk": incident.pk})
            return redirect("incidents_detail", incident.pk)
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
    return TemplateResponse(
        request,
        "incidents/alert.html",
        {
            "page_title": _("告警"),
            "header_title": item.title,
            "header_icon": "warning",
            "alert": item,
            "errors": errors,
            "can_respond": can_respond(request.user),
            "can_dismiss": can_dismiss(request.user),
            "open_incidents": Incident.objects.filter(
                status__in=[IncidentStatus.OPEN, IncidentStatus.CONTAINED, IncidentStatus.RECOVERED]
            )[:50],
        },
    )


# --------------------------------------------------------------------------- incidents


def index(request):
    if refused := _refused(request):
        return refused
    return TemplateResponse(
        request,
        "incidents/index.html",
        {
            "page_title": _("安全事件"),
            "header_icon": "warning",
            "incidents": Incident.objects.select_related("owner")[:200],
            "open_alerts": selectors.open_alerts().count(),
            "can_respond": can_respond(request.user),
        },
    )


def new(request):
    if not can_respond(request.user):
        return _forbidden(request, _("只有应急处置人员可以登记安全事件。"))
    errors, data = [], request.POST if request.method == "POST" else {}
    if request.method == "POST":
        detected = parse_datetime(data.get("detected_at", "")) if data.get("detected_at") else None
        if detected is not None and timezone.is_naive(detected):
            detected = timezone.make_aware(detected)
        try:
            incident = services.incident_open(
                actor=request.user,
                title=data.get("title", ""),
                incident_type=data.get("incident_type", ""),
                severity=data.get("severity", Severity.GENERAL),
                detected_at=detected,
                description=data.get("description", ""),
                affected_systems=data.get("affected_systems", ""),
                is_drill=data.get("is_drill") == "on",
            )
            return redirect("incidents_detail", incident.pk)
        except ValidationError as exc:
            errors = _errors(exc)
    return TemplateResponse(
        request,
        "incidents/new.html",
        {
            "page_title": _("登记安全事件"),
            "header_icon": "warning",
            "errors": errors,
            "data": data,
            "types": IncidentType.choices,
            "severities": Severity.choices,
        },
    )


def edit(request, pk: int):
    incident = get_object_or_404(Incident, pk=pk)
    if not can_respond(request.user):
        return _forbidden(request, _("只有应急处置人员可以修改安全事件。"))
    if incident.is_finished:
        messages.error(request, _("该安全事件已关闭，不能再修改。"))
        return redirect("incidents_detail", incident.pk)
    form = IncidentEditForm(request.POST or None, incident=incident)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(incident=incident, actor=request.user, **form.changes())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("incidents_detail", incident.pk)
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("保存"),
            "header_title": f"#{incident.pk} {incident.title}",
            "page_title": _("修改安全事件"),
        },
    )


def detail(request, pk: int):
    if refused := _refused(request):
        return refused
    incident = get_object_or_404(Incident.objects.select_related("owner", "reporter"), pk=pk)
    steps = []
    for step in incident.steps.select_related("done_by"):
        step.actions = [a for a in (action_for(k) for k in step.action_keys) if a is not None]
        steps.append(step)
    report = InvestigationReport.objects.filter(incident=incident).select_related("signed_off_by").first()
    lead = services.leadership_lead()
    drill = Drill.objects.filter(incident=incident).first() if incident.is_drill else None
    return TemplateResponse(
        request,
        "incidents/detail.html",
        {
            "page_title": _("安全事件"),
            "header_title": f"#{incident.pk} {incident.title}",
            "header_icon": "warning",
            "incident": incident,
            "clock": selectors.clock(incident),
            "steps": steps,
            "reports": incident.reports.select_related("reported_by"),
            "notifications": incident.notifications.all(),
            "timeline": incident.timeline.select_related("actor"),
            "evidence": incident.evidence.select_related("added_by"),
            "follow_ups": incident.follow_ups.select_related("owner"),
            "investigation": report,
            "drill": drill,
            "can_respond": can_respond(request.user) and not incident.is_finished,
            "can_dismiss": can_dismiss(request.user) and not incident.is_finished,
            "can_sign_off": lead is not None and lead.pk == request.user.pk,
            "channels": ReportChannel.choices,
            "bodies": ReportBody.choices,
            "report_kinds": ReportKind.choices,
            "statuses": [(k, v) for k, v in IncidentStatus.choices if k in ("contained", "recovered")],
            "users": User.objects.filter(is_active=True).order_by("username")[:300],
            "investigation_fields": [
                (
                    f,
                    Incident._meta.apps.get_model("incidents", "InvestigationReport")
                    ._meta.get_field(f)
                    .verbose_name,
                )
                for f in services.INVESTIGATION_FIELDS
            ],
        },
    )


def _op(request, incident: Incident, op: str) -> str:
    actor, post = request.user, request.POST
    if op == "report":
        reported_at = parse_datetime(post.get("reported_at", "")) if post.get("reported_at") else None
        if reported_at is not None and timezone.is_naive(reported_at):
            reported_at = timezone.make_aware(reported_at)
        services.incident_report_record(
            incident=incident,
            actor=actor,
            channel=post.get("channel", ""),
            recipients=post.get("recipients", ""),
            body=post.get("body", ReportBody.LEADERSHIP),
            reported_at=reported_at,
            note=post.get("note", ""),
        )
        return _("已记录报告。")
    if op == "notify":
        services.incident_notify(incident=incident, actor=actor)
        return _("已通知领导小组。")
    if op == "step":
        step = get_object_or_404(incident.steps, pk=post.get("step"))
        services.step_complete(step=step, actor=actor, note=post.get("note", ""))
        return _("步骤已完成。")
    if op == "action":
        result = services.playbook_action_run(
            incident=incident,
            key=post.get("key", ""),
            actor=actor,
            reason=post.get("reason", ""),
            confirmed=post.get("confirm") == "on",
            target=post.get("target", ""),
        )
        return result
    if op == "note":
        services.incident_note(incident=incident, actor=actor, text=post.get("text", ""))
        return _("已记录。")
    if op == "status":
        services.incident_set_status(
            incident=incident, actor=actor, status=post.get("status", ""), note=post.get("note", "")
        )
        return _("状态已更新。")
    if op == "evidence":
        services.evidence_add(
            incident=incident,
            actor=actor,
            files=request.FILES.getlist("files"),
            description=post.get("description", ""),
        )
        return _("证据已保存。")
    if op == "investigation":
        services.investigation_save(
            incident=incident,
            actor=actor,
            kind=post.get("kind", ReportKind.INVESTIGATION),
            **{f: post.get(f, "") for f in services.INVESTIGATION_FIELDS},
        )
        return _("调查报告已保存。")
    if op == "follow_up":
        due = parse_date(post.get("due_on", "") or "")
        owner = User.objects.filter(pk=post.get("owner") or 0).first()
        if due is None:
            raise ValidationError(_("请填写完成期限（YYYY-MM-DD）。"))
        services.follow_up_add(
            incident=incident, actor=actor, text=post.get("text", ""), owner=owner, due_on=due
        )
        return _("整改措施已添加。")
    if op == "follow_up_done":
        follow_up = get_object_or_404(incident.follow_ups, pk=post.get("follow_up"))
        services.follow_up_done(follow_up=follow_up, actor=actor, note=post.get("note", ""))
        return _("整改措施已完成。")
    if op == "sign_off":
        services.investigation_sign_off(incident=incident, actor=actor)
        return _("调查报告已签批。")
    if op == "close":
        services.incident_close(incident=incident, actor=actor)
        return _("安全事件已关闭。")
    if op == "error":
        services.incident_mark_error(incident=incident, actor=actor, reason=post.get("reason", ""))
        return _("已标记为错误开立。")
    raise ValidationError(_("未知的操作。"))


@require_POST
def act(request, pk: int):
    if refused := _refused(request):
        return refused
    incident = get_object_or_404(Incident, pk=pk)
    try:
        messages.success(request, _op(request, incident, request.POST.get("op", "")))
    except (ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect(reverse("incidents_detail", args=[pk]) + f"#{request.POST.get('op', '')}")


def report_pdf(request, pk: int):
    if refused := _refused(request):
        return refused
    incident = get_object_or_404(Incident, pk=pk)
    report = InvestigationReport.objects.filter(incident=incident).first()
    if report is None:
        raise Http404
    # The signed-off file as kept; before the sign-off, a draft from the current data.
    data = report.pdf.read() if report.pdf else investigation_pdf(incident=incident, report=report)
    audit.record(
        action="incidents.report.exported", actor=request.user, obj=incident, signed=bool(report.pdf)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="incident-{incident.pk}-report.pdf"'
    return response


def evidence(request, pk: int):
    if refused := _refused(request):
        return refused
    item = get_object_or_404(Evidence, pk=pk)
    audit.record(
        action="incidents.evidence.downloaded", actor=request.user, obj=item.incident, sha256=item.sha256
    )
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _period(request) -> tuple[str, dt.date, dt.date]:
    """?period=YYYY or YYYY-MM (default: this month); ValueError for anything else."""
    period = request.GET.get("period") or timezone.localdate().strftime("%Y-%m")
    if re.fullmatch(r"\d{4}", period):
        start = dt.date(int(period), 1, 1)
        return period, start, dt.date(start.year + 1, 1, 1)
    if not re.fullmatch(r"\d{4}-\d{2}", period):
        raise ValueError(period)
    year, month = (int(x) for x in period.split("-"))
    start = dt.date(year, month, 1)
    return period, start, dt.date(year + (month == 12), month % 12 + 1, 1)


def figures(request):
    if refused := _refused(request):
        return refused
    try:
        period, start, end = _period(request)
    except ValueError:
        messages.error(request, _("期间格式应为 YYYY 或 YYYY-MM。"))
        return redirect("incidents_figures")
    f = selectors.figures(start=start, end=end)
    return TemplateResponse(
        request,
        "incidents/figures.html",
        {
            "page_title": _("应急统计"),
            "header_icon": "table",
            "period": period,
            "f": f,
            "chart": reports.trend_chart(f),
        },
    )


def figures_export(request, kind: str):
    if refused := _refused(request):
        return refused
    try:
        period, start, end = _period(request)
    except ValueError:
        messages.error(request, _("期间格式应为 YYYY 或 YYYY-MM。"))
        return redirect("incidents_figures")
    f = selectors.figures(start=start, end=end)
    if kind == "pdf":
        body, content_type = reports.figures_pdf(f, period=period), "application/pdf"
    else:
        body, content_type = reports.figures_xlsx(f, period=period), XLSX_CONTENT_TYPE
    audit.record(action="incidents.figures.exported", actor=request.user, period=period, format=kind)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, _("应急统计-%(p)s.%(k)s") % {"p": period, "k": kind}
    )
    return response


# --------------------------------------------------------------------------- acknowledge link


@csrf_exempt  # the link in an SMS or e-mail; the signed token is the credential
def acknowledge(request, token: str):
    if request.method == "POST":
        notification = services.notification_acknowledge(token=token, by=request.POST.get("by", ""))
        if notification is None:
            raise Http404
        return TemplateResponse(request, "incidents/ack.html", {"done": True, "notification": notification})
    try:
        signing.loads(token, salt=services.ACK_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    return TemplateResponse(request, "incidents/ack.html", {"done": False})


# --------------------------------------------------------------------------- readiness registers


def _submit_evidence(request, register, row) -> None:
    """第十四–十六条: a held drill or training becomes its year's evidence; the record
    is kept even when the evidence is refused (the refusal is audited by compliance)."""
    try:
        occurrence = registers.register_submit_evidence(register=register, row=row, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.warning(request, _("记录已保存，但未能作为年度义务的凭证提交：%(r)s") % {"r": reason})
        return
    if occurrence is not None:
        messages.success(request, _("已作为“%(o)s”的凭证提交。") % {"o": occurrence})


def register_edit(request, key, pk=None):
    return registers.READINESS.edit_view(request, key, pk, after=_submit_evidence)
