"""The vault's own screens beside the viewset: the two-person change, the
reveal (one-time, never cached), the leak report and retirement.

A credential the user may not see answers 404 (its existence is not
confirmed); one they see but may not act on answers 403. No page ever holds
a password except the one-time reveal response, which is ``no-store`` and
leaves after CREDENTIALS_REVEAL_SECONDS."""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from . import services
from .choices import ChangeStatus, CredentialStatus, RevealStatus
from .crypto import VaultError
from .forms import ChangeStartForm, ConfirmForm, LeakForm, ReasonForm
from .models import Credential, PendingChange, RevealGrant
from .selectors import (
    credentials_visible_to,
    is_holder,
    is_network_admin,
    may_approve_reveal,
    may_manage,
)

logger = logging.getLogger(__name__)


def visible_credential(request, pk: int) -> Credential:
    return get_object_or_404(credentials_visible_to(request.user), pk=pk)


def forbidden(request, message: str) -> TemplateResponse:
    """An explicit 403 page (Wagtail turns a raised PermissionDenied into a redirect)."""
    return TemplateResponse(
        request,
        "credentials/forbidden.html",
        {"page_title": _("无权操作"), "header_icon": "warning", "message": message},
        status=403,
    )


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _inspect(credential) -> str:
    return reverse("credentials:inspect", args=[credential.pk])


def _page(request, template: str, title: str, credential, icon: str = "key", status: int = 200, **context):
    return TemplateResponse(
        request,
        template,
        {
            "page_title": title,
            "page_subtitle": credential.name,
            "header_icon": icon,
            "credential": credential,
            **context,
        },
        status=status,
    )


# --------------------------------------------------------------------------- two people present (一(一))


