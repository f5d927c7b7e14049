"""Reading the tables staff import: CSV (UTF-8 with or without a BOM; optionally GBK,
which Excel and WPS write on a Chinese Windows) and Excel workbooks (.xlsx, the first
sheet). Shared by the imports of vulns (endpoint protection, software inventories) and
network (the device inventory)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


# The same refusals in English, for management commands (by ValidationError code).
ENGLISH = {
    "too_large": "the file is too large (limit %(n)s MB)",
    "not_utf8": "the CSV file must be UTF-8",
    "encoding": "the CSV file must be UTF-8 or GBK",
    "extra_cells": "line %(line)s: more cells than header columns (%(n)s, header %(h)s)",
    "no_header": "the file has no header row",
    "missing_columns": "missing column(s): %(cols)s",
    "unknown_columns": "unknown column(s): %(cols)s",
    "duplicate_columns": "duplicated column(s): %(cols)s",
    "bad_xlsx": "cannot read the Excel file (.xlsx expected)",
}


def in_english(exc: ValidationError, more: dict[str, str] | None = None) -> list[str]:
    """A refusal's messages in English for the CLI: ``ENGLISH`` and ``more`` by code;
    a message without an English text is given as it is."""
    table = {**ENGLISH, **(more or {})}
    out = []
    for error in exc.error_list:
        params = error.params or {}
        out.append(table[error.code] % params if error.code in table else " ".join(error.messages))
    return out


def _read_limited(upload, max_mb: int) -> bytes:
    raw = upload.read(max_mb * 1024 * 1024 + 1)
    if len(raw) > max_mb * 1024 * 1024:
        raise ValidationError(_("文件过大（上限 %(n)s MB）。"), code="too_large", params={"n": max_mb})
    return raw


def _decode(raw: bytes, *, gbk: bool) -> str:
    try:
        return codecs.decode(raw, "utf-8-sig")
    except UnicodeDecodeError as exc:
        if not gbk:
            raise ValidationError(_("CSV 文件应为 UTF-8 编码。"), code="not_utf8") from exc
    try:
        # GB18030 is a superset of GBK (and of GB2312).
        return codecs.decode(raw, "gb18030")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("CSV 文件应为 UTF-8 或 GBK 编码。"), code="encoding") from exc


def read_csv(upload, columns, *, max_mb: int) -> list[dict]:
    """The rows of an uploaded CSV (UTF-8, BOM allowed) that has every one of
    ``columns``; a clear refusal when it is too large, not UTF-8 or lacks a column."""
    raw = _read_limited(upload, max_mb)
    text = _decode(raw, gbk=False)
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("CSV 缺少列：%(cols)s。") % {"cols": "、".join(missing)})
    return list(reader)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 22 as 22.0
    return str(value).strip()


@dataclass
class Table:
    """A table read from an upload: its header (stripped) and its data rows, each as
    (line number in the file, {header: text}); blank rows are skipped."""

    header: list[str]
    _rows: Iterator[list]
    _first_line: int = 2

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        for line, values in enumerate(self._rows, start=self._first_line):
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue
            if len(cells) > len(self.header) and any(cells[len(self.header) :]):
                raise ValidationError(
                    _("第 %(line)s 行：单元格比表头多（%(n)s 列，表头 %(h)s 列）。"),
                    code="extra_cells",
                    params={"line": line, "n": len(cells), "h": len(self.header)},
                )
            cells += [""] * (len(self.header) - len(cells))
            yield line, dict(zip(self.header, cells, strict=False))


def read_table(upload, *, required, known=(), max_mb: int) -> Table:
    """An uploaded CSV (UTF-8 with or without BOM, or GBK) or .xlsx (first sheet), its
    first row the header holding every ``required`` column. Columns not in
    ``required``/``known`` are refused (a misspelt header would silently be ignored).
    The rows are read as they are iterated, not kept in a list; the file is read up to
    ``max_mb``."""
    raw = _read_limited(upload, max_mb)
    if raw.startswith(XLSX_MAGIC):
        header, rows = _xlsx_rows(raw)
    else:
        reader = csv.reader(io.StringIO(_decode(raw, gbk=True), newline=""))
        header = next(reader, [])
        rows = reader
    header = ["".join(_cell(h).split()) for h in header]  # “SSH 端口” is “SSH端口”
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ValidationError(_("文件中没有表头行。"), code="no_header")
    allowed = set(required) | set(known)
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            _("缺少列：%(cols)s。"), code="missing_columns", params={"cols": "、".join(missing)}
        )
    unknown = [c for c in header if c not in allowed]
    if unknown:
        raise ValidationError(
            _("无法识别的列：%(cols)s。"), code="unknown_columns", params={"cols": "、".join(unknown)}
        )
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ValidationError(
            _("列重复：%(cols)s。"), code="duplicate_columns", params={"cols": "、".join(duplicated)}
        )
    return Table(header=header, _rows=rows)


def _xlsx_rows(raw: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ValidationError(_("无法读取 Excel 文件（应为 .xlsx）。"), code="bad_xlsx") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    return list(next(rows, ()) or ()), rows
