"""Admin screens of the network register and its configuration backups. Every write
goes through ``services``; who may open what is ``rules``; every view of a
configuration is audited (网络安全管理办法 四(三))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ggzy.core.forms import apply_errors

from . import configs, forms, hardening, importing, rules, selectors, services
from .choices import ChangeState, ConfigKind, PullOutcome
from .models import ChangeRecord, ConfigVersion, Device, DeviceAccount


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权访问网络设备管理的此页面。"))


def index(request):
    _need(rules.may_see_devices(request.user))
    return TemplateResponse(
        request,
        "network/admin/index.html",
        {
            "devices": selectors.devices()[:1000],
            "confidential": rules.may_see_confidential(request.user),
            "may_keep": rules.may_keep(request.user),
            "page_title": _("网络设备"),
            "header_title": _("网络设备"),
        },
    )


def device_detail(request, pk: int):
    _need(rules.may_see_devices(request.user))
    device = get_object_or_404(selectors.devices(), pk=pk)
    confidential = rules.may_see_confidential(request.user)
    context = {
        "device": device,
        "confidential": confidential,
        "may_keep": rules.may_keep(request.user),
        "page_title": device.name,
        "header_title": device.name,
    }
    if confidential:
        context.update(
            versions=device.versions.select_related("change").order_by("-pulled_at", "kind")[:100],
            pulls=device.pulls.all()[:20],
            drift=selectors.drifted(device),
            changes=device.changes.select_related("requested_by", "approver")[:50],
            audit_results=_audit_rows(device),
            accounts=DeviceAccount.objects.filter(device=device, current=True).order_by("name"),
            account_findings=selectors.account_findings(device),
            software=device.software.all()[:50],
            upgrades=device.upgrades.all()[:50],
            below_target=device in selectors.below_target() if device.target_version else False,
        )
    return TemplateResponse(request, "network/admin/device.html", context)


def _audit_rows(device: Device) -> list[dict]:
    """二(六)、三(四)、五、七: the current results of the configuration audit, failures first."""
    titles = hardening.rule_titles()
    rows = [
        {
            "rule": r.rule,
            "title": titles.get(r.rule, r.rule),
            "clause": r.clause,
            "outcome": r.outcome,
            "outcome_label": r.get_outcome_display(),
            "detail": r.detail,
            "lines": r.lines,
            "version": r.version,
        }
        for r in device.audit_results.filter(current=True).select_related("version")
    ]
    order = {"fail": 0, "pass": 1, "na": 2}
    return sorted(rows, key=lambda row: (order.get(row["outcome"], 3), row["clause"], row["rule"]))


def version_detail(request, pk: int):
    """One configuration version, masked, with its diff against the previous one."""
    _need(rules.may_see_confidential(request.user))
    version = get_object_or_404(ConfigVersion.objects.select_related("device", "content", "change"), pk=pk)
    services.config_viewed(actor=request.user, device=version.device, what="version", version=version.pk)
    return TemplateResponse(
        request,
        "network/admin/version.html",
        {
            "version": version,
            "text": configs.mask(version.content.text),
            "diff": configs.mask(version.diff),
            "page_title": str(version),
            "header_title": str(version),
        },
    )


def drift(request, pk: int):
    """四(一): the saved configuration against the running one."""
    _need(rules.may_see_confidential(request.user))
    device = get_object_or_404(Device, pk=pk)
    pair = selectors.drifted(device)
    diff = ""
    if pair is not None:
        saved, running = pair
        diff = configs.mask(
            configs.unified_diff(
                saved.content.text,
                running.content.text,
                old_name=f"saved v{saved.number}",
                new_name=f"running v{running.number}",
            )
        )
    services.config_viewed(actor=request.user, device=device, what="drift")
    return TemplateResponse(
        request,
        "network/admin/drift.html",
        {"device": device, "diff": diff, "page_title": _("配置不一致"), "header_title": device.name},
    )


@require_POST
def device_pull(request, pk: int):
    _need(rules.may_keep(request.user))
    device = get_object_or_404(Device.objects.select_related("credential"), pk=pk)
    attempt = services.pull_device(device=device, actor=request.user)
    if attempt.outcome == PullOutcome.OK:
        messages.success(request, _("配置已备份（新版本 %(n)s 个）。") % {"n": attempt.new_versions})
    else:
        messages.error(request, _("备份失败：%(reason)s") % {"reason": attempt.reason})
    return redirect("network_device", pk=device.pk)


@require_POST
def pull_all(request):
    """四(二): back up every device now (bounded concurrency, ``NETWORK_PULL_WORKERS``)."""
    _need(rules.may_keep(request.user))
    attempts = services.pull_all(actor=request.user)
    failed = [a for a in attempts if a.outcome != PullOutcome.OK]
    if failed:
        messages.error(
            request,
            _("%(ok)s 台设备已备份，%(n)s 台失败：%(devices)s")
            % {
                "ok": len(attempts) - len(failed),
                "n": len(failed),
                "devices": _("、").join(a.device.name for a in failed[:10]),
            },
        )
    else:
        messages.success(request, _("%(n)s 台设备已备份。") % {"n": len(attempts)})
    return redirect("network_index")


def upload(request):
    """四(二): the configuration of a device that cannot be reached, from a file."""
    _need(rules.may_keep(request.user))
    initial = {"device": int(request.GET["device"])} if request.GET.get("device", "").isdigit() else {}
    form = forms.UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attempt = services.config_record(
                device=data["device"],
                running=form.texts["running_file"] or data["running"],
                saved=form.texts["saved_file"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("配置已记录（新版本 %(n)s 个）。") % {"n": attempt.new_versions})
            return redirect("network_device", pk=data["device"].pk)
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("上传配置"),
            "intro": _(
                "网络安全管理办法 四(二)：无法通过 SSH 备份的设备，上传从设备导出的配置文件；"
                "与自动备份一样存档、比对、审核，并核对变更记录。"
            ),
            "page_title": _("上传设备配置"),
            "header_title": _("上传设备配置"),
        },
    )


def changes(request):
    _need(rules.may_see_confidential(request.user))
    return TemplateResponse(
        request,
        "network/admin/changes.html",
        {
            "changes": ChangeRecord.objects.select_related("device", "requested_by", "approver")[:500],
            "unapproved": selectors.unapproved_versions().order_by("device__name", "number")[:200],
            "may_keep": rules.may_keep(request.user),
            "page_title": _("配置变更"),
            "header_title": _("配置变更"),
        },
    )


def change_new(request):
    _need(rules.may_keep(request.user))
    initial = {}
    if request.GET.get("version", "").isdigit():
        version = ConfigVersion.objects.filter(pk=int(request.GET["version"])).first()
        if version is not None:
            initial = {
                "device": version.device_id,
                "for_version": version.pk,
                "planned_at": version.pulled_at,
            }
    elif request.GET.get("device", "").isdigit():
        initial = {"device": int(request.GET["device"])}
    form = forms.ChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("变更已登记，待安全管理员批准。"))
            return redirect("network_change", pk=change.pk)
    return TemplateResponse(
        request,
        "core/admin_form.html",
        {
            "form": form,
            "submit": _("登记变更"),
            "intro": _(
                "网络安全管理办法 四(四)：配置信息的修改要记录并存档；"
                "每个新的配置版本须对应一条已批准的变更记录。"
            ),
            "page_title": _("登记配置变更"),
            "header_title": _("登记配置变更"),
        },
    )


def change_detail(request, pk: int):
    _need(rules.may_see_confidential(request.user))
    change = get_object_or_404(
        ChangeRecord.objects.select_related("device", "requested_by", "approver", "for_version"), pk=pk
    )
    may_decide = (
        rules.may_approve(request.user)
        and change.state == ChangeState.PENDING
        and change.requested_by_id != request.user.pk
    )
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("配置变更由安全管理员审批，登记人不能审批自己登记的变更。"))
        if form.is_valid():
            try:
                services.change_decide(
                    actor=request.user,
                    change=change,
                    approve=form.cleaned_data["approve"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已审批。"))
                return redirect("network_change", pk=change.pk)
    return TemplateResponse(
        request,
        "network/admin/change.html",
        {
            "change": change,
            "form": form,
            "may_decide": may_decide,
            "versions": change.versions.all(),
            "running": ConfigKind.RUNNING,
            "page_title": _("配置变更"),
            "header_title": change.summary,
        },
    )


def inventory_import(request):
    """四(三): the 网络管理员 imports an existing device inventory (CSV/xlsx), all or
    nothing, with a preview that writes nothing."""
    _need(rules.may_keep(request.user))
    form = forms.InventoryImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        dry_run = request.POST.get("action") != "import"
        try:
            result = importing.import_inventory(
                upload=form.cleaned_data["upload"],
                actor=request.user,
                update_existing=form.cleaned_data["update_existing"],
                dry_run=dry_run,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if dry_run:
                preview = result
            else:
                counts = result.counts()
                messages.success(
                    request,
                    _(
                        "已导入设备清单：新建 %(created)s 台，更新 %(updated)s 台，"
                        "无变化 %(unchanged)s 台，新建网段 %(segments_created)s 个。"
                    )
                    % counts,
                )
                return redirect("network_index")
    return TemplateResponse(
        request,
        "network/admin/import.html",
        {
            "form": form,
            "preview": preview,
            "page_title": _("导入设备清单"),
            "header_title": _("导入设备清单"),
        },
    )
