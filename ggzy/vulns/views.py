"""Admin screens of vulnerability management (网络安全管理办法 二(一)(二)). Every write
goes through ``services``; who may open what is ``rules``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ggzy.core.forms import apply_errors

from . import endpoints, figures, forms, reports, rules, selectors, services, software, tasks
from .choices import FindingStatus, PlanState, ScanState
from .models import Finding, Host, JointAnalysis, Scan, ScanPlan


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权访问漏洞管理的此页面。"))


def plan_index(request):
    _need(rules.may_see(request.user))
    return TemplateResponse(
        request,
        "vulns/admin/plans.html",
        {
            "plans": selectors.plans_visible_to(request.user)[:200],
            "counts": selectors.finding_counts(),
            "may_write": rules.may_write_plan(request.user),
            "header_title": _("漏洞扫描"),
            "page_title": _("漏洞扫描"),
        },
    )


def plan_new(request):
    _need(rules.may_write_plan(request.user))
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("扫描方案已提交，待安全管理员批准。"))
            return redirect("vulns_plan", plan.pk)
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("提交方案"),
            "intro": _(
                "网络安全管理办法 二(二)：网络管理员应详细描述扫描的技术、范围、时间"
                "及可能的影响性，方可执行。"
            ),
            "header_title": _("编制扫描方案"),
            "page_title": _("编制扫描方案"),
        },
    )


def _plan(request, pk) -> ScanPlan:
    _need(rules.may_see(request.user))
    return get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)


def plan_detail(request, pk):
    plan = _plan(request, pk)
    user = request.user
    approved = plan.state == PlanState.APPROVED
    return TemplateResponse(
        request,
        "vulns/admin/plan.html",
        {
            "plan": plan,
            "scans": selectors.scans_of(plan),
            "may_decide": plan.state == PlanState.REQUESTED and rules.may_decide_plan(user, plan),
            "may_scan": approved and rules.may_run_scan(user),
            "decision_form": forms.DecisionForm(),
            "scan_form": forms.ScanForm(initial={"targets": plan.scope}),
            "import_form": forms.ImportForm(),
            "header_title": plan.title,
            "page_title": _("扫描方案"),
        },
    )


def _errors(request, exc) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@require_POST
def plan_decide(request, pk):
    plan = _plan(request, pk)
    form = forms.DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择审批意见。"))
        services.plan_decide(plan=plan, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已保存。"))
    return redirect("vulns_plan", plan.pk)


@require_POST
def scan_start(request, pk):
    plan = _plan(request, pk)
    form = forms.ScanForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写扫描目标。"))
        scan = services.scan_start(plan=plan, targets=form.cleaned_data["targets"], actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("vulns_plan", plan.pk)
    # The worker runs nmap; the scan page shows its progress.
    transaction.on_commit(lambda: tasks.run_scan.enqueue(scan.pk))
    messages.success(request, _("扫描已发起。"))
    return redirect("vulns_scan", scan.pk)


@require_POST
def scan_import(request, pk):
    plan = _plan(request, pk)
    form = forms.ImportForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择结果格式和文件。"))
        scan = services.scan_import(
            plan=plan, upload=form.cleaned_data["report"], kind=form.cleaned_data["kind"], actor=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("vulns_plan", plan.pk)
    messages.success(request, _("扫描结果已导入。"))
    return redirect("vulns_scan", scan.pk)


def _scan(request, pk) -> Scan:
    _need(rules.may_see(request.user))
    return get_object_or_404(Scan.objects.select_related("plan", "started_by"), pk=pk)


def scan_detail(request, pk):
    scan = _scan(request, pk)
    analysis = (
        JointAnalysis.objects.filter(scan=scan)
        .select_related("network_signed_by", "system_signed_by", "security_signed_by")
        .first()
    )
    return TemplateResponse(
        request,
        "vulns/admin/scan.html",
        {
            "scan": scan,
            "active": scan.state in (ScanState.QUEUED, ScanState.RUNNING),
            "analysis": analysis,
            "may_draft": scan.state == ScanState.DONE
            and rules.may_run_scan(request.user)
            and not (analysis and analysis.signed_any),
            "may_sign": analysis is not None and services.may_sign(analysis, request.user),
            "analysis_form": forms.AnalysisForm(
                initial={
                    "summary": analysis.summary,
                    "accepted_risks": analysis.accepted_risks,
                    "remediation_plan": analysis.remediation_plan,
                }
                if analysis
                else None
            ),
            "signatures": reports.signatures(analysis) if analysis else [],
            "findings": scan.observed.select_related("host").order_by("host__address", "port"),
            "header_title": str(scan),
            "page_title": _("扫描"),
        },
    )


@require_POST
def analysis_act(request, pk, action):
    scan = _scan(request, pk)
    try:
        if action == "save":
            form = forms.AnalysisForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    [f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items()]
                )
            services.analysis_save(scan=scan, actor=request.user, **form.cleaned_data)
        else:
            analysis = getattr(scan, "analysis", None)
            if analysis is None:
                raise ValidationError(_("尚未起草联合分析。"))
            services.analysis_sign(analysis=analysis, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已保存。"))
    return redirect("vulns_scan", scan.pk)


def analysis_export(request, pk, kind):
    scan = _scan(request, pk)
    analysis = getattr(scan, "analysis", None)
    if analysis is None:
        raise Http404
    if kind == "pdf":
        data, content_type = reports.analysis_pdf(analysis), "application/pdf"
    else:
        data = reports.analysis_xlsx(analysis)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, _("联合分析-扫描%(pk)s.%(kind)s") % {"pk": scan.pk, "kind": kind}
    )
    return response


def scan_output(request, pk):
    scan = _scan(request, pk)
    if not scan.output:
        raise Http404
    suffix = "." + scan.output.name.rsplit(".", 1)[-1]
    types = {".csv": "text/csv", ".xml": "application/xml"}
    return FileResponse(
        scan.output.open("rb"),
        as_attachment=True,
        filename=f"scan-{scan.pk}{suffix}",
        content_type=types.get(suffix, "text/plain"),
    )


def finding_index(request):
    _need(rules.may_see(request.user))
    status = request.GET.get("status", "open")
    if status not in ("open", "all", *FindingStatus.values):
        status = "open"
    return TemplateResponse(
        request,
        "vulns/admin/findings.html",
        {
            "findings": selectors.findings_visible_to(request.user, status="" if status == "all" else status)[
                :500
            ],
            "status": status,
            "statuses": [("open", _("未关闭")), ("all", _("全部")), *FindingStatus.choices],
            "header_title": _("安全隐患"),
            "page_title": _("安全隐患"),
        },
    )


def _finding(request, pk) -> Finding:
    _need(rules.may_see(request.user))
    return get_object_or_404(selectors.findings_visible_to(request.user), pk=pk)


def finding_detail(request, pk):
    finding = _finding(request, pk)
    open_ = finding.status in selectors.OPEN
    return TemplateResponse(
        request,
        "vulns/admin/finding.html",
        {
            "finding": finding,
            "may_triage": open_ and rules.may_triage(request.user),
            "assign_form": forms.AssignForm(initial={"owner": finding.owner_id}),
            "close_form": forms.CloseForm(),
            "header_title": str(finding),
            "page_title": _("安全隐患"),
        },
    )


@require_POST
def finding_act(request, pk, action):
    finding = _finding(request, pk)
    form = (forms.AssignForm if action == "assign" else forms.CloseForm)(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items()])
        if action == "assign":
            services.finding_assign(finding=finding, actor=request.user, **form.cleaned_data)
        else:
            services.finding_close(finding=finding, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已保存。"))
    return redirect("vulns_finding", finding.pk)


# ---------------------------------------------------------------- hosts and the registers (二(一)(三))


def host_index(request):
    _need(rules.may_see(request.user))
    show = request.GET.get("show", "unknown")
    hosts = selectors.hosts(unknown_only=show != "all")
    return TemplateResponse(
        request,
        "vulns/admin/hosts.html",
        {
            "hosts": hosts[:1000],
            "show": show,
            "may_triage": rules.may_triage(request.user),
            "header_title": _("扫描发现的主机"),
            "page_title": _("扫描发现的主机"),
        },
    )


@require_POST
def host_dismiss(request, pk):
    _need(rules.may_see(request.user))
    host = get_object_or_404(Host, pk=pk)
    try:
        services.host_dismiss(host=host, actor=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已忽略该主机。"))
    return redirect("vulns_hosts")


# --------------------------------------------------------------------------- endpoints (设备 第十一、十四条)


def endpoint_index(request):
    _need(rules.may_see(request.user))
    rows = endpoints.endpoint_rows()
    return TemplateResponse(
        request,
        "vulns/admin/endpoints.html",
        {
            "rows": rows,
            "bad": sum(1 for row in rows if row.problems),
            "software_bad": sum(1 for row in rows if row.software),
            "inventory_days": software.inventory_max_age(),
            "may_record": rules.may_record_endpoints(request.user),
            "signature_days": endpoints.signature_max_age(),
            "scan_days": endpoints.scan_max_age(),
            "header_title": _("终端防护"),
            "page_title": _("终端防护"),
        },
    )


def endpoint_edit(request, pk):
    _need(rules.may_record_endpoints(request.user))
    asset = get_object_or_404(selectors.computers(), pk=pk)
    status = getattr(asset, "endpoint_status", None)
    initial = (
        {
            "antivirus": status.antivirus,
            "signatures_updated_on": status.signatures_updated_on,
            "last_full_scan_on": status.last_full_scan_on,
            "removable_media": status.removable_media,
        }
        if status
        else None
    )
    form = forms.EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            endpoints.endpoint_record(asset=asset, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("vulns_endpoints")
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("保存"),
            "intro": _("网络设备管理制度 第十四条：计算机应统一安装正版杀毒软件，并定期升级和杀毒。"),
            "header_title": f"{asset.number} {asset.name}",
            "page_title": _("终端防护"),
        },
    )


def software_inventory(request, pk):
    """维护管理制度 二(二): one computer's newest software inventory, each program marked
    allowed or not by 信息科's list."""
    _need(rules.may_see(request.user))
    computer = get_object_or_404(selectors.computers(), pk=pk)
    inventory, items = software.inventory_rows(computer)
    return TemplateResponse(
        request,
        "vulns/admin/software_inventory.html",
        {
            "computer": computer,
            "inventory": inventory,
            "items": items,
            "unapproved": sum(1 for _item, allowed in items if not allowed),
            "header_title": _("%(number)s 的已安装软件") % {"number": computer.number},
            "page_title": _("软件清点"),
        },
    )


