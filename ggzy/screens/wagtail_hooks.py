"""The screen register in the admin: 运维管理 → 电子屏 (core.menus.OperationsMenu)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import rules, views
from .registers import SCREENS


@hooks.register("register_admin_urls")
def register_screens_urls():
    return SCREENS.urls(index=views.screen_index)


@hooks.register(OperationsMenu.submenu_hook)
def screens_menu_item():
    return RuleMenuItem(
        _("电子屏"),
        reverse("screens_register_screens"),
        icon_name="desktop",
        order=640,
        rule=rules.may_see,
        name="screens_register_screens",
    )
