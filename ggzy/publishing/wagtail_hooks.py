from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import views
from .panels import MonthlyReportPanel, StepDeadlinesPanel
from .rules import TAKEDOWN_ROLES, user_role_keys
from .viewsets import PublishingViewSetGroup


@hooks.register("register_admin_viewset")
def register_publishing_viewsets():
    return PublishingViewSetGroup()


@hooks.register("register_admin_urls")
def register_publishing_urls():
    return [
        path("publishing/takedown/<int:page_id>/", views.takedown, name="publishing_takedown"),
        path("publishing/records/<int:pk>/pdf/", views.record_pdf, name="publishing_record_pdf"),
    ]


class TakedownButton(PageMenuItem):
    label = _("紧急撤下")
    icon_name = "download"

    @property
    def url(self):
        return reverse("publishing_takedown", args=[self.page.pk])

    def is_shown(self, user):
        return self.page.live and self.page.depth > 2 and bool(user_role_keys(user) & TAKEDOWN_ROLES)


@hooks.register("register_page_listing_more_buttons")
def takedown_listing_button(page, user, next_url=None):
    yield TakedownButton(page=page, priority=45)


@hooks.register("register_page_header_buttons")
def takedown_header_button(page, user, view_name, next_url=None):
    yield TakedownButton(page=page, priority=65)


@hooks.register("construct_homepage_panels")
def add_deadline_panel(request, panels):
    panels.append(StepDeadlinesPanel(request.user))
    panels.append(MonthlyReportPanel(request.user))
