"""Admin pages for departures (人员离岗离职信息安全管理规定): the 系统管理员 starts
one; the department head works through the checklist; anyone involved prints it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ggzy.accounts.services import can_manage_accounts

from .choices import DepartureItemKind
from .forms import DepartureStartForm
from .handover import handover_entries
from .models import Departure, DepartureItem
from .pdf import render_departure_pdf
from .selectors import can_see_departures, departures_visible_to
from .services import (
    can_sign_off,
    departure_acknowledge_confidentiality,
    departure_close,
    departure_item_add,
    departure_item_sign_off,
    departure_start,
)


def departure_index(request):
    if not can_see_departures(request.user):
        raise PermissionDenied(_("无权查看离岗离职手续。"))
    return TemplateResponse(
        request,
        "departures/admin/index.html",
        {
            "departures": departures_visible_to(request.user),
            "can_start": can_manage_accounts(request.user),
            "header_title": _("离岗离职"),
            "page_title": _("离岗离职"),
        },
    )


def departure_new(request):
    if not can_manage_accounts(request.user):
        raise PermissionDenied(_("只有系统管理员可以办理离岗离职。"))
    form = DepartureStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            departure = departure_start(
                user=form.cleaned_data["user"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                device_accounts=form.cleaned_data["device_accounts"].splitlines(),
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(
                request, _("已停用 %(user)s 的账号并撤销其全部角色。") % {"user": departure.user}
            )
            return redirect("departures_detail", pk=departure.pk)
    return TemplateResponse(
        request,
        "departures/admin/new.html",
        {"form": form, "header_title": _("办理离岗离职"), "page_title": _("办理离岗离职")},
    )


def _get(request, pk) -> Departure:
    if not can_see_departures(request.user):
        raise PermissionDenied(_("无权查看离岗离职手续。"))
    return get_object_or_404(departures_visible_to(request.user), pk=pk)


def departure_detail(request, pk):
    departure = _get(request, pk)
    return TemplateResponse(
        request,
        "departures/admin/detail.html",
        {
            "departure": departure,
            "items": departure.items.select_related("done_by"),
            "handover": handover_entries(departure.user),
            "can_sign_off": can_sign_off(request.user, departure),
            "item_kinds": DepartureItemKind.choices,
            "today": timezone.localdate(),
            "header_title": str(departure),
            "page_title": _("离岗离职手续"),
        },
    )


def _act(request, pk, action):
    departure = _get(request, pk)
    try:
        action(departure)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("departures_detail", pk=departure.pk)


@require_POST
def departure_sign_off(request, pk, item_pk):
    def action(departure):
        item = get_object_or_404(DepartureItem, pk=item_pk, departure=departure)
        departure_item_sign_off(item=item, actor=request.user, note=request.POST.get("note", "")[:200])

    return _act(request, pk, action)


@require_POST
def departure_add_item(request, pk):
    def action(departure):
        kind = request.POST.get("kind", "")
        if kind not in DepartureItemKind.values:
            raise ValidationError(_("请选择事项类型。"))
        departure_item_add(
            departure=departure,
            kind=kind,
            description=request.POST.get("description", "")[:200],
            actor=request.user,
        )

    return _act(request, pk, action)


@require_POST
def departure_acknowledge(request, pk):
    def action(departure):
        field = forms.DateField()
        try:
            day = field.clean(request.POST.get("acknowledged_on"))
        except ValidationError as exc:
            raise ValidationError(_("请填写有效的日期。")) from exc
        departure_acknowledge_confidentiality(departure=departure, acknowledged_on=day, actor=request.user)

    return _act(request, pk, action)


@require_POST
def departure_finish(request, pk):
    return _act(request, pk, lambda departure: departure_close(departure=departure, actor=request.user))


def departure_pdf(request, pk):
    """The printable departure form (离岗离职交接单), for signatures and the file."""
    departure = _get(request, pk)
    response = HttpResponse(render_departure_pdf(departure), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="departure-{departure.pk}.pdf"'
    return response
