from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, departure_views
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
        path("departures/", departure_views.departure_index, name="accounts_departures"),
        path("departures/new/", departure_views.departure_new, name="accounts_departure_new"),
        path("departures/<int:pk>/", departure_views.departure_detail, name="accounts_departure_detail"),
        path("departures/<int:pk>/pdf/", departure_views.departure_pdf, name="accounts_departure_pdf"),
        path(
            "departures/<int:pk>/items/<int:item_pk>/sign-off/",
            departure_views.departure_sign_off,
            name="accounts_departure_sign_off",
        ),
        path(
            "departures/<int:pk>/items/add/",
            departure_views.departure_add_item,
            name="accounts_departure_add_item",
        ),
        path(
            "departures/<int:pk>/acknowledge/",
            departure_views.departure_acknowledge,
            name="accounts_departure_acknowledge",
        ),
        path(
            "departures/<int:pk>/close/", departure_views.departure_finish, name="accounts_departure_finish"
        ),
    ]


class _AccountManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_accounts(request.user)


@hooks.register("register_settings_menu_item")
def register_account_security_menu_item():
    return _AccountManagerMenuItem(
        _("账号安全"), reverse("accounts_security"), icon_name="lock", name="account_security", order=610
    )


class _DepartureMenuItem(MenuItem):
    def is_shown(self, request):
        return departure_views.can_see_departures(request.user)


@hooks.register("register_settings_menu_item")
def register_departure_menu_item():
    return _DepartureMenuItem(
        _("离岗离职"), reverse("accounts_departures"), icon_name="user", name="departures", order=620
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
