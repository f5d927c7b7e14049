"""The device log screens in the admin: 运维管理 (core.menus.OperationsMenu), orders 725–727."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem
from ggzy.network import rules as network_rules

from . import selectors, views


@hooks.register("register_admin_urls")
def register_devicelogs_urls():
    return [
        path("devicelogs/", views.overview, name="devicelogs_index"),
        path("devicelogs/search/", views.search, name="devicelogs_search"),
        path("devicelogs/grants/", views.grants, name="devicelogs_grants"),
        path("devicelogs/grants/<int:pk>/decide/", views.grant_decide, name="devicelogs_grant_decide"),
        path("devicelogs/grants/<int:pk>/revoke/", views.grant_revoke, name="devicelogs_grant_revoke"),
    ]


@hooks.register(OperationsMenu.submenu_hook)
def devicelogs_menu_item():
    return RuleMenuItem(
        _("设备日志"),
        reverse("devicelogs_index"),
        icon_name="doc-full",
        order=725,
        rule=network_rules.may_see_confidential,
        name="devicelogs_index",
    )


@hooks.register(OperationsMenu.submenu_hook)
def devicelogs_search_menu_item():
    return RuleMenuItem(
        _("设备日志检索"),
        reverse("devicelogs_search"),
        icon_name="search",
        order=726,
        rule=selectors.is_reader,
        name="devicelogs_search",
    )


@hooks.register(OperationsMenu.submenu_hook)
def devicelogs_grants_menu_item():
    return RuleMenuItem(
        _("设备日志查阅授权"),
        reverse("devicelogs_grants"),
        icon_name="key",
        order=727,
        rule=lambda user: selectors.is_reader(user) or selectors.is_security_admin(user),
        name="devicelogs_grants",
    )
