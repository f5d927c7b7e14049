"""Reads of ingestion: the workbooks behind a page's .xlsx tables."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from .models import SpreadsheetTable

__all__ = ["spreadsheet_sources"]


def spreadsheet_sources(*, page) -> list:
    """The original workbooks of the .xlsx tables ``page`` embeds (per the
    reference index), in upload order."""

    ids = (
        ReferenceIndex.get_references_for_object(page)
        .filter(to_content_type=ContentType.objects.get_for_model(SpreadsheetTable))
        .values_list("to_object_id", flat=True)
    )
    sources = {}
    for table in SpreadsheetTable.objects.filter(pk__in=[int(i) for i in ids]).select_related("source"):
        sources[table.source_id] = table.source
    return [sources[source_id] for source_id in sorted(sources)]
