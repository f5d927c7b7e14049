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


@hooks.register("insert_global_admin_js")
def admin_init_without_inline_scripts():
    """Runs what Wagtail's templates did in inline scripts (the admin's CSP, ggzy.core.csp)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}"></script>', static("core/admin-init.js"))
