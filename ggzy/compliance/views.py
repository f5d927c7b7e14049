"""The compliance screens in the Wagtail admin (issue 21 §4).

The 安全管理员 and the 审计管理员 (read-only) see every clause: the overview per
regulation, the trend, each clause's drill-down with its evidence. Everyone
sees the obligations of their own roles (我的定期义务) and completes a due
occurrence there, through ``services.occurrence_complete``.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ggzy.accounts.models import User
from ggzy.audit import services as audit

from . import dashboard, reports, services
from .choices import AnswerType, EvidenceKind, Home, OccurrenceState, Regulation, Status
from .ical import feed_ics, feed_owner
from .models import CalendarFeed, Clause, FollowUp, Occurrence, OccurrenceAttachment

logger = logging.getLogger(__name__)


class FilterForm(forms.Form):
    regulation = forms.ChoiceField(
        label=gettext_lazy("制度"), required=False, choices=[("", gettext_lazy("全部")), *Regulation.choices]
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部")), *Status.choices]
    )
    home = forms.ChoiceField(
        label=gettext_lazy("落实方式"), required=False, choices=[("", gettext_lazy("全部")), *Home.choices]
    )


def _forbidden(request, message: str) -> TemplateResponse:
    """An explicit 403 page (Wagtail turns a raised PermissionDenied into a redirect)."""
    return TemplateResponse(
        request,
        "compliance/forbidden.html",
        {"page_title": _("无权访问"), "header_icon": "warning", "message": message},
        status=403,
    )


def _refusal(request):
    if dashboard.is_overseer(request.user):
        return None
    return _forbidden(request, _("只有安全管理员和审计管理员可以查看合规总览。"))


def overview(request):
    if refused := _refusal(request):
        return refused
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    regulation = filters.get("regulation", "")
    data = dashboard.overview(
        today=today, regulation=regulation, status=filters.get("status", ""), home=filters.get("home", "")
    )
    points = dashboard.trend(today=today, regulation=regulation)
    # The clause rows are formatted here, not in a template loop: ~300 rows render
    # several times faster this way (docs/compliance.md, Performance). Keys, statuses
    # and homes are identifiers and fixed labels, escaped once; citation and detail
    # are escaped per row.
    homes = {k: escape(str(v)) for k, v in Home.choices}
    statuses = {k: escape(str(v)) for k, v in Status.choices}
    link = escape(reverse("compliance_clause", args=["KEY"]))
    for block in data.blocks:
        block.html = mark_safe(  # noqa: S308 — every interpolated value is escaped above or here
            "\n".join(
                f'<tr id="clause-{key}" data-status="{r.status}"><td><a href="{link.replace("KEY", key)}">'
                f"{escape(r.citation)}</a> <small>{key}</small></td><td>{homes[r.home]}</td>"
                f'<td class="clause-status">{statuses[r.status]}</td><td>{escape(r.detail)}</td></tr>'
                for r in block.rows
                for key in (escape(r.key),)
            )
        )
    counts = [(s, str(Status(s).label), data.counts.get(s, 0)) for s in dashboard.STATUS_ORDER]
    return TemplateResponse(
        request,
        "compliance/overview.html",
        {
            "page_title": _("合规总览"),
            "header_icon": "tasks",
            "form": form,
            "data": data,
            "counts": counts,
            "chart": dashboard.trend_chart(points),
            "points": points,
            "today": today,
        },
    )


def clause(request, key: str):
    if refused := _refusal(request):
        return refused
    item = get_object_or_404(Clause, key=key)
    detail = dashboard.clause_detail(item, today=timezone.localdate())
    return TemplateResponse(
        request,
        "compliance/clause.html",
        {
            "page_title": _("条款详情"),
            "header_title": item.citation,
            "header_icon": "doc-full",
            "detail": detail,
            "clause": item,
        },
    )


def mine(request):
    today = timezone.localdate()
    open_, done = dashboard.my_occurrences(request.user, today=today)
    return TemplateResponse(
        request,
        "compliance/mine.html",
        {
            "page_title": _("我的定期义务"),
            "header_icon": "date",
            "open": open_,
            "done": done,
            "today": today,
            "horizon": dashboard.MY_HORIZON_DAYS,
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "followups": dashboard.my_followups(request.user),
        },
    )


def _occurrence(request, pk: int) -> Occurrence:
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("obligation", "done_by", "waived_by"), pk=pk
    )
    if not dashboard.may_open_occurrence(request.user, occurrence):
        raise Http404  # does not confirm that another role's duty exists
    return occurrence


def _items(obligation, values) -> list[dict]:
    """The checklist as form rows: each item with its input type, range and the value entered."""
    rows = []
    for item in obligation.checklist:
        rows.append(
            {
                **item,
                "is_yes_no": item["type"] == AnswerType.YES_NO,
                "is_number": item["type"] == AnswerType.NUMBER,
                "is_text": item["type"] == AnswerType.TEXT,
                "value": values.get(item["key"], ""),
                "required": item.get("required", True),
            }
        )
    return rows


def occurrence(request, pk: int):
    item = _occurrence(request, pk)
    obligation = item.obligation
    can_complete = dashboard.may_complete_occurrence(request.user, item)
    values: dict = {}
    errors: list[str] = []
    if request.method == "POST":
        if not can_complete:
            return _forbidden(request, _("您不能完成此项义务。"))
        values = {
            entry["key"]: request.POST.get(f"answer-{entry['key']}", "") for entry in obligation.checklist
        }
        try:
            services.occurrence_complete(
                occurrence=item,
                actor=request.user,
                answers=values,
                comment=request.POST.get("comment", "").strip(),
                files=request.FILES.getlist("evidence"),
                item_photos={
                    entry["key"]: request.FILES[f"photo-{entry['key']}"]
                    for entry in obligation.checklist
                    if f"photo-{entry['key']}" in request.FILES
                },
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        else:
            item.refresh_from_db()
            messages.success(
                request,
                _("已完成“%(title)s”（%(due)s），状态：%(state)s。")
                % {"title": obligation.title, "due": item.due_on, "state": item.get_state_display()},
            )
            return redirect("compliance_mine")
    accept = {
        EvidenceKind.PHOTO: "image/jpeg,image/png,image/webp",
    }.get(obligation.evidence, "")
    return TemplateResponse(
        request,
        "compliance/occurrence.html",
        {
            "page_title": _("义务待办"),
            "header_title": f"{obligation.title} {item.due_on:%Y-%m-%d}",
            "header_icon": "tick-inverse",
            "occurrence": item,
            "obligation": obligation,
            "items": _items(obligation, values),
            "attachments": item.attachments.select_related("uploaded_by"),
            "clauses": obligation.clauses.order_by("sort_order"),
            "can_complete": can_complete,
            "needs_evidence": obligation.evidence != EvidenceKind.NONE,
            "accept": accept,
            "errors": errors,
            "comment": request.POST.get("comment", "") if request.method == "POST" else "",
            "overseer": dashboard.is_overseer(request.user),
            **_followup_context(request, item),
        },
    )


# --------------------------------------------------------------------------- follow-ups (整改)


def _followup_context(request, item: Occurrence) -> dict:
    """The occurrence's follow-up actions, who may add one (owner role, 安全管理员) and
    close each (its owner, 安全管理员); the form offers the findings and the staff."""
    followups = list(item.followups.select_related("owner", "closed_by", "created_by"))
    for followup in followups:
        followup.can_close = followup.is_open and services.may_close_followup(request.user, followup)
    can_add = item.state == OccurrenceState.DONE_WITH_FINDINGS and services.may_create_followup(
        request.user, item
    )
    return {
        "followups": followups,
        "can_add_followup": can_add,
        "owners": User.objects.filter(is_active=True).order_by("username")[:500] if can_add else [],
        "today": timezone.localdate(),
    }


def _refused_messages(exc: Exception) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


@require_POST
def followup_add(request, pk: int):
    """Create a follow-up action from an occurrence's findings (services.followup_create)."""
    item = _occurrence(request, pk)
    if not services.may_create_followup(request.user, item):
        return _forbidden(request, _("您不能为此项义务制定整改措施。"))
    owner_pk = request.POST.get("owner", "")
    owner = User.objects.filter(pk=int(owner_pk), is_active=True).first() if owner_pk.isdigit() else None
    try:
        due_on = dt.date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        due_on = None
    try:
        followup = services.followup_create(
            occurrence=item,
            actor=request.user,
            action=request.POST.get("action", ""),
            owner=owner,
            due_on=due_on,
            finding_key=request.POST.get("finding_key", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in _refused_messages(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已制定整改措施“%(action)s”，责任人 %(owner)s，期限 %(due)s。")
            % {"action": followup.action, "owner": followup.owner, "due": followup.due_on},
        )
    return redirect("compliance_occurrence", pk=item.pk)


@require_POST
def followup_close(request, pk: int):
    """Close a follow-up action with its result (services.followup_close)."""
    followup = get_object_or_404(FollowUp, pk=pk)
    item = _occurrence(request, followup.occurrence_id)
    if not services.may_close_followup(request.user, followup):
        return _forbidden(request, _("只有整改责任人或安全管理员可以关闭整改措施。"))
    try:
        services.followup_close(followup=followup, actor=request.user, note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        for message in _refused_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("整改措施“%(action)s”已关闭。") % {"action": followup.action})
    return redirect("compliance_occurrence", pk=item.pk)


def attachment(request, pk: int):
    """An evidence file, to those who may open its occurrence."""
    item = get_object_or_404(OccurrenceAttachment.objects.select_related("occurrence__obligation"), pk=pk)
    if not dashboard.may_open_occurrence(request.user, item.occurrence):
        raise Http404
    content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        logger.error("compliance evidence %s (sha256 %s) is missing from storage", item.pk, item.sha256)
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def calendar(request):
    """The duties of one role as a month grid (义务日历)."""
    today = timezone.localdate()
    choices = dashboard.calendar_roles(request.user)
    keys = [key for key, _label in choices]
    role = request.GET.get("role") or (keys[0] if keys else "")
    if role not in keys:
        return _forbidden(request, _("您不能查看该角色的义务日历。"))
    try:
        year, month = (int(part) for part in request.GET.get("month", f"{today:%Y-%m}").split("-"))
        first = dt.date(year, month, 1)
    except (TypeError, ValueError):
        first = today.replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return TemplateResponse(
        request,
        "compliance/calendar.html",
        {
            "page_title": _("义务日历"),
            "header_icon": "calendar",
            "role": role,
            "roles": choices,
            "month": first,
            "previous": previous,
            "following": following,
            "weeks": dashboard.month_grid(role=role, year=first.year, month=first.month, today=today),
            "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
        },
    )


@require_POST
def feed(request):
    """Issue (or replace) or revoke the user's own iCalendar feed; the new URL is
    shown once, in a message (only its hash is kept)."""
    action = request.POST.get("action")
    if action not in ("issue", "revoke"):
        messages.error(request, _("未知的操作。"))
    elif action == "revoke":
        if services.calendar_feed_revoke(actor=request.user):
            messages.success(request, _("日历订阅地址已撤销，原地址不再可用。"))
        else:
            messages.info(request, _("您没有日历订阅地址。"))
    else:
        token = services.calendar_feed_issue(actor=request.user)
        url = request.build_absolute_uri(reverse("compliance_ical", args=[token]))
        messages.success(
            request,
            _("新的日历订阅地址（只显示这一次，请妥善保存，原地址已失效）：%(url)s") % {"url": url},
        )
    return redirect("compliance_mine")


def ical(request, token: str):
    """The iCalendar feed (no session: calendar apps fetch it with the secret URL)."""
    user = feed_owner(token)
    if user is None:
        raise Http404
    body = feed_ics(user, base_url=f"{request.scheme}://{request.get_host()}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="ggzy-duties.ics"'
    return response


def report(request):
    if refused := _refusal(request):
        return refused
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return TemplateResponse(
        request,
        "compliance/report.html",
        {"page_title": _("合规报告"), "header_icon": "doc-full", "default_period": f"{last_month:%Y-%m}"},
    )


def report_download(request):
    """The monthly or annual report as PDF or xlsx; the export is audited."""
    if refused := _refusal(request):
        return refused
    kind = request.GET.get("kind", reports.MONTHLY)
    fmt = request.GET.get("format", "pdf")
    try:
        parts = [int(p) for p in request.GET.get("period", "").split("-")]
        if kind == reports.ANNUAL and len(parts) == 1:
            year, month = parts[0], None
        elif kind == reports.MONTHLY and len(parts) == 2 and 1 <= parts[1] <= 12:
            year, month = parts
        else:
            raise ValueError
        if not 2000 <= year <= 2100 or fmt not in ("pdf", "xlsx"):
            raise ValueError
    except ValueError:
        messages.error(request, _("请按 YYYY-MM（月度）或 YYYY（年度）填写期间，并选择 PDF 或 Excel。"))
        return redirect("compliance_report")
    data = reports.build(kind=kind, year=year, month=month)
    audit.record(
        action="compliance.report.exported",
        actor=request.user,
        object_type="compliance.report",
        object_repr=data.title,
        kind=kind,
        period=request.GET["period"],
        format=fmt,
        evidence=len(data.evidence),
    )
    name = f"compliance-{kind}-{request.GET['period']}.{fmt}"
    if fmt == "pdf":
        body, content_type = reports.report_pdf(data), "application/pdf"
    else:
        body = reports.report_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
