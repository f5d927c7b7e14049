from wagtail import hooks

from .viewsets import lexicon_entry_viewset


@hooks.register("register_admin_viewset")
def register_lexicon_entry_viewset():
    return lexicon_entry_viewset


def _show_findings(request, page):
    """After a save, list what screening found (blocking findings stop only
    submitting and publishing; a draft keeps them visible to its author)."""
    from django.contrib import messages

    from ggzy.portal.models import ArticlePage

    from .forms import describe, page_findings

    page = page.specific
    if not isinstance(page, ArticlePage):
        return
    parent = page.get_parent()
    values = {
        "title": page.title,
        "body": page.body,
        "source_name": page.source_name,
        "keywords": page.keywords,
    }
    for findings in page_findings(values, column_slug=parent.slug if parent else None).values():
        for finding in findings:
            level = messages.error if finding.blocking else messages.warning
            level(request, describe(finding))


hooks.register("after_create_page", _show_findings)
hooks.register("after_edit_page", _show_findings)
