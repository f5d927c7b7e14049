"""Admin screens of the vendor records (技术服务外包、维护管理制度). Every write goes
through ``services``; who may open what is ``rules``/``selectors``."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ggzy.core.forms import apply_errors

from . import forms, rules, selectors, services
from .choices import EVALUATION_CRITERIA, RequestState, UpgradeState, VisitState
from .files import serve_file
from .models import ContractFile, SelectionRecord

FORM_TEMPLATE = "core/admin_form.html"


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权访问外包管理的此页面。"))


def form_page(request, form, *, title: str, submit: str, on_valid: Callable, intro: str = "", back: str = ""):
    """GET shows the form; a valid POST calls ``on_valid(cleaned_data)`` (a service),
    whose Chinese errors are shown on the form with nothing stored."""
    if request.method == "POST" and form.is_valid():
        try:
            return on_valid(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return TemplateResponse(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "submit": submit,
            "intro": intro,
            "back": back,
            "header_title": title,
            "page_title": title,
        },
    )


def _act(request, redirect_to: str, action: Callable, form_class=None):
    """A POSTed action on a record: the service's refusal as a message."""
    form = form_class(request.POST) if form_class else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[k].label if k in form.fields else ''}：{' '.join(v)}"
                    for k, v in form.errors.items()
                ]
            )
        action(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已保存。"))
    return redirect(redirect_to)


# --------------------------------------------------------------------------- 一: requests


def request_index(request):
    _need(rules.may_see_requests(request.user))
    return TemplateResponse(
        request,
        "vendors/admin/requests.html",
        {
            "items": selectors.requests_visible_to(request.user),
            "can_file": rules.may_file_request(request.user),
            "header_title": _("业务外包申请"),
            "page_title": _("业务外包申请"),
        },
    )


def request_new(request):
    _need(rules.may_file_request(request.user))

    def save(data):
        item = services.outsourcing_request_submit(actor=request.user, **data)
        messages.success(request, _("业务外包申请已提交，待中心主任批准。"))
        return redirect("vendors_request_detail", pk=item.pk)

    return form_page(
        request,
        forms.RequestForm(request.POST or None),
        title=_("提出业务外包申请"),
        submit=_("提交申请"),
        intro=_(
            "业务项目由单位主管部门提出申请，中心主任批准后，方可对外发包（技术服务外包、维护管理制度 一）；"
            "请对照第二条的三个因素说明理由。"
        ),
        on_valid=save,
    )


def request_detail(request, pk):
    _need(rules.may_see_requests(request.user))
    item = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    return TemplateResponse(
        request,
        "vendors/admin/request_detail.html",
        {
            "item": item,
            "can_decide": rules.may_decide_request(request.user) and item.state == RequestState.SUBMITTED,
            "decision_form": forms.DecisionForm(),
            "header_title": item.title,
            "page_title": _("业务外包申请"),
        },
    )


@require_POST
def request_decide(request, pk):
    _need(rules.may_see_requests(request.user))
    item = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    return _act(
        request,
        f"/admin/vendors/requests/{item.pk}/",
        lambda data: services.outsourcing_request_decide(
            request=item, approve=data["approve"], note=data["note"], actor=request.user
        ),
        forms.DecisionForm,
    )


# --------------------------------------------------------------------------- vendors


def vendor_index(request):
    _need(rules.may_see_vendors(request.user))
    return TemplateResponse(
        request,
        "vendors/admin/vendors.html",
        {
            "items": selectors.vendors_visible_to(request.user),
            "can_manage": rules.may_manage_vendors(request.user),
            "header_title": _("外包承包商"),
            "page_title": _("外包承包商"),
        },
    )


def vendor_new(request):
    _need(rules.may_manage_vendors(request.user))

    def save(data):
        vendor = services.vendor_create(actor=request.user, **data)
        return redirect("vendors_vendor_detail", pk=vendor.pk)

    return form_page(
        request,
        forms.VendorForm(request.POST or None),
        title=_("登记外包承包商"),
        submit=_("登记"),
        on_valid=save,
    )


def _vendor(request, pk):
    _need(rules.may_see_vendors(request.user))
    return get_object_or_404(selectors.vendors_visible_to(request.user), pk=pk)


def vendor_detail(request, pk):
    vendor = _vendor(request, pk)
    criteria = [(key, label) for key, label, _m in EVALUATION_CRITERIA]
    evaluations = [
        (evaluation, [evaluation.scores.get(key, "") for key, _l in criteria])
        for evaluation in vendor.evaluations.select_related("evaluated_by", "contract")
    ]
    return TemplateResponse(
        request,
        "vendors/admin/vendor_detail.html",
        {
            "vendor": vendor,
            "staff": vendor.staff.all(),
            "selections": vendor.selections.select_related("request"),
            "contracts": vendor.contracts.prefetch_related("files"),
            "criteria": criteria,
            "evaluations": evaluations,
            "can_manage": rules.may_manage_vendors(request.user),
            "staff_form": forms.StaffForm(),
            "header_title": vendor.name,
            "page_title": _("外包承包商"),
        },
    )


@require_POST
def staff_add(request, pk):
    vendor = _vendor(request, pk)
    _need(rules.may_manage_vendors(request.user))
    return _act(
        request,
        f"/admin/vendors/{vendor.pk}/",
        lambda data: services.vendor_staff_add(vendor=vendor, actor=request.user, **data),
        forms.StaffForm,
    )


def selection_new(request):
    _need(rules.may_manage_vendors(request.user))

    def save(data):
        upload = data.pop("upload")
        record = services.selection_record(actor=request.user, upload=upload, **data)
        return redirect("vendors_vendor_detail", pk=record.vendor_id)

    return form_page(
        request,
        forms.SelectionForm(request.POST or None, request.FILES or None),
        title=_("登记选定承包商记录（招标或竞争性谈判）"),
        submit=_("登记"),
        intro=_("单位进行外包项目招标或竞争性谈判，确认外包承包商（技术服务外包、维护管理制度 六）。"),
        on_valid=save,
    )


def selection_file(request, pk):
    _need(rules.may_see_vendors(request.user))
    record = get_object_or_404(SelectionRecord, pk=pk)
    return serve_file(record.file, record.file_name)


def contract_new(request, pk):
    vendor = _vendor(request, pk)
    _need(rules.may_manage_vendors(request.user))

    def save(data):
        uploads = [f for f in (data.pop("upload"), data.pop("upload_2")) if f is not None]
        services.contract_create(actor=request.user, uploads=uploads, **data)
        return redirect("vendors_vendor_detail", pk=vendor.pk)

    return form_page(
        request,
        forms.ContractForm(request.POST or None, request.FILES or None, vendor=vendor),
        title=_("登记外包合同：%(vendor)s") % {"vendor": vendor},
        submit=_("登记合同"),
        on_valid=save,
    )


def contract_file(request, pk):
    _need(rules.may_see_vendors(request.user))
    item = get_object_or_404(ContractFile, pk=pk)
    return serve_file(item.file, item.file_name)


def evaluation_new(request, pk):
    vendor = _vendor(request, pk)
    _need(rules.may_manage_vendors(request.user))
    form = forms.EvaluationForm(request.POST or None, vendor=vendor)

    def save(data):
        services.evaluation_record(
            vendor=vendor,
            contract=data["contract"],
            period=data["period"],
            scores=form.scores(),
            comment=data["comment"],
            actor=request.user,
        )
        return redirect("vendors_vendor_detail", pk=vendor.pk)

    return form_page(
        request,
        form,
        title=_("考核承包商：%(vendor)s") % {"vendor": vendor},
        submit=_("登记考核"),
        intro=_("按评分表逐项评分，总分低于60分为不合格（技术服务外包、维护管理制度 七）。"),
        on_valid=save,
    )


# --------------------------------------------------------------------------- 九: visits


def visit_index(request):
    _need(rules.may_see_visits(request.user))
    return TemplateResponse(
        request,
        "vendors/admin/visits.html",
        {
            "items": selectors.visits_visible_to(request.user),
            "can_request": rules.may_request_visit(request.user),
            "header_title": _("上门服务"),
            "page_title": _("上门服务"),
        },
    )


def visit_new(request):
    _need(rules.may_request_visit(request.user))

    def save(data):
        visit = services.visit_request(actor=request.user, **data)
        messages.success(request, _("上门服务申请已提交，待网络管理员审核。"))
        return redirect("vendors_visit_detail", pk=visit.pk)

    return form_page(
        request,
        forms.VisitForm(request.POST or None, request.FILES or None),
        title=_("申请上门服务"),
        submit=_("提交申请"),
        intro=_(
            "外包技术服务、维护人员上门服务时，需携带单位介绍信及本人的身份证明，经网络管理员审核、"
            "信息科负责人批准后方可进入现场（技术服务外包、维护管理制度 九）。"
        ),
        on_valid=save,
    )


def _visit(request, pk):
    _need(rules.may_see_visits(request.user))
    return get_object_or_404(selectors.visits_visible_to(request.user), pk=pk)


def visit_detail(request, pk):
    visit = _visit(request, pk)
    user = request.user
    return TemplateResponse(
        request,
        "vendors/admin/visit_detail.html",
        {
            "visit": visit,
            "room_entries": visit.room_entries.select_related("room"),
            "can_review": rules.may_review_visit(user) and visit.state == VisitState.REQUESTED,
            "can_approve": rules.is_it_head(user) and visit.state == VisitState.REVIEWED,
            "can_arrive": rules.may_log_visit(user) and visit.state == VisitState.APPROVED,
            "can_depart": rules.may_log_visit(user) and visit.state == VisitState.ON_SITE,
            "decision_form": forms.DecisionForm(),
            "arrival_form": forms.ArrivalForm(),
            "departure_form": forms.DepartureForm(),
            "header_title": str(visit),
            "page_title": _("上门服务"),
        },
    )


@require_POST
def visit_act(request, pk, action):
    visit = _visit(request, pk)
    back = f"/admin/vendors/visits/{visit.pk}/"
    actor = request.user
    if action == "review":
        return _act(
            request, back, lambda d: services.visit_review(visit=visit, actor=actor, **d), forms.DecisionForm
        )
    if action == "approve":
        return _act(
            request, back, lambda d: services.visit_approve(visit=visit, actor=actor, **d), forms.DecisionForm
        )
    if action == "arrive":
        return _act(
            request, back, lambda d: services.visit_arrive(visit=visit, actor=actor, **d), forms.ArrivalForm
        )
    if action == "depart":
        return _act(
            request, back, lambda d: services.visit_depart(visit=visit, actor=actor, **d), forms.DepartureForm
        )
    raise PermissionDenied


def visit_file(request, pk, which):
    visit = _visit(request, pk)
    field = visit.letter if which == "letter" else visit.id_document
    label = _("介绍信") if which == "letter" else _("身份证明")
    return serve_file(field, f"{label}-{visit.pk}{field.name[field.name.rfind('.') :]}")


# --------------------------------------------------------------------------- 十: remote, upgrades


def remote_index(request):
    _need(rules.may_see_remote(request.user))
    return TemplateResponse(
        request,
        "vendors/admin/remote.html",
        {
            "items": selectors.remote_sessions_visible_to(request.user),
            "can_record": rules.may_record_remote(request.user),
            "header_title": _("远程服务记录"),
            "page_title": _("远程服务记录"),
        },
    )


def remote_new(request):
    _need(rules.may_record_remote(request.user))

    def save(data):
        services.remote_session_record(actor=request.user, **data)
        return redirect("vendors_remote")

    return form_page(
        request,
        forms.RemoteForm(request.POST or None, request.FILES or None),
        title=_("登记远程服务"),
        submit=_("登记"),
        intro=_("网络管理员需对现场及远程技术服务、维护记录存档（技术服务外包、维护管理制度 十）。"),
        on_valid=save,
    )


def remote_file(request, pk):
    item = get_object_or_404(selectors.remote_sessions_visible_to(request.user), pk=pk)
    return serve_file(item.file, item.file_name)


def upgrade_index(request):
    _need(rules.may_see_upgrades(request.user))
    return TemplateResponse(
        request,
        "vendors/admin/upgrades.html",
        {
            "items": selectors.upgrades_visible_to(request.user),
            "can_file": rules.may_file_upgrade(request.user),
            "header_title": _("版本升级报备"),
            "page_title": _("版本升级报备"),
        },
    )


def upgrade_new(request):
    _need(rules.may_file_upgrade(request.user))

    def save(data):
        upgrade = services.upgrade_file(actor=request.user, **data)
        return redirect("vendors_upgrade_detail", pk=upgrade.pk)

    return form_page(
        request,
        forms.UpgradeForm(request.POST or None),
        title=_("报备版本升级"),
        submit=_("报备"),
        intro=_(
            "系统提供商自行进行的版本升级等内容，需将详细内容报信息科备案，由信息科请中心领导批准后方可操作"
            "（技术服务外包、维护管理制度 十）。"
        ),
        on_valid=save,
    )


def _upgrade(request, pk):
    _need(rules.may_see_upgrades(request.user))
    return get_object_or_404(selectors.upgrades_visible_to(request.user), pk=pk)


def upgrade_detail(request, pk):
    upgrade = _upgrade(request, pk)
    user = request.user
    return TemplateResponse(
        request,
        "vendors/admin/upgrade_detail.html",
        {
            "upgrade": upgrade,
            "can_review": rules.is_it_head(user) and upgrade.state == UpgradeState.FILED,
            "can_decide": rules.may_approve_upgrade(user) and upgrade.state == UpgradeState.REVIEWED,
            "can_execute": rules.may_file_upgrade(user) and upgrade.executed_at is None,
            "can_result": rules.may_file_upgrade(user) and upgrade.executed_at and not upgrade.result,
            "can_resolve": "security_admin" in rules.role_keys(user)
            and upgrade.executed_before_approval
            and not upgrade.finding_resolution,
            "decision_form": forms.DecisionForm(),
            "executed_form": forms.ExecutedForm(),
            "result_form": forms.ResultForm(),
            "note_form": forms.NoteForm(),
            "header_title": str(upgrade),
            "page_title": _("版本升级报备"),
        },
    )


@require_POST
def upgrade_act(request, pk, action):
    upgrade = _upgrade(request, pk)
    back = f"/admin/vendors/upgrades/{upgrade.pk}/"
    actor = request.user
    handlers = {
        "review": (forms.DecisionForm, lambda d: services.upgrade_review(upgrade=upgrade, actor=actor, **d)),
        "decide": (forms.DecisionForm, lambda d: services.upgrade_decide(upgrade=upgrade, actor=actor, **d)),
        "execute": (
            forms.ExecutedForm,
            lambda d: services.upgrade_executed(upgrade=upgrade, actor=actor, **d),
        ),
        "result": (forms.ResultForm, lambda d: services.upgrade_result(upgrade=upgrade, actor=actor, **d)),
        "resolve": (
            forms.NoteForm,
            lambda d: services.upgrade_finding_resolve(upgrade=upgrade, actor=actor, **d),
        ),
    }
    if action not in handlers:
        raise PermissionDenied
    form_class, handler = handlers[action]
    return _act(request, back, handler, form_class)
