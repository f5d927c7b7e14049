"""Reading the CSV files 信息科 imports (endpoint protection, software inventories)."""

from __future__ import annotations

import codecs
import csv

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def read_csv(upload, columns, *, max_mb: int) -> list[dict]:
    """The rows of an uploaded CSV (UTF-8, BOM allowed) that has every one of
    ``columns``; a clear refusal when it is too large, not UTF-8 or lacks a column."""
    raw = upload.read(max_mb * 1024 * 1024 + 1)
    if len(raw) > max_mb * 1024 * 1024:
        raise ValidationError(_("CSV 文件过大（上限 %(n)s MB）。") % {"n": max_mb})
    try:
        text = codecs.decode(raw, "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("CSV 文件应为 UTF-8 编码。")) from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("CSV 缺少列：%(cols)s。") % {"cols": "、".join(missing)})
    return list(reader)
