"""The 安全管理员's screen for the upload gate's virus scanning (应急预案 第四条): whether
clamd answers now, and what happens to uploads while it does not."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.core.forms import apply_errors
from ggzy.core.validators import ControlCharacterFormMixin

from . import malware
from .models import MalwareScanPolicy

READERS = frozenset({RoleKey.SECURITY_ADMIN, RoleKey.SYSTEM_ADMIN, RoleKey.AUDIT_ADMIN})


def may_see_policy(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role_keys() & READERS)


class PolicyForm(ControlCharacterFormMixin, forms.Form):
    on_unavailable = forms.ChoiceField(
        label=gettext_lazy("病毒扫描服务不可用时"),
        choices=MalwareScanPolicy._meta.get_field("on_unavailable").choices,
    )
    reason = forms.CharField(
        label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def malware_policy(request):
    if not may_see_policy(request.user):
        raise PermissionDenied(_("只有安全管理员、系统管理员和审计管理员可以查看病毒扫描策略。"))
    policy = MalwareScanPolicy.current()
    may_change = RoleKey.SECURITY_ADMIN in request.user.role_keys()
    form = PolicyForm(request.POST or None, initial={"on_unavailable": policy.on_unavailable})
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("只有安全管理员可以修改病毒扫描策略。"))
        if form.is_valid():
            try:
                malware.policy_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("ingest_malware_policy")
    return TemplateResponse(
        request,
        "ingest/malware_policy.html",
        {
            "policy": policy,
            "form": form,
            "may_change": may_change,
            "deployment_mode": settings.MALWARE_SCAN,
            "effective_mode": malware.mode(),
            "address": settings.CLAMD_ADDRESS,
            "answering": malware.ping() if settings.CLAMD_ADDRESS else None,
            "header_title": _("病毒扫描"),
            "page_title": _("病毒扫描"),
        },
    )
