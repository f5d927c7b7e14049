"""Uploads of the operations modules (vendors, assets): through the platform's
upload gate (``ingest.uploads.validate_upload``: type by content, size, zip
safety, screening), then kept with their SHA-256 and served only to those who
may see the record."""

from __future__ import annotations

import mimetypes

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404

from ggzy.ingest.uploads import UploadCheck, validate_upload

__all__ = ["DOCUMENT_KINDS", "SCAN_KINDS", "SESSION_LOG_KINDS", "checked_upload", "serve_file"]

# Letters, ID scans, wipe certificates: scans or PDFs.
SCAN_KINDS = ("pdf", "jpeg", "png", "webp")
# Contracts and selection records: also Word and Excel.
DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "jpeg", "png", "webp")
# A remote session's log (plain text) or its screenshots / exported report.
SESSION_LOG_KINDS = ("txt", "pdf", "jpeg", "png", "webp")


def checked_upload(upload, *, allowed: tuple[str, ...]) -> tuple[ContentFile, UploadCheck]:
    """The file as stored content and what the gate found. These files are internal
    records, never published: an ID number in a scanned ID is expected, so the
    screening findings do not block (the type, size and zip checks do)."""
    check = validate_upload(upload, allowed=allowed, block=False)
    upload.seek(0)
    data = upload.read()
    return ContentFile(data, name=check.name or f"upload.{check.kind}"), check


def serve_file(field, name: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
