from wagtail import hooks

from .pages import is_screened_article
from .pagescreen import describe, page_findings
from .views import PageFindingsView
from .viewsets import lexicon_entry_viewset


@hooks.register("register_admin_viewset")
def register_lexicon_entry_viewset():
    return lexicon_entry_viewset


def _show_findings(request, page):
    """After a save, list what screening found (blocking findings stop only
    submitting and publishing; a draft keeps them visible to its author)."""
    from django.contrib import messages

    page = page.specific
    if not is_screened_article(type(page)):
        return
    parent = page.get_parent()
    values = {name: getattr(page, name) for name in page.screened_fields}
    for findings in page_findings(values, column_slug=parent.slug if parent else None).values():
        for finding in findings:
            level = messages.error if finding.blocking else messages.warning
            level(request, describe(finding))


hooks.register("after_create_page", _show_findings)
hooks.register("after_edit_page", _show_findings)


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
