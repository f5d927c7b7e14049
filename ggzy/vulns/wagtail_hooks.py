"""The vulnerability screens in the admin: 运维管理 (core.menus.OperationsMenu), 700–710."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import rules, software, views


@hooks.register("register_admin_urls")
def register_vulns_urls():
    v = views
    return [
        path("vulns/", v.plan_index, name="vulns_plans"),
        path("vulns/plans/new/", v.plan_new, name="vulns_plan_new"),
        path("vulns/plans/<int:pk>/", v.plan_detail, name="vulns_plan"),
        path("vulns/plans/<int:pk>/decide/", v.plan_decide, name="vulns_plan_decide"),
        path("vulns/plans/<int:pk>/scan/", v.scan_start, name="vulns_scan_start"),
        path("vulns/plans/<int:pk>/import/", v.scan_import, name="vulns_scan_import"),
        path("vulns/scans/<int:pk>/", v.scan_detail, name="vulns_scan"),
        path("vulns/scans/<int:pk>/output/", v.scan_output, name="vulns_scan_output"),
        path(
            "vulns/scans/<int:pk>/analysis/", v.analysis_act, {"action": "save"}, name="vulns_analysis_save"
        ),
        path(
            "vulns/scans/<int:pk>/analysis/sign/",
            v.analysis_act,
            {"action": "sign"},
            name="vulns_analysis_sign",
        ),
        path(
            "vulns/scans/<int:pk>/analysis.pdf", v.analysis_export, {"kind": "pdf"}, name="vulns_analysis_pdf"
        ),
        path(
            "vulns/scans/<int:pk>/analysis.xlsx",
            v.analysis_export,
            {"kind": "xlsx"},
            name="vulns_analysis_xlsx",
        ),
        path("vulns/hosts/", v.host_index, name="vulns_hosts"),
        path("vulns/hosts/<int:pk>/dismiss/", v.host_dismiss, name="vulns_host_dismiss"),
        path("vulns/endpoints/", v.endpoint_index, name="vulns_endpoints"),
        path("vulns/endpoints/<int:pk>/", v.endpoint_edit, name="vulns_endpoint_edit"),
        path("vulns/endpoints/import/", v.endpoint_import, name="vulns_endpoint_import"),
        # 网络与系统安全维护管理制度 二(二): what 信息科 allows, and what is installed.
        path("vulns/endpoints/<int:pk>/software/", v.software_inventory, name="vulns_software_inventory"),
        path("vulns/endpoints/software-import/", v.software_import, name="vulns_software_import"),
        *software.APPROVED.urls(),
        path("vulns/figures/", v.figures_page, name="vulns_figures"),
        path("vulns/figures.pdf", v.figures_export, {"kind": "pdf"}, name="vulns_figures_pdf"),
        path("vulns/figures.xlsx", v.figures_export, {"kind": "xlsx"}, name="vulns_figures_xlsx"),
        path("vulns/findings/", v.finding_index, name="vulns_findings"),
        path("vulns/findings/<int:pk>/", v.finding_detail, name="vulns_finding"),
        *(
            path(
                f"vulns/findings/<int:pk>/{action}/",
                v.finding_act,
                {"action": action},
                name=f"vulns_finding_{action}",
            )
            for action in ("assign", "close")
        ),
    ]


# 运维管理 items, all for the readers of vulns (rules.may_see): (url name, label, icon, order).
MENU = (
    ("vulns_plans", _("漏洞扫描"), "search", 700),
    ("vulns_findings", _("安全隐患"), "warning", 710),
    ("vulns_hosts", _("扫描发现的主机"), "site", 715),
    ("vulns_endpoints", _("终端防护"), "desktop", 720),
    ("vulns_register_software", _("准许安装的软件"), "list-ul", 725),
    ("vulns_figures", _("漏洞统计"), "table", 730),
)


def _menu_item(name, label, icon, order):
    def item():
        return RuleMenuItem(label, reverse(name), icon_name=icon, order=order, rule=rules.may_see, name=name)

    return item


for _entry in MENU:
    hooks.register(OperationsMenu.submenu_hook, _menu_item(*_entry))
