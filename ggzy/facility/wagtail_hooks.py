"""The facility screens in the admin: 运维管理 (core.menus.OperationsMenu), orders 600–690."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ggzy.core.menus import OperationsMenu, RuleMenuItem

from . import rules, views
from .registers import FACILITY_REGISTERS


@hooks.register("register_admin_urls")
def register_facility_urls():
    v = views
    return [
        path("facility/", v.index, name="facility_index"),
        path("facility/rooms/<int:pk>/", v.room_detail, name="facility_room"),
        path("facility/rooms/<int:pk>/log/<str:day>/", v.duty_log, name="facility_duty_log"),
        path("facility/logs/<int:pk>/sign/", v.duty_log_sign, name="facility_duty_log_sign"),
        path("facility/visits/", v.visit_index, name="facility_visits"),
        path("facility/visits/new/", v.visit_new, name="facility_visit_new"),
        *(
            path(
                f"facility/visits/<int:pk>/{action}/",
                v.visit_act,
                {"action": action},
                name=f"facility_visit_{action}",
            )
            for action in ("decide", "enter", "leave")
        ),
        path("facility/viewings/", v.viewing_index, name="facility_viewings"),
        path("facility/viewings/new/", v.viewing_new, name="facility_viewing_new"),
        *(
            path(
                f"facility/viewings/<int:pk>/{action}/",
                v.viewing_act,
                {"action": action},
                name=f"facility_viewing_{action}",
            )
            for action in ("decide", "record", "return")
        ),
        path("facility/recordings/", v.recording_index, name="facility_recordings"),
        path("facility/recordings/new/", v.recording_new, name="facility_recording_new"),
        path("facility/recordings/<int:pk>/file/", v.recording_file, name="facility_recording_file"),
        # Rooms, sensors, roster, keys, confidential machines, extinguishers, monitoring log.
        *FACILITY_REGISTERS.urls(),
    ]


@hooks.register(OperationsMenu.submenu_hook)
def rooms_menu_item():
    return RuleMenuItem(
        _("机房值班"),
        reverse("facility_index"),
        icon_name="home",
        order=600,
        rule=rules.may_see_rooms,
        name="facility_index",
    )


@hooks.register(OperationsMenu.submenu_hook)
def viewings_menu_item():
    return RuleMenuItem(
        _("录像调阅"),
        reverse("facility_viewings"),
        icon_name="view",
        order=650,
        rule=rules.may_see_viewings,
        name="facility_viewings",
    )


@hooks.register(OperationsMenu.submenu_hook)
def visits_menu_item():
    return RuleMenuItem(
        _("进入机房登记"),
        reverse("facility_visits"),
        icon_name="user",
        order=610,
        rule=rules.may_see_visits,
        name="facility_visits",
    )


@hooks.register(OperationsMenu.submenu_hook)
def registers_menu_item():
    """One entry for the facility registers (each page links to the others)."""
    return RuleMenuItem(
        _("机房登记簿"),
        reverse("facility_register_rooms"),
        icon_name="list-ul",
        order=620,
        rule=rules.may_see_rooms,
        name="facility_registers",
    )


@hooks.register(OperationsMenu.submenu_hook)
def recordings_menu_item():
    return RuleMenuItem(
        _("监控录像存档"),
        reverse("facility_recordings"),
        icon_name="media",
        order=655,
        rule=rules.may_see_viewings,
        name="facility_recordings",
    )
