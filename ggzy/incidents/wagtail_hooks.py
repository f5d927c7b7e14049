"""The incident screens and their items in the 应急响应 group (core.menus)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ggzy.core.menus import IncidentsMenu

from . import views
from .permissions import can_view
from .registers import READINESS


@hooks.register("register_admin_urls")
def register_incident_urls():
    return [
        path("incidents/", views.index, name="incidents_index"),
        path("incidents/new/", views.new, name="incidents_new"),
        path("incidents/<int:pk>/", views.detail, name="incidents_detail"),
        path("incidents/<int:pk>/act/", views.act, name="incidents_act"),
        path("incidents/<int:pk>/edit/", views.edit, name="incidents_edit"),
        path("incidents/<int:pk>/report.pdf", views.report_pdf, name="incidents_report_pdf"),
        path("incidents/evidence/<int:pk>/", views.evidence, name="incidents_evidence"),
        path("incidents/alerts/", views.alerts, name="incidents_alerts"),
        path("incidents/alerts/<int:pk>/", views.alert, name="incidents_alert"),
        path("incidents/figures/", views.figures, name="incidents_figures"),
        *(
            path(
                f"incidents/figures/{kind}/",
                views.figures_export,
                {"kind": kind},
                name=f"incidents_figures_{kind}",
            )
            for kind in ("pdf", "xlsx")
        ),
        # 应急预案 第十、十一、十三–十六条: the readiness registers.
        *READINESS.urls(edit=views.register_edit),
    ]


class _ViewerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


@hooks.register(IncidentsMenu.submenu_hook)
def register_index_item():
    return _ViewerMenuItem(
        _("安全事件"), reverse("incidents_index"), name="incidents", icon_name="warning", order=100
    )


@hooks.register(IncidentsMenu.submenu_hook)
def register_alerts_item():
    return _ViewerMenuItem(
        _("告警"), reverse("incidents_alerts"), name="incident-alerts", icon_name="warning", order=200
    )


@hooks.register(IncidentsMenu.submenu_hook)
def register_figures_item():
    return _ViewerMenuItem(
        _("应急统计"), reverse("incidents_figures"), name="incident-figures", icon_name="table", order=300
    )


@hooks.register(IncidentsMenu.submenu_hook)
def register_registers_item():
    """One entry for the five readiness registers (the page links to the others)."""
    return _ViewerMenuItem(
        _("应急准备登记"),
        reverse("incidents_register_contacts"),
        name="incident-registers",
        icon_name="list-ul",
        order=400,
    )
