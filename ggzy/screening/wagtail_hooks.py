from wagtail import hooks

from . import table_views
from .pages import is_screened_article
from .pagescreen import describe, page_findings
from .rich_text import (
    ENTITY_TYPE,
    FEATURE,
    ContentstateSpreadsheetTableConversionRule,
    SpreadsheetTableEmbedHandler,
)
from .views import ArticleImportDocxView, PageFindingsView
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
        path("screening/tables/chooser/", table_views.chooser, name="screening_table_chooser"),
        path(
            "screening/tables/chooser/<int:source_id>/",
            table_views.chooser_sheet,
            name="screening_table_chooser_sheet",
        ),
        path(
            "screening/tables/chooser/tables/<int:table_id>/",
            table_views.chooser_edit,
            name="screening_table_chooser_edit",
        ),
        path(
            "screening/pages/<int:page_id>/findings/",
            PageFindingsView.as_view(),
            name="screening_page_findings",
        ),
        path(
            "screening/pages/<int:page_id>/import-docx/",
            ArticleImportDocxView.as_view(),
            name="screening_import_docx",
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
        if page.permissions_for_user(user).can_edit():
            yield Button(
                _("从 Word 导入"),
                reverse("screening_import_docx", args=[page.pk]),
                icon_name="doc-full",
                priority=81,
            )


@hooks.register("register_rich_text_features")
def register_xlsx_table_feature(features):
    """插入 Excel 表格 (issue 6): <embed embedtype="xlsxtable" id="N"/> in the
    database, an atomic block in Draftail, the table on the public site."""
    from django.urls import reverse_lazy
    from django.utils.translation import gettext_lazy
    from wagtail.admin.rich_text.editors.draftail.features import EntityFeature

    features.register_embed_type(SpreadsheetTableEmbedHandler)
    features.register_editor_plugin(
        "draftail",
        FEATURE,
        EntityFeature(
            {
                "type": ENTITY_TYPE,
                "icon": "table",
                "description": gettext_lazy("插入 Excel 表格"),
                "attributes": ["id", "caption", "sheet", "filename", "rows"],
                "allowlist": {"id": True},
                "chooserUrls": {"xlsxTableChooser": reverse_lazy("screening_table_chooser")},
            },
            js=["screening/js/xlsx-table.js"],
            css={"all": ["screening/css/xlsx-table.css"]},
        ),
    )
    features.register_converter_rule("contentstate", FEATURE, ContentstateSpreadsheetTableConversionRule)
