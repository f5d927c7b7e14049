"""The network screens in the admin: 运维管理 (core.menus.OperationsMenu), orders 700–720."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import rules, views
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
