"""Staff departure in the admin: 设置 → 离岗离职 and its pages (URLs unchanged since
the module lived in accounts: /admin/departures/...)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .selectors import can_see_departures


@hooks.register("register_admin_urls")
def register_departure_urls():
    return [
        path("departures/", views.departure_index, name="departures_index"),
        path("departures/new/", views.departure_new, name="departures_new"),
        path("departures/<int:pk>/", views.departure_detail, name="departures_detail"),
        path("departures/<int:pk>/pdf/", views.departure_pdf, name="departures_pdf"),
        path(
            "departures/<int:pk>/items/<int:item_pk>/sign-off/",
            views.departure_sign_off,
            name="departures_sign_off",
        ),
        path("departures/<int:pk>/items/add/", views.departure_add_item, name="departures_add_item"),
        path("departures/<int:pk>/acknowledge/", views.departure_acknowledge, name="departures_acknowledge"),
        path("departures/<int:pk>/close/", views.departure_finish, name="departures_finish"),
    ]


class _DepartureMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_departures(request.user)


@hooks.register("register_settings_menu_item")
def register_departure_menu_item():
    return _DepartureMenuItem(
        _("离岗离职"), reverse("departures_index"), icon_name="user", name="departures", order=620
    )
