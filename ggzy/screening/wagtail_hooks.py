from wagtail import hooks

from .editor import after_save, release_or_draft
from .pages import is_screened_article
from .views import PageFindingsView
from .viewsets import lexicon_entry_viewset


@hooks.register("register_admin_viewset")
def register_lexicon_entry_viewset():
    return lexicon_entry_viewset


# Last among the before hooks (order): permission hooks refuse first, and the
# re-dispatched save runs them all again.
@hooks.register("before_create_page", order=100)
def refused_release_on_create_saves_a_draft(request, parent_page, page_class):
    return release_or_draft(
        request,
        page_class=page_class,
        instance=lambda: page_class(owner=request.user, locale=parent_page.locale),
        parent=parent_page,
    )


@hooks.register("before_edit_page", order=100)
def refused_release_on_edit_saves_a_draft(request, page):
    if request.method != "POST":
        return None
    return release_or_draft(
        request,
        page_class=page.specific_class,
        instance=page.get_latest_revision_as_object,
        parent=page.get_parent(),
        page=page,
    )


hooks.register("after_create_page", after_save)
hooks.register("after_edit_page", after_save)


@hooks.register("register_admin_urls")
def register_screening_urls():
    from django.urls import path

    return [
        path(
            "screening/pages/<int:page_id>/findings/",
            PageFindingsView.as_view(),
            name="screening_page_findings",
        ),
    ]


@hooks.register("register_page_header_buttons")
def page_findings_button(page, user, view_name, next_url=None):
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from wagtail.admin.widgets import Button

    if is_screened_article(page.specific_class):
        yield Button(
            _("审查结果"),
            reverse("screening_page_findings", args=[page.pk]),
            icon_name="warning",
            priority=80,
        )
