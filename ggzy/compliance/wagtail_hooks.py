"""The compliance screens and their items in the 合规管理 group (core.menus):
合规总览 for the 安全管理员 and 审计管理员, 我的定期义务 for everyone."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ggzy.core.menus import ComplianceMenu

from . import dashboard, views


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [
        path("compliance/", views.overview, name="compliance_overview"),
        path("compliance/clauses/<str:key>/", views.clause, name="compliance_clause"),
        path("compliance/mine/", views.mine, name="compliance_mine"),
        path("compliance/occurrences/<int:pk>/", views.occurrence, name="compliance_occurrence"),
        path("compliance/evidence/<int:pk>/", views.attachment, name="compliance_attachment"),
        path(
            "compliance/occurrences/<int:pk>/followups/", views.followup_add, name="compliance_followup_add"
        ),
        path("compliance/followups/<int:pk>/close/", views.followup_close, name="compliance_followup_close"),
        path("compliance/calendar/", views.calendar, name="compliance_calendar"),
        path("compliance/feed/", views.feed, name="compliance_feed"),
        path("compliance/report/", views.report, name="compliance_report"),
        path("compliance/report/export/", views.report_download, name="compliance_report_download"),
    ]


class _OverseerMenuItem(MenuItem):
    def is_shown(self, request):
        return dashboard.is_overseer(request.user)


@hooks.register(ComplianceMenu.submenu_hook)
def register_overview_item():
    return _OverseerMenuItem(
        _("合规总览"),
        reverse("compliance_overview"),
        name="compliance-overview",
        icon_name="tasks",
        order=100,
    )


@hooks.register(ComplianceMenu.submenu_hook)
def register_mine_item():
    return MenuItem(
        _("我的定期义务"), reverse("compliance_mine"), name="compliance-mine", icon_name="date", order=200
    )


@hooks.register(ComplianceMenu.submenu_hook)
def register_calendar_item():
    return MenuItem(
        _("义务日历"),
        reverse("compliance_calendar"),
        name="compliance-calendar",
        icon_name="calendar",
        order=300,
    )


@hooks.register(ComplianceMenu.submenu_hook)
def register_report_item():
    return _OverseerMenuItem(
        _("合规报告"), reverse("compliance_report"), name="compliance-report", icon_name="doc-full", order=400
    )
