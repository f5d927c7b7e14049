from wagtail import hooks

from .panels import CalendarWarningPanel
from .viewsets import CalendarViewSetGroup


@hooks.register("register_admin_viewset")
def register_calendar_viewsets():
    return CalendarViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    panels.append(CalendarWarningPanel())
