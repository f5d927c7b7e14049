from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import RuleMenuItem, SiteManagementMenu

from . import views
from .viewsets import TamperCheckViewSet


@hooks.register("register_admin_viewset")
def register_tamper_check_viewset():
    # In the 网站管理 group (core.menus).
    return TamperCheckViewSet("tamper_checks")


@hooks.register("register_admin_urls")
def register_website_report_urls():
    return [
        path("site/website-reports/", views.report_index, name="sitebuild_website_reports"),
        path(
            "site/website-reports/download/", views.report_download, name="sitebuild_website_report_download"
        ),
        path(
            "site/website-reports/<int:pk>/<str:fmt>/",
            views.report_file,
            name="sitebuild_website_report_file",
        ),
    ]


@hooks.register(SiteManagementMenu.submenu_hook)
def register_website_report_menu_item():
    return RuleMenuItem(
        _("网站月报"),
        reverse("sitebuild_website_reports"),
        name="website-reports",
        icon_name="doc-full",
        order=300,
        rule=views.may_see_reports,
    )
