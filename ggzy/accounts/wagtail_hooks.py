from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .services import can_manage_accounts
from .viewsets import password_policy_viewset


@hooks.register("register_admin_viewset")
def register_password_policy_viewset():
    return password_policy_viewset


@hooks.register("register_admin_urls")
def register_account_security_urls():
    return [
        path("account-security/", admin_views.account_security, name="accounts_security"),
        path("account-security/unlock/", admin_views.unlock, name="accounts_unlock"),
        path("account-security/reset-mfa/", admin_views.reset_mfa, name="accounts_reset_mfa"),
    ]


class _AccountManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_accounts(request.user)


@hooks.register("register_settings_menu_item")
def register_account_security_menu_item():
    return _AccountManagerMenuItem(
        _("账号安全"), reverse("accounts_security"), icon_name="lock", name="account_security", order=610
    )
