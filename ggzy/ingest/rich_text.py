"""The ``xlsx-table`` rich text feature: a table made from an uploaded .xlsx,
stored in rich text as ``<embed embedtype="xlsxtable" id="N"/>`` (an atomic
block in Draftail, like Wagtail's own image and media embeds) and expanded on
the public site, dynamic and static alike, to the table's accessible HTML."""

from __future__ import annotations

import re

from django.utils.html import escape
from draftjs_exporter import DOM
from wagtail.admin.rich_text.converters.contentstate_models import Entity
from wagtail.admin.rich_text.converters.html_to_contentstate import AtomicBlockEntityElementHandler
from wagtail.rich_text import EmbedHandler

from .models import SpreadsheetTable

__all__ = [
    "EMBED_TYPE",
    "ENTITY_TYPE",
    "FEATURE",
    "ContentstateSpreadsheetTableConversionRule",
    "SpreadsheetTableEmbedHandler",
    "table_ids",
    "tables_in",
    "tables_in_content",
    "tables_text",
    "with_table_html",
]

FEATURE = "xlsx-table"
EMBED_TYPE = "xlsxtable"
ENTITY_TYPE = "XLSX_TABLE"

_TABLE_EMBED = re.compile(r"<embed\b(?=[^>]*\bembedtype=\"xlsxtable\")[^>]*?\bid=\"(\d+)\"[^>]*/?>")


def _model():

    return SpreadsheetTable


def table_ids(html: str) -> list[int]:
    """The ids of the tables a rich text value embeds, in order."""
    return [int(i) for i in _TABLE_EMBED.findall(str(html or ""))]


def tables_in(*values: str) -> dict[int, object]:
    """The tables embedded in the given rich text values, by id (one query)."""
    ids = {i for value in values for i in table_ids(value)}
    if not ids:
        return {}
    return _model().objects.select_related("source").in_bulk(ids)


def with_table_html(html: str, tables: dict | None = None) -> str:
    """Rich text with each table embed replaced by the table's HTML: what the
    page shows, for screening (网站管理制度 第八条/第十四条) and the content hash."""
    html = str(html or "")
    if tables is None:
        tables = tables_in(html)

    def replace(match: re.Match) -> str:
        table = tables.get(int(match.group(1)))
        return table.html if table is not None else ""

    return _TABLE_EMBED.sub(replace, html)


def tables_text(values: list[str]):
    """screening.embeds' hook: the tables of a page's values (one query), and
    the rewrite that puts each table's HTML where it is embedded."""
    tables = tables_in(*(value for value in values if "xlsxtable" in value))
    return lambda html: with_table_html(html, tables)


class SpreadsheetTableEmbedHandler(EmbedHandler):
    """Front end: the embed becomes the stored, sanitised table, in a wrapper
    that scrolls sideways on a narrow screen."""

    identifier = EMBED_TYPE

    @staticmethod
    def get_model():
        return _model()

    @classmethod
    def expand_db_attributes(cls, attrs: dict) -> str:
        return cls.expand_db_attributes_many([attrs])[0]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        tables = cls.get_many(attrs_list)  # one query for all tables of the text
        # A focusable scroll region named by the caption (keyboard users can scroll it).
        wrapper = '<div class="rich-table" role="region" tabindex="0" aria-label="{}">{}</div>'
        return [wrapper.format(escape(t.caption), t.html) if t is not None else "" for t in tables]

    @classmethod
    def extract_references(cls, attrs):
        # The reference index links the page to its tables (and so to their sources).
        yield cls.get_model(), attrs["id"], "", ""


# --------------------------------------------------------------------------- Draftail


def table_entity(props):
    """contentstate → database: <embed embedtype="xlsxtable" id="N"/>."""
    return DOM.create_element("embed", {"embedtype": EMBED_TYPE, "id": props.get("id")})


class SpreadsheetTableElementHandler(AtomicBlockEntityElementHandler):
    """database → contentstate: an immutable entity with what the editor block shows."""

    def create_entity(self, name, attrs, state, contentstate):
        table = _model().objects.select_related("source").filter(pk=attrs.get("id")).first()
        data = {"id": attrs.get("id")}
        if table is not None:
            data.update(editor_data(table))
        return Entity(ENTITY_TYPE, "IMMUTABLE", data)


def editor_data(table) -> dict:
    """The entity data of a table in the editor (also what the chooser returns)."""
    rows = table.html.count("<tr")
    return {
        "id": table.pk,
        "caption": table.caption,
        "sheet": table.sheet_name,
        "filename": table.source.name,
        "rows": rows,
    }


ContentstateSpreadsheetTableConversionRule = {
    "from_database_format": {f'embed[embedtype="{EMBED_TYPE}"]': SpreadsheetTableElementHandler()},
    "to_database_format": {"entity_decorators": {ENTITY_TYPE: table_entity}},
}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def tables_in_content(content) -> list:
    """The tables embedded anywhere in a revision's content (its JSON), by id."""
    tables = tables_in(*(s for s in _strings(content) if "xlsxtable" in s))
    return [tables[pk] for pk in sorted(tables)]
