from django.shortcuts import redirect
from django.urls import reverse

from .passwords import password_expired


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
        ):
            # The admin's icon sprite and JS catalogue load into the change page itself.
            allowed = {
                reverse(name)
                for name in (
                    "accounts_password_change",
                    "wagtailadmin_logout",
                    "wagtailadmin_sprite",
                    "wagtailadmin_javascript_catalog",
                )
            }
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts_password_change")
        return self.get_response(request)
