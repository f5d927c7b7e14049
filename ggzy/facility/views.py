"""Admin screens of the facility records (网络机房管理制度, 监控管理制度). Every write
goes through ``services``; who may open what is ``rules``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ggzy.core.forms import apply_errors

from . import forms, rules, selectors, services
from .choices import RoomKind
from .models import DutyLog, Recording, Room, ViewingRequest, Visit
from .uploads import HashingUploadHandler

CHART_DAYS = {"day": 1, "week": 7, "month": 30}


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权访问机房与监控室管理的此页面。"))


def index(request):
    _need(rules.may_see_rooms(request.user))
    rows = selectors.rooms_overview()
    for row in rows:
        row["may_keep"] = rules.may_keep_room(request.user, row["room"])
    return TemplateResponse(
        request,
        "facility/admin/index.html",
        {
            "rows": rows,
            "today": timezone.localdate(),
            "header_title": _("机房值班"),
            "page_title": _("机房值班"),
        },
    )


def room_detail(request, pk: int):
    _need(rules.may_see_rooms(request.user))
    room = get_object_or_404(Room, pk=pk)
    period = request.GET.get("period", "day")
    if period not in CHART_DAYS:
        period = "day"
    return TemplateResponse(
        request,
        "facility/admin/room.html",
        {
            "room": room,
            "sensors": room.sensors.all(),
            "chart": selectors.room_chart(room=room, days=CHART_DAYS[period]),
            "period": period,
            "periods": [("day", _("日")), ("week", _("周")), ("month", _("月"))],
            "logs": room.duty_logs.select_related("author", "signed_by")[:60],
            "may_keep": rules.may_keep_room(request.user, room),
            "header_title": room.name,
            "page_title": room.name,
        },
    )


def duty_log(request, pk: int, day: str):
    """一(三): the day's log, pre-filled from the sensors; the keeper confirms."""
    room = get_object_or_404(Room, pk=pk)
    _need(rules.may_keep_room(request.user, room))
    try:
        the_day = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    existing = DutyLog.objects.filter(room=room, day=the_day).first()
    prefill = services.duty_log_prefill(room=room, day=the_day)
    if request.method == "POST":
        form = forms.DutyLogForm(request.POST)
        if form.is_valid():
            try:
                services.duty_log_save(room=room, day=the_day, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("值班记录已保存。"))
                return redirect("facility_room", pk=room.pk)
    else:
        initial = {f: getattr(existing, f) for f in services.DUTY_FIELDS} if existing else {}
        if not existing:
            initial = {**prefill, "other_people": services.duty_log_visitors(room=room, day=the_day)}
        if "power_normal" in initial:  # the radio's values are "1"/"0"
            initial["power_normal"] = "1" if initial["power_normal"] else "0"
        form = forms.DutyLogForm(initial=initial)
    title = _("%(room)s %(day)s 值班记录") % {"room": room.name, "day": the_day.isoformat()}
    return TemplateResponse(
        request,
        "facility/admin/duty_log.html",
        {
            "room": room,
            "form": form,
            "prefill": prefill,
            "existing": existing,
            "header_title": title,
            "page_title": title,
        },
    )


@require_POST
def duty_log_sign(request, pk: int):
    log = get_object_or_404(DutyLog, pk=pk)
    _need(rules.may_keep_room(request.user, log.room))
    try:
        services.duty_log_sign(log=log, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("已交班签收。"))
    return redirect("facility_room", pk=log.room_id)


# --------------------------------------------------------------------------- 监控 四: viewing requests


def viewing_index(request):
    _need(rules.may_see_viewings(request.user))
    items, lendable = list(selectors.viewings()), selectors.lendable_by_code()
    for item in items:
        item.lendable = lendable.get(item.project_code, []) if item.state == "approved" else []
    return TemplateResponse(
        request,
        "facility/admin/viewings.html",
        {
            "items": items,
            "may_file": rules.may_file_viewing(request.user),
            "may_decide": rules.may_decide_viewing(request.user),
            "decision_form": forms.DecisionForm(),
            "record_form": forms.ViewingRecordForm(),
            "header_title": _("录像调阅"),
            "page_title": _("录像调阅"),
        },
    )


def viewing_new(request):
    _need(rules.may_file_viewing(request.user))
    form = forms.ViewingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.viewing_request_file(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("调阅申请已登记，待交易监督科负责人审批。"))
            return redirect("facility_viewings")
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("登记申请"),
            "intro": _("监控管理制度 四：相关监督执法部门调阅监控录像、光盘资料，须经审批。"),
            "header_title": _("登记调阅申请"),
            "page_title": _("登记调阅申请"),
        },
    )


