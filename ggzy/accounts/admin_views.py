"""The 系统管理员's account-security page: lift lockouts, reset two-factor login."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .mfa import mfa_reset
from .models import User
from .services import can_manage_accounts, user_unlock


def _require_account_manager(request):
    if not can_manage_accounts(request.user):
        raise PermissionDenied(_("只有系统管理员可以管理账号安全。"))


def current_lockouts():
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")


def account_security(request):
    _require_account_manager(request)
    return TemplateResponse(
        request,
        "accounts/admin/account_security.html",
        {"lockouts": current_lockouts(), "header_title": _("账号安全"), "page_title": _("账号安全")},
    )


@require_POST
def unlock(request):
    _require_account_manager(request)
    username = request.POST.get("username", "").strip()
    ip = request.POST.get("ip", "").strip() or None
    if username or ip:
        user_unlock(username=username, ip=ip, actor=request.user)
        messages.success(request, _("已解除锁定：%(who)s") % {"who": username or ip})
    return redirect("accounts_security")


@require_POST
def reset_mfa(request):
    """A lost phone: the 系统管理员 removes the person's second factor; they enrol again."""
    _require_account_manager(request)
    username = request.POST.get("username", "").strip()
    try:
        user = User.objects.get_by_natural_key(username)
    except User.DoesNotExist:
        messages.error(request, _("用户“%(name)s”不存在。") % {"name": username})
        return redirect("accounts_security")
    try:
        mfa_reset(user=user, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("accounts_security")
    messages.success(request, _("已重置 %(name)s 的双因素认证，其下次登录时须重新设置。") % {"name": user})
    return redirect("accounts_security")
