"""The network screens in the admin: 运维管理 (core.menus.OperationsMenu), orders 700–720."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import external_views, rules, views
from .registers import NETWORK_REGISTERS


@hooks.register("register_admin_urls")
def register_network_urls():
    v = views
    return [
        path("network/", v.index, name="network_index"),
        path("network/devices/<int:pk>/", v.device_detail, name="network_device"),
        path("network/devices/<int:pk>/pull/", v.device_pull, name="network_device_pull"),
        path("network/devices/<int:pk>/drift/", v.drift, name="network_drift"),
        path("network/versions/<int:pk>/", v.version_detail, name="network_version"),
        path("network/pull-all/", v.pull_all, name="network_pull_all"),
        path("network/upload/", v.upload, name="network_upload"),
        path("network/import/", v.inventory_import, name="network_import"),
        path("network/changes/", v.changes, name="network_changes"),
        path("network/changes/new/", v.change_new, name="network_change_new"),
        path("network/changes/<int:pk>/", v.change_detail, name="network_change"),
        *NETWORK_REGISTERS.urls(),
        *external_urls(),
    ]


def external_urls():
    """二(七)(八): the external connections and wireless exceptions registers."""
    x = external_views
    return [
        path("network/connections/", x.connections, name="network_connections"),
        path("network/connections/new/", x.connection_edit, name="network_connection_new"),
        path("network/connections/<int:pk>/", x.connection_detail, name="network_connection"),
        path("network/connections/<int:pk>/edit/", x.connection_edit, name="network_connection_edit"),
        path("network/connections/<int:pk>/retire/", x.connection_retire, name="network_connection_retire"),
        path("network/wireless/", x.wireless_list, name="network_wireless_list"),
        path("network/wireless/new/", x.wireless_edit, name="network_wireless_new"),
        path("network/wireless/<int:pk>/", x.wireless_detail, name="network_wireless"),
        path("network/wireless/<int:pk>/edit/", x.wireless_edit, name="network_wireless_edit"),
        path("network/wireless/<int:pk>/retire/", x.wireless_retire, name="network_wireless_retire"),
    ]


@hooks.register(OperationsMenu.submenu_hook)
def devices_menu_item():
    return RuleMenuItem(
        _("网络设备"),
        reverse("network_index"),
        icon_name="cogs",
        order=700,
        rule=rules.may_see_devices,
        name="network_index",
    )


@hooks.register(OperationsMenu.submenu_hook)
def changes_menu_item():
    return RuleMenuItem(
        _("配置变更"),
        reverse("network_changes"),
        icon_name="edit",
        order=710,
        rule=rules.may_see_confidential,
        name="network_changes",
    )


@hooks.register(OperationsMenu.submenu_hook)
def connections_menu_item():
    return RuleMenuItem(
        _("外联登记"),
        reverse("network_connections"),
        icon_name="link",
        order=712,
        rule=rules.may_see_confidential,
        name="network_connections",
    )


@hooks.register(OperationsMenu.submenu_hook)
def wireless_menu_item():
    return RuleMenuItem(
        _("无线接入例外"),
        reverse("network_wireless_list"),
        icon_name="warning",
        order=714,
        rule=rules.may_see_confidential,
        name="network_wireless_list",
    )
