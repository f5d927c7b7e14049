from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import selectors, views


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path("audit/events/", views.events_index, name="audit_events"),
        path("audit/events/export/", views.events_export, name="audit_events_export"),
        path("audit/grants/", views.grants_index, name="audit_grants"),
        path("audit/grants/<int:pk>/decide/", views.grant_decide, name="audit_grant_decide"),
        path("audit/grants/<int:pk>/revoke/", views.grant_revoke, name="audit_grant_revoke"),
        path("audit/reviews/", views.reviews, name="audit_reviews"),
    ]


class _AuditorMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_audit_admin(request.user)


class _GrantMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_audit_admin(request.user) or selectors.is_security_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_log_menu_item():
    return _AuditorMenuItem(
        _("审计日志"), reverse("audit_events"), name="audit-log", icon_name="list-ul", order=900
    )


@hooks.register("register_admin_menu_item")
def register_audit_review_menu_item():
    return _AuditorMenuItem(
        _("日志审查"), reverse("audit_reviews"), name="audit-reviews", icon_name="search", order=901
    )


@hooks.register("register_admin_menu_item")
def register_audit_grant_menu_item():
    return _GrantMenuItem(
        _("日志查阅授权"), reverse("audit_grants"), name="audit-grants", icon_name="key", order=902
    )
