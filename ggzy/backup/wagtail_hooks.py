"""The backup screen in the admin: 运维管理 (core.menus.OperationsMenu), 800."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import rules, views


@hooks.register("register_admin_urls")
def register_backup_urls():
    return [
        path("backup/", views.index, name="backup_index"),
        path("backup/run/", views.start_backup, name="backup_start"),
        path("backup/drill/", views.start_drill, name="backup_drill_start"),
        path("backup/drills/<int:pk>/report/", views.drill_report, name="backup_drill_report"),
        path("backup/drills/<int:pk>/submit/", views.submit_drill, name="backup_drill_submit"),
    ]


@hooks.register(OperationsMenu.submenu_hook)
def backup_menu_item():
    return RuleMenuItem(
        _("备份与恢复"),
        reverse("backup_index"),
        icon_name="download",
        order=800,
        rule=rules.may_see,
        name="backup",
    )