ALL_OR_NOTHING = gettext_lazy("全部行无误才导入；有错误时不导入任何一行，并指出出错的行。")


def _csv_import(request, *, form_class, importer, done, title, page_title, intro=ALL_OR_NOTHING):
    """One CSV import screen of 信息科's: the importer is all or nothing, its refusal
    shown on the form."""
    _need(rules.may_record_endpoints(request.user))
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = importer(upload=form.cleaned_data["upload"], actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done % {"n": count})
            return redirect("vulns_endpoints")
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {"form": form, "submit": _("导入"), "intro": intro, "header_title": title, "page_title": page_title},
    )


def software_import(request):
    return _csv_import(
        request,
        form_class=forms.SoftwareImportForm,
        importer=software.inventory_import,
        done=_("已导入 %(n)s 台计算机的软件清点。"),
        title=_("导入软件清点"),
        page_title=_("软件清点"),
        intro=_(
            "网络与系统安全维护管理制度 二(二)："
            "在计算机上导出已安装程序列表（如 PowerShell Get-Package），整理为 CSV 后导入。"
        )
        + str(ALL_OR_NOTHING),
    )


def endpoint_import(request):
    return _csv_import(
        request,
        form_class=forms.EndpointImportForm,
        importer=endpoints.endpoint_import,
        done=_("已导入 %(n)s 台计算机的防护状况。"),
        title=_("导入终端防护状况"),
        page_title=_("终端防护"),
    )


# --------------------------------------------------------------------------- figures


def _month(request) -> dt.date:
    text = request.GET.get("month", "")
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def figures_page(request):
    _need(rules.may_see(request.user))
    data = figures.figures(month=_month(request))
    return TemplateResponse(
        request,
        "vulns/admin/figures.html",
        {
            "figures": data,
            "chart": figures.trend_chart(data.trend),
            "buckets": figures.bucket_labels(),
            "month": f"{data.start:%Y-%m}",
            "header_title": _("漏洞统计"),
            "page_title": _("漏洞统计"),
        },
    )


def figures_export(request, kind):
    _need(rules.may_see(request.user))
    data = figures.figures(month=_month(request))
    if kind == "pdf":
        body, content_type = reports.figures_pdf(data), "application/pdf"
    else:
        body = reports.figures_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, _("漏洞统计-%(month)s.%(kind)s") % {"month": f"{data.start:%Y-%m}", "kind": kind}
    )
    return response
