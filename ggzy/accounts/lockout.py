"""django-axes glue: user names compared case-insensitively, and the lockout
page in Chinese on the Wagtail login screen (网络安全管理办法 三)."""

from django.conf import settings
from django.shortcuts import render
from wagtail.admin.forms.auth import LoginForm


def normalized_username(request, credentials) -> str | None:
    """User names are case-insensitive (网络安全管理办法 三(二)), so are their counters."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    context = {
        "form": LoginForm(request=request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": lockout_minutes(),
    }
    return render(request, "accounts/login_locked.html", context, status=429)
