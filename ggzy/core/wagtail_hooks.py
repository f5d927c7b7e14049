from wagtail import hooks

from .menus import GROUPS
from .panels import CalendarWarningPanel
from .viewsets import CalendarViewSetGroup


@hooks.register("register_admin_viewset")
def register_calendar_viewsets():
    return CalendarViewSetGroup()


@hooks.register("register_admin_viewset")
def register_shared_menu_groups():
    """The shared groups (core.menus); the apps register the viewsets in them."""
    return [group() for group in GROUPS]


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    panels.append(CalendarWarningPanel())
