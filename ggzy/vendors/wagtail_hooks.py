"""The vendor screens in the admin: 运维管理 (core.menus.OperationsMenu)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import rules, views


@hooks.register("register_admin_urls")
def register_vendor_urls():
    v = views
    return [
        path("vendors/", v.vendor_index, name="vendors_index"),
        path("vendors/new/", v.vendor_new, name="vendors_vendor_new"),
        path("vendors/<int:pk>/", v.vendor_detail, name="vendors_vendor_detail"),
        path("vendors/<int:pk>/staff/", v.staff_add, name="vendors_staff_add"),
        path("vendors/<int:pk>/contracts/new/", v.contract_new, name="vendors_contract_new"),
        path("vendors/<int:pk>/evaluations/new/", v.evaluation_new, name="vendors_evaluation_new"),
        path("vendors/contract-files/<int:pk>/", v.contract_file, name="vendors_contract_file"),
        path("vendors/selections/new/", v.selection_new, name="vendors_selection_new"),
        path("vendors/selections/<int:pk>/file/", v.selection_file, name="vendors_selection_file"),
        path("vendors/requests/", v.request_index, name="vendors_requests"),
        path("vendors/requests/new/", v.request_new, name="vendors_request_new"),
        path("vendors/requests/<int:pk>/", v.request_detail, name="vendors_request_detail"),
        path("vendors/requests/<int:pk>/decide/", v.request_decide, name="vendors_request_decide"),
        path("vendors/visits/", v.visit_index, name="vendors_visits"),
        path("vendors/visits/new/", v.visit_new, name="vendors_visit_new"),
        path("vendors/visits/<int:pk>/", v.visit_detail, name="vendors_visit_detail"),
        *(
            path(
                f"vendors/visits/<int:pk>/{action}/",
                v.visit_act,
                {"action": action},
                name=f"vendors_visit_{action}",
            )
            for action in ("review", "approve", "arrive", "depart")
        ),
        path(
            "vendors/visits/<int:pk>/letter/", v.visit_file, {"which": "letter"}, name="vendors_visit_letter"
        ),
        path("vendors/visits/<int:pk>/id/", v.visit_file, {"which": "id"}, name="vendors_visit_id"),
        path("vendors/remote/", v.remote_index, name="vendors_remote"),
        path("vendors/remote/new/", v.remote_new, name="vendors_remote_new"),
        path("vendors/remote/<int:pk>/file/", v.remote_file, name="vendors_remote_file"),
        path("vendors/upgrades/", v.upgrade_index, name="vendors_upgrades"),
        path("vendors/upgrades/new/", v.upgrade_new, name="vendors_upgrade_new"),
        path("vendors/upgrades/<int:pk>/", v.upgrade_detail, name="vendors_upgrade_detail"),
        *(
            path(
                f"vendors/upgrades/<int:pk>/{action}/",
                v.upgrade_act,
                {"action": action},
                name=f"vendors_upgrade_{action}",
            )
            for action in ("review", "decide", "execute", "result", "resolve")
        ),
    ]


def _item(label, url_name, rule, order, icon="doc-full"):
    return RuleMenuItem(label, reverse(url_name), icon_name=icon, order=order, rule=rule, name=url_name)


@hooks.register(OperationsMenu.submenu_hook)
def requests_menu_item():
    return _item(_("业务外包申请"), "vendors_requests", rules.may_see_requests, 410)


@hooks.register(OperationsMenu.submenu_hook)
def vendors_menu_item():
    return _item(_("外包承包商"), "vendors_index", rules.may_see_vendors, 420, icon="group")


@hooks.register(OperationsMenu.submenu_hook)
def visits_menu_item():
    return _item(_("上门服务"), "vendors_visits", rules.may_see_visits, 430, icon="user")


@hooks.register(OperationsMenu.submenu_hook)
def remote_menu_item():
    return _item(_("远程服务记录"), "vendors_remote", rules.may_see_remote, 440, icon="link")


@hooks.register(OperationsMenu.submenu_hook)
def upgrades_menu_item():
    return _item(_("版本升级报备"), "vendors_upgrades", rules.may_see_upgrades, 450, icon="upload")
