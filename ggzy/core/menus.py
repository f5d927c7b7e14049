"""Admin menu groups that several apps fill, declared in one low place.

A group is a top-level entry of the Wagtail sidebar (label, icon, place)
whose items come from the apps above ``core``: an app puts one of its viewsets
in a group with the :func:`in_group` class decorator and registers the viewset
as usual (``register_admin_viewset``). The group collects the items through
Wagtail's own ``submenu_hook`` and shows only those the user may see; a group
with no visible item is not shown at all. ``core`` names no app above it.

    网站管理 (SiteManagementMenu): the 网站管理员's day-to-day tools
    (网站管理制度 第七条), each item shown to the holders of its permissions:
        100  暂停交易服务通知   suspensions
        200  网页防篡改检查     sitebuild
        300  网站月报           sitebuild (网站管理员; 审计管理员 read)

    合规管理 (ComplianceMenu): the compliance backbone (issue 21) and the
    operations modules that build on it; plain admin views register a MenuItem
    with the group's ``submenu_hook`` (wagtail's ``hooks.register``):
        100  合规总览           compliance (安全管理员, 审计管理员)
        200  我的定期义务       compliance (everyone)

    应急响应 (IncidentsMenu): incidents (ggzy.incidents), for the responders, the
    审计管理员 and the 分管领导 (read):
        100  安全事件  200  告警  300  应急统计

    运维管理 (OperationsMenu): the operations modules' registers (facility,
    network, vulns, vendors, assets, credentials, backup), each item shown to
    whom its viewset's permission policy allows:
        300  特权口令           credentials (网络管理员, 科室负责人, holders)
        410  业务外包申请       vendors (科室负责人, 中心主任)
        420  外包承包商         vendors
        430  上门服务           vendors
        440  远程服务记录       vendors
        450  版本升级报备       vendors
        500  资产台账           assets
        510  报修               assets (everyone: their own assets)
        600  机房值班           facility (机房管理员, 监控管理员; 安全管理员, 审计管理员 read)
        610  进入机房登记       facility (room keepers; 信息科/交易监督科负责人 approve; overseers read)
        650  录像调阅           facility (监控管理员, 交易监督科负责人; 安全管理员, 审计管理员 read)
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

__all__ = [
    "GROUPS",
    "ComplianceMenu",
    "IncidentsMenu",
    "OperationsMenu",
    "RuleMenuItem",
    "SiteManagementMenu",
    "in_group",
]


class SiteManagementMenu(ViewSetGroup):
    """网站管理."""

    menu_label = _("网站管理")
    menu_icon = "site"
    menu_order = 850
    submenu_hook = "ggzy_site_management_menu_item"


class ComplianceMenu(ViewSetGroup):
    """合规管理."""

    menu_label = _("合规管理")
    menu_icon = "tasks"
    menu_order = 860
    submenu_hook = "ggzy_compliance_menu_item"


class IncidentsMenu(ViewSetGroup):
    """应急响应 (ggzy.incidents: 网络信息安全故障应急预案)."""

    menu_label = _("应急响应")
    menu_icon = "warning"
    menu_order = 855
    submenu_hook = "ggzy_incidents_menu_item"


class OperationsMenu(ViewSetGroup):
    """运维管理."""

    menu_label = _("运维管理")
    menu_icon = "cogs"
    menu_order = 870
    submenu_hook = "ggzy_operations_menu_item"


# The groups core registers with the admin (core.wagtail_hooks).
GROUPS = (SiteManagementMenu, ComplianceMenu, IncidentsMenu, OperationsMenu)


def in_group(group: type[ViewSetGroup], *, order: int):
    """Class decorator: the viewset's menu item goes into ``group``, at ``order``
    among the group's items (lower first), instead of the main or settings menu."""

    def decorate(viewset_class):
        viewset_class.menu_hook = group.submenu_hook
        viewset_class.menu_order = order
        return viewset_class

    return decorate


class RuleMenuItem(MenuItem):
    """A menu item of a plain admin view, shown to whom ``rule(user)`` allows
    (the same rule the view itself applies)."""

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def is_shown(self, request):
        return self.rule(request.user)