@sensitive_post_parameters("new_secret", "new_secret_again")
@sensitive_variables("form")
@never_cache
def change_start(request, pk: int):
    credential = visible_credential(request, pk)
    if not may_manage(request.user, credential):
        return forbidden(request, _("只有网络管理员或该科室的科室负责人可以设定口令。"))
    if credential.status == CredentialStatus.RETIRED:
        messages.error(request, _("已停用的口令不能再设定。"))
        return redirect(_inspect(credential))
    form = ChangeStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.secret_change_start(
                credential=credential,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                new_secret=form.cleaned_data["new_secret"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("已发起，请%(who)s在 %(m)d 分钟内用本人的密码和动态验证码确认。")
                % {
                    "who": _change_counterpart(request.user, credential),
                    "m": settings.CREDENTIALS_CONFIRM_MINUTES,
                },
            )
            return redirect("credentials:change", change.pk)
    # PasswordInput never renders the typed value back into the page.
    return _page(
        request,
        "credentials/change_start.html",
        _("设定口令") if credential.current_version() is None else _("更换口令"),
        credential,
        form=form,
        minutes=settings.CREDENTIALS_CONFIRM_MINUTES,
    )


def _change_counterpart(user, credential) -> str:
    return _("科室负责人") if is_network_admin(user) else _("网络管理员")


@sensitive_post_parameters("password", "otp_token")
@never_cache
def change_detail(request, pk: int):
    """The pending change: who started it, until when; the confirm form for the second person."""
    change = get_object_or_404(PendingChange.objects.select_related("credential", "started_by"), pk=pk)
    credential = change.credential
    if not credentials_visible_to(request.user).filter(pk=credential.pk).exists():
        raise Http404
    if not may_manage(request.user, credential):
        return forbidden(request, _("只有网络管理员或该科室的科室负责人可以处理口令变更。"))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.secret_change_confirm(
                change=change,
                actor=request.user,
                password=form.cleaned_data["password"],
                otp_token=form.cleaned_data["otp_token"],
                request=request,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            change.refresh_from_db()
        else:
            messages.success(
                request,
                _("口令“%(name)s”第 %(n)d 版已由两人确认生效。")
                % {"name": credential.name, "n": version.number},
            )
            return redirect(_inspect(credential))
    return _page(
        request,
        "credentials/change.html",
        _("口令变更"),
        credential,
        change=change,
        form=form,
        pending=change.status == ChangeStatus.PENDING,
        is_starter=change.started_by_id == request.user.pk,
    )


@require_POST
def change_cancel(request, pk: int):
    change = get_object_or_404(PendingChange.objects.select_related("credential"), pk=pk)
    if not credentials_visible_to(request.user).filter(pk=change.credential_id).exists():
        raise Http404
    try:
        services.secret_change_cancel(change=change, actor=request.user)
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤销该口令变更。"))
    return redirect(_inspect(change.credential))


# --------------------------------------------------------------------------- reveal


@never_cache
def reveal_request(request, pk: int):
    credential = visible_credential(request, pk)
    if not is_holder(request.user, credential):
        if request.method == "POST":
            with contextlib.suppress(PermissionDenied):  # the service records the refused attempt
                services.reveal_request(credential=credential, actor=request.user, reason="")
        return forbidden(request, _("您不在该口令的可查看人员名单中。"))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.reveal_request(
                credential=credential, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("credentials:reveal", grant.pk)
    return _page(request, "credentials/reveal_request.html", _("查看口令"), credential, form=form)


def _own_grant(request, pk: int) -> RevealGrant:
    grant = get_object_or_404(RevealGrant.objects.select_related("credential", "requested_by"), pk=pk)
    if not credentials_visible_to(request.user).filter(pk=grant.credential_id).exists():
        raise Http404
    return grant


@never_cache
def reveal(request, pk: int):
    """The grant's state: waiting for approval, or ready to be shown once."""
    grant = _own_grant(request, pk)
    approver = may_approve_reveal(request.user, grant)
    if grant.requested_by_id != request.user.pk and not approver:
        return forbidden(request, _("这不是您的查看申请。"))
    return _page(
        request,
        "credentials/reveal.html",
        _("查看口令"),
        grant.credential,
        grant=grant,
        is_requester=grant.requested_by_id == request.user.pk,
        can_decide=approver and grant.status == RevealStatus.AWAITING_APPROVAL,
        ready=grant.status == RevealStatus.APPROVED and grant.requested_by_id == request.user.pk,
        seconds=settings.CREDENTIALS_REVEAL_SECONDS,
    )


@require_POST
@sensitive_variables("secret")
def reveal_show(request, pk: int):
    """The one-time reveal: the password in a no-store response that leaves by itself."""
    grant = _own_grant(request, pk)
    try:
        secret = services.secret_reveal(grant=grant, actor=request.user)
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    except VaultError:
        logger.error("credential reveal %s: the sealed value does not authenticate", grant.pk)
        response = forbidden(
            request,
            _(
                "口令密文校验失败（主密钥不正确或密文被篡改），未显示任何内容。"
                "此事件已记入审计日志，请立即报告安全管理员。"
            ),
        )
        response.status_code = 500
        return response
    response = _page(
        request,
        "credentials/reveal_show.html",
        _("查看口令"),
        grant.credential,
        secret=secret,
        seconds=settings.CREDENTIALS_REVEAL_SECONDS,
        back=_inspect(grant.credential),
    )
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Pragma"] = "no-cache"
    response["Expires"] = "0"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def reveal_decide(request, pk: int):
    grant = _own_grant(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.reveal_approve(grant=grant, actor=request.user, approve=approve)
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已批准查看。") if approve else _("已拒绝查看。"))
    return redirect("credentials:reveal", grant.pk)


# --------------------------------------------------------------------------- leak and retirement


@never_cache
def leak(request, pk: int):
    credential = visible_credential(request, pk)
    if not is_network_admin(request.user):
        return forbidden(request, _("泄密迹象由网络管理员报告。密码、口令管理制度 一(四)。"))
    form = LeakForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leak_report(credential=credential, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.warning(
                request,
                _("已标记为疑似泄密并报告科室负责人；请立即两人同时在场更换口令。"),
            )
            return redirect(_inspect(credential))
    return _page(request, "credentials/leak.html", _("报告泄密迹象"), credential, icon="warning", form=form)


@never_cache
def retire(request, pk: int):
    credential = visible_credential(request, pk)
    if not may_manage(request.user, credential):
        return forbidden(request, _("只有网络管理员或该科室的科室负责人可以停用特权口令。"))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_retire(
                credential=credential, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("口令“%(name)s”已停用。") % {"name": credential.name})
            return redirect(_inspect(credential))
    return _page(request, "credentials/retire.html", _("停用口令"), credential, icon="cross", form=form)
