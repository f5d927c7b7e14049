"""The gate every upload passes before it is attached: type by content, size,
zip-bomb safety, and screening (``screening.services.screen_document``: the
rules are screening's, the gate is ingestion's); and EXIF stripping for
published images.

网站政务信息发布的管理规定 一(九): materials as Word, Excel and JPG-like images;
一(二): nothing classified or private reaches the public site.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ggzy.screening.extract import KIND_LABELS, DocumentError, Limits, sniff
from ggzy.screening.rules import Finding, Lexicon
from ggzy.screening.services import screen_document

from . import malware

__all__ = ["UploadCheck", "strip_image_metadata", "validate_upload"]

DEFAULT_ALLOWED = ("docx", "xlsx", "pdf", "jpeg", "png", "webp")
IMAGE_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class UploadCheck:
    """What the gate learnt about an accepted upload; sha256 goes into the
    publication record with the archived original."""

    name: str
    kind: str
    size: int
    sha256: str
    findings: list[Finding]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]


def _read_limited(file, limit: int) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise DocumentError("the file is too large", "")
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        data = bytearray()
        for chunk in file.chunks():
            data += chunk
            if len(data) > limit:
                break
        return bytes(data)
    return file.read(limit + 1)


class ScreeningBlocked(ValidationError):
    """The upload was refused for prohibited content (a blocking screening finding),
    not for its type or size: callers above may raise an incident alert for it
    (网络信息安全故障应急预案 第四条, 不良信息)."""


def _describe(finding: Finding) -> str:
    where = f"（{finding.source}）" if finding.source else ""
    return f"{finding.rule}{where}：{finding.excerpt}"


def validate_upload(
    file,
    *,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    name: str | None = None,
    lexicon: Lexicon | None = None,
    limits: Limits | None = None,
    block: bool = True,
) -> UploadCheck:
    """Check an upload by content (not by name), size and zip safety, and screen
    it. Raises ValidationError with Chinese messages when the file is refused or,
    unless block=False, when it has a blocking finding."""
    limits = limits or Limits.from_settings()
    name = name or getattr(file, "name", None) or ""
    name = os.path.basename(name)
    too_large = ValidationError(
        _("文件超过 %(mb)s MB 的大小限制。") % {"mb": f"{limits.max_bytes / 1048576:g}"}, code="too_large"
    )
    try:
        data = _read_limited(file, limits.max_bytes)
    except DocumentError as exc:
        raise too_large from exc
    if len(data) > limits.max_bytes:
        raise too_large
    digest = hashlib.sha256(data).hexdigest()
    # Viruses first, before any parser opens the file (应急预案 第四条).
    malware.gate(data, name=name, sha256=digest)
    kind = sniff(data, max_entries=limits.max_entries)
    if kind not in allowed:
        allowed_labels = "、".join(KIND_LABELS[k][1] for k in allowed)
        raise ValidationError(
            _("不接受此类文件（内容为%(kind)s）。可上传：%(allowed)s。")
            % {"kind": KIND_LABELS.get(kind, KIND_LABELS["unknown"])[1], "allowed": allowed_labels},
            code="kind_not_allowed",
        )
    try:
        findings = screen_document(data, name=name or f"upload.{kind}", lexicon=lexicon, limits=limits)
    except DocumentError as exc:
        raise ValidationError(exc.message_zh, code="unreadable") from exc
    blocking = [f for f in findings if f.blocking]
    if block and blocking:
        raise ScreeningBlocked(
            [
                ValidationError(_("不得发布：%(finding)s") % {"finding": _describe(f)}, code=f.rule)
                for f in blocking
            ]
        )
    return UploadCheck(name, kind, len(data), digest, findings)


def strip_image_metadata(source: str | os.PathLike | IO[bytes]) -> bytes:
    """The image re-saved without EXIF (GPS, camera, owner), XMP, comments or
    PNG text chunks (网站政务信息发布的管理规定 一(二): personal data). The colour
    profile is kept; EXIF orientation is applied first so the picture looks the
    same. A path is rewritten in place (atomically); the new bytes are returned."""
    from PIL import Image, ImageOps

    path = Path(source) if isinstance(source, str | os.PathLike) else None
    raw = path.read_bytes() if path else source.read()
    with Image.open(io.BytesIO(raw)) as image:
        fmt = image.format
        if fmt not in IMAGE_FORMATS:
            raise ValidationError(_("只接受 JPEG、PNG 或 WebP 图片。"), code="kind_not_allowed")
        icc = image.info.get("icc_profile")
        animated = getattr(image, "is_animated", False)
        orientation = image.getexif().get(0x0112, 1)
        options: dict = {"format": fmt}
        if icc:
            options["icc_profile"] = icc
        if animated:
            options["save_all"] = True
            clean = image
        elif orientation != 1:
            clean = ImageOps.exif_transpose(image)
        else:
            clean = image
            if fmt == "JPEG":
                options.update(quality="keep", subsampling="keep")
        if fmt == "JPEG" and "quality" not in options:
            options["quality"] = 95
        if fmt == "WEBP" and not animated:
            options.setdefault("lossless", image.info.get("lossless", False))
            options.setdefault("quality", 95)
        # No exif=, no xmp=, no pnginfo=: Pillow writes none of them unless given.
        options["exif"] = b""
        if fmt == "JPEG":
            options["comment"] = b""  # Pillow copies a JPEG comment (COM) unless told not to
        buffer = io.BytesIO()
        clean.save(buffer, **options)
    data = buffer.getvalue()
    if path:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".strip-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    return data
