"""Admin screens of the asset ledger (网络与系统安全维护管理制度 一). Every write goes
through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ggzy.core.exports import SafeWorkbook
from ggzy.vendors.files import serve_file
from ggzy.vendors.views import _act, form_page

from . import forms, rules, selectors, services
from .choices import STORAGE_KINDS, AssetKind, AssetState
from .labels import qr_svg
from .models import Disposal


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权访问资产台账的此页面。"))


def asset_index(request):
    _need(rules.may_see_ledger(request.user))
    items = selectors.assets_visible_to(request.user)
    kind, state, q = (
        request.GET.get("kind", ""),
        request.GET.get("state", ""),
        request.GET.get("q", "").strip(),
    )
    if kind in AssetKind.values:
        items = items.filter(kind=kind)
    if state in AssetState.values:
        items = items.filter(state=state)
    if q:
        items = (
            items.filter(number__icontains=q)
            | items.filter(name__icontains=q)
            | items.filter(holder__username__icontains=q)
        )
    return TemplateResponse(
        request,
        "assets/admin/index.html",
        {
            "items": items[:500],
            "kinds": AssetKind.choices,
            "states": AssetState.choices,
            "kind": kind,
            "state": state,
            "q": q,
            "can_manage": rules.may_manage_assets(request.user),
            "header_title": _("资产台账"),
            "page_title": _("资产台账"),
        },
    )


def asset_new(request):
    _need(rules.may_manage_assets(request.user))

    def save(data):
        asset = services.asset_create(data=services.AssetData(**data), actor=request.user)
        return redirect("assets_detail", pk=asset.pk)

    return form_page(
        request, forms.AssetForm(request.POST or None), title=_("登记资产"), submit=_("登记"), on_valid=save
    )


def _asset(request, pk):
    return get_object_or_404(selectors.assets_visible_to(request.user), pk=pk)


def asset_detail(request, pk):
    asset = _asset(request, pk)
    manage = rules.may_manage_assets(request.user)
    disposal = Disposal.objects.filter(asset=asset).select_related("appraised_by", "approved_by").first()
    closed = asset.state in (AssetState.APPRAISED, AssetState.APPROVED, AssetState.DISPOSED)
    return TemplateResponse(
        request,
        "assets/admin/detail.html",
        {
            "asset": asset,
            "assignments": asset.assignments.select_related("holder", "assigned_by", "returned_to"),
            "repairs": asset.repairs.select_related("reported_by", "handled_by"),
            "disposal": disposal,
            "stores_data": asset.kind in STORAGE_KINDS,
            "can_manage": manage,
            "can_assign": manage and not asset.holder_id and not closed,
            "can_return": manage and asset.holder_id,
            "can_appraise": manage and not asset.holder_id and disposal is None and not closed,
            "can_approve": rules.may_approve_disposal(request.user) and disposal and not disposal.approved_at,
            "can_dispose": manage and disposal and disposal.approved_at and not disposal.disposed_at,
            "assign_form": forms.AssignForm(),
            "return_form": forms.ReturnForm(),
            "appraise_form": forms.AppraiseForm(),
            "dispose_form": forms.DisposeForm(),
            "header_title": str(asset),
            "page_title": _("资产"),
        },
    )


@require_POST
def asset_act(request, pk, action):
    asset = _asset(request, pk)
    back = reverse("assets_detail", args=[asset.pk])
    actor = request.user
    if action == "assign":
        return _act(
            request, back, lambda d: services.asset_assign(asset=asset, actor=actor, **d), forms.AssignForm
        )
    if action == "return":
        return _act(
            request, back, lambda d: services.asset_return(asset=asset, actor=actor, **d), forms.ReturnForm
        )
    if action == "appraise":
        return _act(
            request,
            back,
            lambda d: services.disposal_appraise(asset=asset, actor=actor, **d),
            forms.AppraiseForm,
        )
    disposal = get_object_or_404(Disposal, asset=asset)
    if action == "approve":
        return _act(request, back, lambda d: services.disposal_approve(disposal=disposal, actor=actor))
    if action == "dispose":
        form = forms.DisposeForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise ValidationError(_("请检查填写的内容。"))
            services.disposal_record(disposal=disposal, actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已登记报废处置。"))
        return redirect(back)
    raise PermissionDenied


def wipe_evidence(request, pk):
    asset = _asset(request, pk)
    _need(rules.may_see_ledger(request.user))
    disposal = get_object_or_404(Disposal, asset=asset)
    return serve_file(disposal.wipe_evidence, disposal.wipe_evidence_name)


def asset_label(request, pk):
    """The printable label (一(三)): number, name, department and the QR code."""
    asset = _asset(request, pk)
    _need(rules.may_manage_assets(request.user))
    url = request.build_absolute_uri(reverse("assets_detail", args=[asset.pk]))
    return TemplateResponse(
        request,
        "assets/admin/label.html",
        {"asset": asset, "qr": mark_safe(qr_svg(url)), "url": url},  # noqa: S308 (SVG made by qrcode, no user text)
    )


def asset_import(request):
    _need(rules.may_manage_assets(request.user))

    def save(data):
        created = services.assets_import(upload=data["upload"], actor=request.user)
        messages.success(request, _("已导入 %(count)s 件资产。") % {"count": len(created)})
        return redirect("assets_index")

    return form_page(
        request,
        forms.ImportForm(request.POST or None, request.FILES or None),
        title=_("导入资产台账"),
        submit=_("导入"),
        intro=_(
            "第一张工作表，第一行为表头：%(columns)s。类别可填：%(kinds)s。逐行校验，任何一行有错则全部不导入。"
        )
        % {
            "columns": "、".join(str(label) for _k, label in services.IMPORT_COLUMNS),
            "kinds": "、".join(str(label) for _v, label in AssetKind.choices),
        },
        on_valid=save,
    )


def import_template(request):
    _need(rules.may_manage_assets(request.user))
    book = SafeWorkbook()
    sheet = book.sheet(str(_("资产台账")))
    sheet.append([str(label) for _k, label in services.IMPORT_COLUMNS], bold=True)
    response = HttpResponse(
        book.to_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="assets-template.xlsx"'
    return response


# --------------------------------------------------------------------------- 一(二): repairs


def repair_index(request):
    _need(rules.may_report(request.user))
    return TemplateResponse(
        request,
        "assets/admin/repairs.html",
        {
            "items": selectors.repairs_visible_to(request.user)[:500],
            "mine": selectors.own_assets(request.user),
            "can_handle": rules.may_manage_assets(request.user),
            "resolve_form": forms.ResolveForm(),
            "header_title": _("报修"),
            "page_title": _("报修"),
        },
    )


def repair_new(request):
    _need(rules.may_report(request.user))
    assets = (
        selectors.assets_visible_to(request.user).exclude(state=AssetState.DISPOSED)
        if rules.may_manage_assets(request.user)
        else selectors.own_assets(request.user)
    )

    def save(data):
        services.repair_report(actor=request.user, **data)
        messages.success(request, _("已报修，信息科将统一处理。"))
        return redirect("assets_repairs")

    return form_page(
        request,
        forms.RepairForm(request.POST or None, assets=assets),
        title=_("报修"),
        submit=_("提交报修"),
        intro=_(
            "当设备出现故障时，须报告中心信息科统一处理，其他人不得随意卸载、处理"
            "（网络与系统安全维护管理制度 一(二)）。"
        ),
        on_valid=save,
    )


@require_POST
def repair_act(request, pk, action):
    ticket = get_object_or_404(selectors.repairs_visible_to(request.user), pk=pk)
    back = reverse("assets_repairs")
    if action == "take":
        return _act(request, back, lambda d: services.repair_take(ticket=ticket, actor=request.user))
    if action == "resolve":
        return _act(
            request,
            back,
            lambda d: services.repair_resolve(ticket=ticket, actor=request.user, **d),
            forms.ResolveForm,
        )
    raise PermissionDenied
