from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import views
from .panels import MonthlyReportPanel, RejectionsPanel, StepDeadlinesPanel
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
    panels.append(RejectionsPanel(request.user))
    panels.append(StepDeadlinesPanel(request.user))
    panels.append(MonthlyReportPanel(request.user))


@hooks.register("before_move_page")
def refuse_move_out_of_lane(request, page, destination):
    """Wagtail's move confirmation shows the page and the target before any
    permission check; refuse it unless the move itself is allowed (issue 14 item 1)."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_page_chooser_queryset")
def chooser_in_reach(pages, request):
    """The page chooser lists live pages and the pages the user may explore:
    no draft of another department by title (issue 14 item 1)."""
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    explorable = policy_registry.get_by_type(Page).explorable_instances(request.user)
    return pages.filter(Q(live=True) | Q(pk__in=explorable.values("pk")))


@hooks.register("before_serve_document")
def document_only_if_public_or_permitted(document, request):
    """Issue 14 item 2: /documents/<id>/<name> answers anonymous visitors only
    for a file a live public page uses; staff through the permission check.
    404 otherwise (ids are sequential: the answer confirms nothing)."""
    from django.http import Http404

    from .files import may_fetch_file

    if not may_fetch_file(request.user, document):
        raise Http404


@hooks.register("before_create_page")
def columns_only_by_the_website_admin(request, parent_page, page_class):
    """Issue 14 item 5: a 信息员 drafts items; a column page is created only by
    the 网站管理员 (栏目设置, 网站管理制度 第九条)."""
    from .permissions import is_column_item_class, may_shape_columns

    if not is_column_item_class(page_class) and not may_shape_columns(request.user):
        raise PermissionDenied


# order: after the other after_edit_page hooks (screening's findings messages).
@hooks.register("after_edit_page", order=100)
def dashboard_after_own_step(request, page):
    """Issue 20: an approval or 退回修改 from the editor's action menu lands on the
    dashboard when the item is no longer the reviewer's to open (Wagtail would send
    them to the column's listing, which they may not see)."""
    if "action-workflow-action" not in request.POST:
        return None
    from django.shortcuts import redirect

    from .permissions import page_within_reach

    # Wagtail goes on to the column's listing (the parent), not to the item.
    parent = page.get_parent()
    if parent is not None and page_within_reach(parent, request.user):
        return None
    return redirect("wagtailadmin_home")


@hooks.register("before_edit_page")
def show_rejection(request, page):
    """Issue 20: the drafter opening an item sent back sees who sent it back and why."""
    if request.method != "GET":
        return None
    from django.contrib import messages

    from .selectors import rejection_of

    rejection = rejection_of(page)
    if rejection is not None:
        messages.warning(
            request,
            _("%(reviewer)s 退回修改（%(step)s）：%(comment)s")
            % {
                "reviewer": rejection.reviewer,
                "step": rejection.step,
                "comment": rejection.comment or _("（未填写意见）"),
            },
        )
    return None