@require_POST
def viewing_act(request, pk: int, action: str):
    _need(rules.may_see_viewings(request.user))
    item = get_object_or_404(ViewingRequest, pk=pk)
    try:
        if action == "decide":
            form = forms.DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请选择审批意见。"))
            services.viewing_request_decide(request=item, actor=request.user, **form.cleaned_data)
        elif action == "record":
            form = forms.ViewingRecordForm(
                request.POST, recordings=selectors.recordings_of(item.project_code)
            )
            if not form.is_valid():
                raise ValidationError(_("请选择本项目的存档录像。"))
            services.viewing_record(
                request=item,
                actor=request.user,
                record=form.cleaned_data.get("record", ""),
                recordings=form.cleaned_data.get("recordings", []),
            )
        else:
            services.viewing_return(request=item, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("已保存。"))
    return redirect(reverse("facility_viewings") + f"#viewing-{item.pk}")


# ------------------------------------------------------------- the recording archive (监控 三、四)


def recording_index(request):
    _need(rules.may_see_viewings(request.user))
    return TemplateResponse(
        request,
        "facility/admin/recordings.html",
        {
            "items": selectors.recordings(),
            "may_archive": rules.may_file_viewing(request.user),
            "header_title": _("监控录像存档"),
            "page_title": _("监控录像存档"),
        },
    )


@csrf_exempt  # the upload handler is set before the body is read; CSRF is checked below
def recording_new(request):
    request.upload_handlers = [HashingUploadHandler(request)]
    return _recording_new(request)


@csrf_protect
def _recording_new(request):
    _need(rules.may_file_viewing(request.user))
    form = forms.RecordingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recording_archive(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("录像已存档。"))
            return redirect("facility_recordings")
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("存档"),
            "intro": _(
                "监控管理制度 三、四：重点项目刻录光盘或导出存档；存档后不得删除、更改，外借须经审批。"
            ),
            "header_title": _("录像存档"),
            "page_title": _("录像存档"),
        },
    )


def recording_file(request, pk: int):
    _need(rules.may_see_viewings(request.user))
    recording = get_object_or_404(Recording, pk=pk)
    try:
        services.recording_copy_allowed(actor=request.user, recording=recording)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("facility_recordings")
    response = FileResponse(recording.file.open("rb"), as_attachment=True, filename=recording.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------- visitors (二(八)、三(四)(五); 监控 六)


def _kept_rooms(user):
    kinds = [kind for kind in RoomKind.values if rules.KEEPERS[kind] in rules.role_keys(user)]
    return Room.objects.filter(kind__in=kinds)


def visit_index(request):
    _need(rules.may_see_visits(request.user))
    items = list(Visit.objects.select_related("room", "decided_by")[:500])
    for item in items:
        item.may_decide = rules.may_approve_visit(request.user, item.room)
        item.may_keep = rules.may_keep_room(request.user, item.room)
    return TemplateResponse(
        request,
        "facility/admin/visits.html",
        {
            "items": items,
            "may_file": _kept_rooms(request.user).exists(),
            "decision_form": forms.DecisionForm(),
            "entry_form": forms.EntryForm(),
            "header_title": _("进入机房登记"),
            "page_title": _("进入机房登记"),
        },
    )


def visit_new(request):
    rooms = _kept_rooms(request.user)
    _need(bool(rules.role_keys(request.user) & set(rules.KEEPERS.values())))
    form = forms.VisitForm(request.POST or None, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("进入申请已登记，待机房负责人批准。"))
            return redirect("facility_visits")
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("登记申请"),
            "intro": _("网络机房管理制度 二(八)：没有特殊情况并得到批准，机房内不准外人随意出入。"),
            "header_title": _("登记进入申请"),
            "page_title": _("登记进入申请"),
        },
    )


@require_POST
def visit_act(request, pk: int, action: str):
    _need(rules.may_see_visits(request.user))
    visit = get_object_or_404(Visit, pk=pk)
    try:
        if action == "decide":
            form = forms.DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请选择审批意见。"))
            services.visit_decide(visit=visit, actor=request.user, **form.cleaned_data)
        elif action == "enter":
            form = forms.EntryForm(request.POST)
            form.is_valid()
            services.visit_enter(
                visit=visit,
                actor=request.user,
                id_checked=form.cleaned_data.get("id_checked", False),
                overshoes=form.cleaned_data.get("overshoes", False),
            )
        else:
            services.visit_leave(visit=visit, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("已保存。"))
    return redirect(reverse("facility_visits") + f"#visit-{visit.pk}")
