from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, sidebar  # noqa: F401 (sidebar: the account menu's full name)
from .mfa import mfa_enrolled
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


@hooks.register("register_account_menu_item")
def register_password_change_account_item(request):
    return {
        "url": reverse("accounts_password_change"),
        "label": _("修改密码"),
        "help_text": _("按密码、口令管理制度定期修改密码。"),
    }


@hooks.register("register_account_menu_item")
def register_recovery_codes_account_item(request):

    if not mfa_enrolled(request.user):
        return None
    return {
        "url": reverse("accounts_mfa_recovery_codes"),
        "label": _("重新生成恢复码"),
        "help_text": _("双因素认证的恢复码用完或可能泄露时使用；原有恢复码随即作废。"),
    }
