"""The ledger screens in the admin: 运维管理 (core.menus.OperationsMenu)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import rules, views


@hooks.register("register_admin_urls")
def register_asset_urls():
    v = views
    return [
        path("assets/", v.asset_index, name="assets_index"),
        path("assets/new/", v.asset_new, name="assets_new"),
        path("assets/import/", v.asset_import, name="assets_import"),
        path("assets/import/template/", v.import_template, name="assets_import_template"),
        path("assets/<int:pk>/", v.asset_detail, name="assets_detail"),
        path("assets/<int:pk>/label/", v.asset_label, name="assets_label"),
        path("assets/<int:pk>/wipe-evidence/", v.wipe_evidence, name="assets_wipe_evidence"),
        *(
            path(f"assets/<int:pk>/{action}/", v.asset_act, {"action": action}, name=f"assets_{action}")
            for action in ("assign", "return", "appraise", "approve", "dispose")
        ),
        path("assets/repairs/", v.repair_index, name="assets_repairs"),
        path("assets/repairs/new/", v.repair_new, name="assets_repair_new"),
        *(
            path(
                f"assets/repairs/<int:pk>/{action}/",
                v.repair_act,
                {"action": action},
                name=f"assets_repair_{action}",
            )
            for action in ("take", "resolve")
        ),
    ]


@hooks.register(OperationsMenu.submenu_hook)
def ledger_menu_item():
    return RuleMenuItem(
        _("资产台账"),
        reverse("assets_index"),
        icon_name="list-ul",
        order=500,
        rule=rules.may_see_ledger,
        name="assets_index",
    )


@hooks.register(OperationsMenu.submenu_hook)
def repairs_menu_item():
    return RuleMenuItem(
        _("报修"),
        reverse("assets_repairs"),
        icon_name="warning",
        order=510,
        rule=rules.may_report,
        name="assets_repairs",
    )
