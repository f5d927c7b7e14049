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

    合规管理 (ComplianceMenu): the compliance backbone (issue 21) and the
    operations modules that build on it; plain admin views register a MenuItem
    with the group's ``submenu_hook`` (wagtail's ``hooks.register``):
        100  合规总览           compliance (安全管理员, 审计管理员)
        200  我的定期义务       compliance (everyone)

    外包与资产 (OperationsMenu): outsourcing and vendor service (技术服务外包、维护管理制度)
    and the asset ledger (网络与系统安全维护管理制度 一); each item shown to the roles
    its screen serves:
        100  业务外包申请       vendors
        200  外包承包商         vendors
        300  上门服务           vendors
        400  远程服务记录       vendors
        500  版本升级报备       vendors
        600  资产台账           assets
        700  报修               assets (everyone: their own assets)
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

__all__ = ["GROUPS", "ComplianceMenu", "OperationsMenu", "SiteManagementMenu", "in_group"]


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


class OperationsMenu(ViewSetGroup):
    """外包与资产."""

    menu_label = _("外包与资产")
    menu_icon = "cogs"
    menu_order = 870
    submenu_hook = "ggzy_operations_menu_item"


# The groups core registers with the admin (core.wagtail_hooks).
GROUPS = (SiteManagementMenu, ComplianceMenu, OperationsMenu)


def in_group(group: type[ViewSetGroup], *, order: int):
    """Class decorator: the viewset's menu item goes into ``group``, at ``order``
    among the group's items (lower first), instead of the main or settings menu."""

    def decorate(viewset_class):
        viewset_class.menu_hook = group.submenu_hook
        viewset_class.menu_order = order
        return viewset_class

    return decorate
