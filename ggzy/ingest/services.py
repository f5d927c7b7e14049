"""Writes of ingestion: fill an article's body from a .docx, archive an .xlsx
and make tables from its sheets. Each file passes the upload gate first
(``uploads.validate_upload``: content, size, zip bombs, screening;
网站政务信息发布的管理规定 一(二)(九)) and is audited in the same transaction.

The audit actions keep the names they had before ingestion left ``screening``
(``screening.spreadsheet.*``, ``screening.spreadsheet_table.created``): the
chain already holds events under them, and one kind of event keeps one name.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.screening.rules import Finding

from .convert import DocxConversion, docx_to_rich_text, xlsx_sheet_names, xlsx_to_table_html
from .models import SpreadsheetTable, SpreadsheetUpload
from .uploads import UploadCheck, validate_upload

__all__ = [
    "MAX_HEADER_ROWS",
    "IngestResult",
    "article_fill_from_docx",
    "spreadsheet_table_create",
    "spreadsheet_upload",
]


# --------------------------------------------------------------------------- service


@dataclass
class IngestResult:
    check: UploadCheck  # kind, size, SHA-256 of the original, warnings
    conversion: DocxConversion

    @property
    def findings(self) -> list[Finding]:
        return self.check.findings


@transaction.atomic
def article_fill_from_docx(*, page, upload, actor) -> IngestResult:
    """Fill an article's body from an uploaded .docx and save a draft revision.

    The upload is checked by content, size-limited, zip-bomb-safe and screened
    first; a blocking finding raises ValidationError and changes nothing.
    Images become Wagtail images with EXIF stripped; missing alt text is
    reported and blocks submission in the editor.
    """
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    check = validate_upload(upload, allowed=("docx",))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    image_model = get_image_model()

    def save_image(raw: bytes, kind: str, alt: str) -> int:
        digest = hashlib.sha256(raw).hexdigest()[:16]
        image = image_model(
            title=alt or _("%(title)s 插图") % {"title": page.title},
            file=ImageFile(io.BytesIO(raw), name=f"ingest-{digest}.{'jpg' if kind == 'jpeg' else kind}"),
            uploaded_by_user=actor,
        )
        image.save()
        return image.pk

    conversion = docx_to_rich_text(data, features=page.body_features(), save_image=save_image)
    page.body = conversion.html
    page.save_revision(user=actor, log_action=True)
    return IngestResult(check=check, conversion=conversion)


# --------------------------------------------------------------------------- tables from .xlsx

MAX_HEADER_ROWS = 5


def spreadsheet_upload(*, upload, actor):
    """Check, screen and archive an .xlsx for the editor's 插入 Excel 表格
    (信息发布管理制度 (九) materials come as Excel files; (二) nothing secret or
    private is published). A refused file raises ValidationError (Chinese,
    findings masked), is audited as a failure and leaves nothing behind.
    Returns (SpreadsheetUpload, UploadCheck)."""
    from django.core.exceptions import ValidationError

    name = getattr(upload, "name", "") or ""
    try:
        check = validate_upload(upload, allowed=("xlsx",))
    except ValidationError as exc:
        audit.record(
            action="screening.spreadsheet.refused",
            actor=actor,
            outcome=Outcome.FAILURE,
            object_type=SpreadsheetUpload._meta.label_lower,
            object_repr=name[:200],
            reasons=exc.messages,  # masked by validate_upload
        )
        raise
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    return _spreadsheet_store(data=data, check=check, actor=actor), check


@transaction.atomic
def _spreadsheet_store(*, data: bytes, check: UploadCheck, actor):
    from django.core.files.base import ContentFile

    source = SpreadsheetUpload(
        name=(check.name or "table.xlsx")[:255],
        size=check.size,
        sha256=check.sha256,
        sheet_names=xlsx_sheet_names(data),
        uploaded_by=actor,
    )
    source.file.save(f"{check.sha256[:16]}.xlsx", ContentFile(data), save=False)
    try:
        source.save()
        audit.record(
            action="screening.spreadsheet.uploaded",
            actor=actor,
            obj=source,
            after={"name": source.name, "sha256": source.sha256, "sheets": source.sheet_names},
            warnings=[f"{f.rule}：{f.excerpt}" for f in check.warnings],
        )
    except Exception:
        source.file.delete(save=False)  # nothing half written
        raise
    return source


@transaction.atomic
def spreadsheet_table_create(*, source, sheet: str, caption: str, header_rows: int, actor):
    """A table from one sheet of an archived .xlsx, ready to embed in rich text.
    Caption required (the table's accessible name); header_rows 0–5."""
    from django.core.exceptions import ValidationError

    caption = " ".join((caption or "").split())
    if not caption:
        raise ValidationError({"caption": _("请填写表格标题。")})
    if len(caption) > 200:
        raise ValidationError({"caption": _("表格标题不能超过 200 个字。")})
    if sheet not in source.sheet_names:
        raise ValidationError({"sheet": _("工作簿中没有该工作表。")})
    if not 0 <= header_rows <= MAX_HEADER_ROWS:
        raise ValidationError(
            {"header_rows": _("表头行数应在 0 到 %(max)s 之间。") % {"max": MAX_HEADER_ROWS}}
        )
    with source.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != source.sha256:
        raise ValidationError(_("原始文件与归档时的摘要不一致，请重新上传。"))
    html = xlsx_to_table_html(data, sheet=sheet, caption=caption, header_rows=header_rows)
    table = SpreadsheetTable(
        source=source, sheet_name=sheet, caption=caption, header_rows=header_rows, html=html, created_by=actor
    )
    table.save()
    audit.record(
        action="screening.spreadsheet_table.created",
        actor=actor,
        obj=table,
        after={"source": source.pk, "sha256": source.sha256, "sheet": sheet, "caption": caption},
    )
    return table
