"""The 合规管理 menu (issue 21 §4): 合规总览 for the 安全管理员 and 审计管理员,
我的定期义务 for everyone."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import dashboard, views


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [
        path("compliance/", views.overview, name="compliance_overview"),
        path("compliance/clauses/<str:key>/", views.clause, name="compliance_clause"),
        path("compliance/mine/", views.mine, name="compliance_mine"),
        path("compliance/occurrences/<int:pk>/", views.occurrence, name="compliance_occurrence"),
        path("compliance/evidence/<int:pk>/", views.attachment, name="compliance_attachment"),
    ]


class _OverseerMenuItem(MenuItem):
    def is_shown(self, request):
        return dashboard.is_overseer(request.user)


@hooks.register("register_compliance_menu_item")
def register_overview_item():
    return _OverseerMenuItem(
        _("合规总览"),
        reverse("compliance_overview"),
        name="compliance-overview",
        icon_name="tasks",
        order=100,
    )


@hooks.register("register_compliance_menu_item")
def register_mine_item():
    return MenuItem(
        _("我的定期义务"), reverse("compliance_mine"), name="compliance-mine", icon_name="date", order=200
    )


@hooks.register("register_admin_menu_item")
def register_compliance_menu():
    return SubmenuMenuItem(
        _("合规管理"),
        Menu(register_hook_name="register_compliance_menu_item"),
        name="compliance",
        icon_name="tasks",
        order=850,
    )
