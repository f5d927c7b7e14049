import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import events
from .mfa import MFA_TIERS, mfa_enrolled
from .network import admin_access_allowed, client_ip
from .passwords import Tier, password_expired, user_tier


class PasswordChangeRequiredMiddleware:
    """密码、口令管理制度 二(一): a user whose password was set by an administrator
    changes it before doing anything else; 二(三): so does a user whose password
    is past its maximum age. Every request but the change page, logout and
    static assets is redirected there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.must_change_password or password_expired(user))
            # The two-factor pages: TwoFactorRequiredMiddleware (earlier) decides there.
            and not _always_allowed(
                request, "accounts_password_change", "accounts_mfa_verify", "accounts_mfa_setup"
            )
        ):
            return redirect("accounts_password_change")
        return self.get_response(request)


def _always_allowed(request, *names: str) -> bool:
    """The gate's own page, logout, and what the admin's pages load (icon sprite, JS catalogue)."""
    allowed = {
        reverse(name)
        for name in (*names, "wagtailadmin_logout", "wagtailadmin_sprite", "wagtailadmin_javascript_catalog")
    }
    return request.path in allowed or request.path.startswith(settings.STATIC_URL)


class TwoFactorRequiredMiddleware:
    """网络安全管理办法 七 / 等保三级: administrators and publishing roles prove a
    second factor before anything else. Someone already enrolled verifies first
    (even before a forced password change); someone not yet enrolled changes an
    administrator-set or expired password first, then enrols."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        if mfa_enrolled(user):
            if not _always_allowed(request, "accounts_mfa_verify"):
                return redirect_to_login(request.get_full_path(), reverse("accounts_mfa_verify"))
        elif user_tier(user) in MFA_TIERS:
            if user.must_change_password or password_expired(user):
                return self.get_response(request)  # the password gate runs next
            if not _always_allowed(request, "accounts_mfa_setup"):
                return redirect("accounts_mfa_setup")
        return self.get_response(request)


# --------------------------------------------------------------------------- sessions

SESSION_AUTH_AT = "ggzy_auth_at"
SESSION_SEEN_AT = "ggzy_seen_at"


def session_started(request) -> None:
    """Mark the start of an authenticated session (called on login)."""
    now = int(time.time())
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now


class SessionPolicyMiddleware:
    """等保三级 会话管理: a session ends after SESSION_IDLE_MINUTES without a
    request (SESSION_IDLE_ADMIN_MINUTES for administrators) and, whatever the
    activity, SESSION_ABSOLUTE_HOURS after login. The next request is then
    anonymous; the admin sends it to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            auth_at = session.get(SESSION_AUTH_AT)
            seen_at = session.get(SESSION_SEEN_AT)
            if auth_at is None or seen_at is None:
                session_started(request)
            else:
                idle_minutes = (
                    settings.SESSION_IDLE_ADMIN_MINUTES
                    if user_tier(user) == Tier.ADMIN
                    else settings.SESSION_IDLE_MINUTES
                )
                reason = None
                if now - auth_at >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                    reason = "absolute"
                elif now - seen_at >= idle_minutes * 60:
                    reason = "idle"
                if reason:
                    events.emit(
                        "accounts.session.expired", actor=user, obj=user, request=request, reason=reason
                    )
                    logout(request)
                    # Told on the login page by SessionExpiredNoticeMiddleware (messages come later).
                    request.session[SESSION_EXPIRED_REASON] = reason
                elif now - seen_at >= 30:
                    # Not on every request: a session write per click buys nothing.
                    session[SESSION_SEEN_AT] = now
        return self.get_response(request)


SESSION_EXPIRED_REASON = "ggzy.session_expired"
SESSION_EXPIRED_MESSAGES = {
    "idle": _("由于长时间未操作，您已自动退出登录，请重新登录。"),
    "absolute": _("登录时间已超过 %(hours)s 小时，您已自动退出登录，请重新登录。"),
}


class SessionExpiredNoticeMiddleware:
    """Tell a person logged out by the session rules why (after MessageMiddleware),
    so an idle logout is not mistaken for a fault."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        reason = session.pop(SESSION_EXPIRED_REASON, None) if session is not None else None
        if reason in SESSION_EXPIRED_MESSAGES:
            text = SESSION_EXPIRED_MESSAGES[reason] % {"hours": settings.SESSION_ABSOLUTE_HOURS}
            messages.warning(request, text)
        return self.get_response(request)


# --------------------------------------------------------------------------- admin networks

# Paths of the internal face (网络安全管理办法 七(二)); the API joins when it exists.
RESTRICTED_PREFIXES = ("/admin/", "/api/")


class AdminNetworkMiddleware:
    """网络安全管理办法 七(二): the admin and the API answer only clients in
    ADMIN_ALLOWED_NETWORKS (loopback when empty); others get a Chinese 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(RESTRICTED_PREFIXES) and not admin_access_allowed(request):
            events.emit(
                "accounts.admin_access.refused",
                outcome="failure",
                request=request,
                ip=client_ip(request),
                path=request.path,
            )
            # No request context: sessions and users are not loaded yet, on purpose.
            return HttpResponseForbidden(render_to_string("accounts/network_forbidden.html"))
        return self.get_response(request)
