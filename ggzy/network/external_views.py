"""Admin screens of the external connections (外联, 网络安全管理办法 二(七)(九)(十)) and
the wireless exceptions (二(八)). They show topology and addresses: only the
网络管理员, the 安全管理员 and the 审计管理员 (read-only) open them (四(三)). The
网络管理员 registers; the 安全管理员 decides (``external.may_decide``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ggzy.core.forms import apply_errors

from . import external, rules
from .choices import ApprovalState, ConnectionKind
from .external_forms import ConnectionForm, DecisionForm, RetireForm, WirelessForm
from .models import ExternalConnection, WirelessException


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权访问外联与无线接入登记。"))


def _may_retire(user, row) -> bool:
    return row.state != ApprovalState.RETIRED and (rules.may_keep(user) or rules.may_approve(user))


# --------------------------------------------------------------------------- 外联


def connections(request):
    _need(rules.may_see_confidential(request.user))
    rows = ExternalConnection.objects.select_related("registered_by", "approver").prefetch_related("points")
    return TemplateResponse(
        request,
        "network/admin/connections.html",
        {
            "connections": rows[:500],
            "procedures": [(ConnectionKind(k).label, p.describe()) for k, p in external.PROCEDURES.items()],
            "may_keep": rules.may_keep(request.user),
            "page_title": _("外联登记"),
            "header_title": _("外联登记"),
        },
    )


def _edit(request, *, form_class, model, save, pk, title, intro, done, detail_url):
    _need(rules.may_keep(request.user))
    instance = get_object_or_404(model, pk=pk) if pk else None
    if instance is not None and instance.state == ApprovalState.RETIRED:
        messages.error(request, _("已停用的登记不能修改，请重新登记。"))
        return redirect(detail_url, pk=instance.pk)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            row = save(instance=instance, data=request.POST, actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(detail_url, pk=row.pk)
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {"form": form, "submit": _("保存"), "intro": intro, "page_title": title, "header_title": title},
    )


def connection_edit(request, pk: int | None = None):
    return _edit(
        request,
        form_class=ConnectionForm,
        model=ExternalConnection,
        save=external.connection_save,
        pk=pk,
        title=_("登记外联"),
        intro=_(
            "网络安全管理办法 二(七)：明确外联种类，按种类履行授权与批准程序，并具备连接策略及控制措施；"
            "二(九)：互联网接入须有防火墙并做地址转换；二(十)：互连点实施访问控制、考虑冗余、纳入网管监控。"
            "保存后须由安全管理员重新审批。"
        ),
        done=_("外联已登记，待安全管理员审批。"),
        detail_url="network_connection",
    )


def _decide(request, row, decide, detail_url):
    """The POST of the decision form on a detail page; the form back on an error."""
    if not external.may_decide(request.user, row):
        raise PermissionDenied(_("由安全管理员审批，登记人或申请人不能审批自己的登记。"))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decide(request.user, row, form.cleaned_data["approve"], form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已审批。"))
            return None, redirect(detail_url, pk=row.pk)
    return form, None


def connection_detail(request, pk: int):
    _need(rules.may_see_confidential(request.user))
    connection = get_object_or_404(
        ExternalConnection.objects.select_related("registered_by", "approver"), pk=pk
    )
    form = DecisionForm()
    if request.method == "POST":
        form, done = _decide(
            request,
            connection,
            lambda actor, row, approve, note: external.connection_decide(
                actor=actor, connection=row, approve=approve, note=note
            ),
            "network_connection",
        )
        if done is not None:
            return done
    procedure = external.PROCEDURES[connection.kind]
    return TemplateResponse(
        request,
        "network/admin/connection.html",
        {
            "connection": connection,
            "points": connection.points.all(),
            "segments": connection.segments.all(),
            "controls": [
                (label, getattr(connection, name)) for name, label in external.CONTROL_LABELS.items()
            ],
            "procedure": procedure.describe(),
            "missing": [label for label, _clause in procedure.missing(connection)],
            "form": form,
            "retire_form": RetireForm(),
            "may_decide": external.may_decide(request.user, connection),
            "may_edit": rules.may_keep(request.user) and connection.state != ApprovalState.RETIRED,
            "may_retire": _may_retire(request.user, connection),
            "page_title": _("外联"),
            "header_title": connection.name,
        },
    )


def _retire(request, row, retire, detail_url):
    if not (rules.may_keep(request.user) or rules.may_approve(request.user)):
        raise PermissionDenied(_("由网络管理员或安全管理员停用。"))
    form = RetireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("停用须说明原因。"))
    else:
        try:
            retire(request.user, row, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, _("；").join(exc.messages))
        else:
            messages.success(request, _("已停用。"))
    return redirect(detail_url, pk=row.pk)


@require_POST
def connection_retire(request, pk: int):
    connection = get_object_or_404(ExternalConnection, pk=pk)
    return _retire(
        request,
        connection,
        lambda actor, row, reason: external.connection_retire(actor=actor, connection=row, reason=reason),
        "network_connection",
    )


# --------------------------------------------------------------------------- 无线接入例外


def wireless_list(request):
    _need(rules.may_see_confidential(request.user))
    rows = WirelessException.objects.select_related("requested_by", "approver", "segment")
    return TemplateResponse(
        request,
        "network/admin/wireless_list.html",
        {
            "exceptions": rows[:500],
            "may_keep": rules.may_keep(request.user),
            "page_title": _("无线接入例外"),
            "header_title": _("无线接入例外"),
        },
    )


def wireless_edit(request, pk: int | None = None):
    return _edit(
        request,
        form_class=WirelessForm,
        model=WirelessException,
        save=external.wireless_save,
        pk=pk,
        title=_("登记无线接入例外"),
        intro=_(
            "网络安全管理办法 二(八)：一般情况禁止无线接入，特殊情况须经信息安全部门组批准方可接入。"
            "例外须写明地点、用途、有效期（不超过一年）、加密方式与隔离网段；由安全管理员审批，申请人和登记人不能审批。"
        ),
        done=_("无线接入例外已登记，待安全管理员审批。"),
        detail_url="network_wireless",
    )


def wireless_detail(request, pk: int):
    _need(rules.may_see_confidential(request.user))
    exception = get_object_or_404(
        WirelessException.objects.select_related("requested_by", "registered_by", "approver", "segment"),
        pk=pk,
    )
    form = DecisionForm()
    if request.method == "POST":
        form, done = _decide(
            request,
            exception,
            lambda actor, row, approve, note: external.wireless_decide(
                actor=actor, exception=row, approve=approve, note=note
            ),
            "network_wireless",
        )
        if done is not None:
            return done
    return TemplateResponse(
        request,
        "network/admin/wireless.html",
        {
            "exception": exception,
            "access_points": exception.access_points.all(),
            "form": form,
            "retire_form": RetireForm(),
            "may_decide": external.may_decide(request.user, exception),
            "may_edit": rules.may_keep(request.user) and exception.state != ApprovalState.RETIRED,
            "may_retire": _may_retire(request.user, exception),
            "page_title": _("无线接入例外"),
            "header_title": str(exception),
        },
    )


@require_POST
def wireless_retire(request, pk: int):
    exception = get_object_or_404(WirelessException, pk=pk)
    return _retire(
        request,
        exception,
        lambda actor, row, reason: external.wireless_retire(actor=actor, exception=row, reason=reason),
        "network_wireless",
    )
