from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.rich_text.editors.draftail.features import EntityFeature
from wagtail.admin.widgets import Button

from ggzy.core.menus import OperationsMenu, RuleMenuItem
from ggzy.screening.embeds import EMBED_TEXT_HOOK
from ggzy.screening.pages import is_screened_article

from . import policy_views, table_views
from .rich_text import (
    ENTITY_TYPE,
    FEATURE,
    ContentstateSpreadsheetTableConversionRule,
    SpreadsheetTableEmbedHandler,
    tables_text,
)
from .views import ArticleImportDocxView

# Tables embedded in a page are screened with its text (screening.embeds).
hooks.register(EMBED_TEXT_HOOK, tables_text)


@hooks.register("register_admin_urls")
def register_ingest_urls():
    return [
        path("ingest/malware-policy/", policy_views.malware_policy, name="ingest_malware_policy"),
        path("ingest/tables/chooser/", table_views.chooser, name="ingest_table_chooser"),
        path(
            "ingest/tables/chooser/<int:source_id>/",
            table_views.chooser_sheet,
            name="ingest_table_chooser_sheet",
        ),
        path(
            "ingest/tables/chooser/tables/<int:table_id>/",
            table_views.chooser_edit,
            name="ingest_table_chooser_edit",
        ),
        path(
            "ingest/pages/<int:page_id>/import-docx/",
            ArticleImportDocxView.as_view(),
            name="ingest_import_docx",
        ),
    ]


@hooks.register("register_page_header_buttons")
def import_docx_button(page, user, view_name, next_url=None):
    # After screening's 审查结果 (priority 80) on the pages screening marks as articles.
    if is_screened_article(page.specific_class) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("从 Word 导入"),
            reverse("ingest_import_docx", args=[page.pk]),
            icon_name="doc-full",
            priority=81,
        )


@hooks.register("register_rich_text_features")
def register_xlsx_table_feature(features):
    """插入 Excel 表格 (issue 6): <embed embedtype="xlsxtable" id="N"/> in the
    database, an atomic block in Draftail, the table on the public site."""
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
                "chooserUrls": {"xlsxTableChooser": reverse_lazy("ingest_table_chooser")},
            },
            js=["ingest/js/xlsx-table.js"],
            css={"all": ["ingest/css/xlsx-table.css"]},
        ),
    )
    features.register_converter_rule("contentstate", FEATURE, ContentstateSpreadsheetTableConversionRule)


@hooks.register(OperationsMenu.submenu_hook)
def malware_policy_menu_item():
    return RuleMenuItem(
        gettext_lazy("病毒扫描"),
        reverse("ingest_malware_policy"),
        icon_name="warning",
        order=740,
        rule=policy_views.may_see_policy,
        name="ingest_malware_policy",
    )
