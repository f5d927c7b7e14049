from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .viewsets import column_policy_viewset


@hooks.register("register_admin_viewset")
def register_column_policy_viewset():
    return column_policy_viewset


@hooks.register("register_admin_urls")
def register_site_identity_urls():
    return [path("site-identity/", admin_views.site_identity, name="portal_site_identity")]


class _IdentityMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_edit_identity(request.user)


@hooks.register("register_settings_menu_item")
def register_site_identity_menu_item():
    return _IdentityMenuItem(
        _("网站标识"), reverse("portal_site_identity"), icon_name="site", name="site_identity", order=290
    )
