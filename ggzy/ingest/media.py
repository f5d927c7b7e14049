"""Images a publication uses carry no personal metadata (网站政务信息发布的管理
规定 一(二): GPS position, camera and owner data are personal data).

Our upload forms strip EXIF already; this is the guarantee at the one road to
the public site (publishing.services.chain_finished): whatever way an image
came in (a shell, a script, a future upload path), the original is checked
when a page that uses it is published and, if it still carries EXIF, XMP,
comments or PNG text, re-saved without them; its renditions are deleted so
that they are made again from the clean original."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from ggzy.audit import services as audit

from .uploads import IMAGE_FORMATS, strip_image_metadata

__all__ = ["image_metadata", "page_images_strip_metadata"]

# PNG text chunks that hold no personal data are still dropped by strip_image_metadata;
# these are the info keys Pillow uses for metadata we look for.
_XMP_KEYS = ("xmp", "XML:com.adobe.xmp")


def _png_chunks(data: bytes) -> set[bytes]:
    """The chunk types of a PNG, read from the chunk headers only (text chunks
    may follow the image data, which we do not want to decode)."""
    types, position = set(), 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        types.add(data[position + 4 : position + 8])
        position += 12 + length
    return types


def image_metadata(data: bytes) -> list[str]:
    """What personal metadata an image file carries: any of "exif", "gps",
    "xmp", "comment", "text" (PNG text chunks). Empty for a clean file or one
    Pillow cannot read as JPEG/PNG/WebP (nothing to strip then). Reads headers
    only: no pixel decoding (a 12-megapixel photo is checked in milliseconds)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                return []
            exif = image.getexif()
            info = image.info
            chunks = _png_chunks(data) if image.format == "PNG" else set()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return []
    found = []
    if exif or info.get("exif") or b"eXIf" in chunks:
        found.append("exif")
    if exif.get(0x8825):  # GPSInfo IFD
        found.append("gps")
    if any(info.get(key) for key in _XMP_KEYS):
        found.append("xmp")
    if info.get("comment"):
        found.append("comment")
    if chunks & {b"tEXt", b"zTXt", b"iTXt"}:
        found.append("text")
    return found


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _rewrite(field, data: bytes) -> None:
    """Replace a stored file's bytes under the same name (atomically on disk)."""
    try:
        path = Path(field.path)
    except NotImplementedError:  # remote storage: no local path
        path = None
    if path is not None:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".strip-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        return
    storage, name = field.storage, field.name
    storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    field.name = saved


def page_images_strip_metadata(*, page, actor=None) -> list[dict]:
    """Check every image the page uses (rich text, image fields, stream blocks:
    Wagtail's reference index) and the renditions made from it; strip what
    still carries metadata. Returns one entry per image that was changed,
    {"id", "title", "removed", "sha256_before", "sha256_after", "renditions_deleted"},
    each also an audit event. Call inside the publishing transaction."""
    from PIL import Image as PILImage
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    image_model = get_image_model()
    ReferenceIndex.create_or_update_for_object(page.specific)
    ids = (
        ReferenceIndex.get_references_for_object(page)
        .filter(to_content_type=ContentType.objects.get_for_model(image_model))
        .values_list("to_object_id", flat=True)
    )
    images = image_model.objects.filter(pk__in=[int(i) for i in ids]).prefetch_related("renditions")
    changed = []
    for image in images.order_by("pk"):
        raw = _read(image.file)
        removed = image_metadata(raw)
        renditions = list(image.renditions.all())
        dirty_renditions = [r for r in renditions if image_metadata(_read(r.file))]
        if not removed and not dirty_renditions:
            continue
        entry = {
            "id": image.pk,
            "title": image.title,
            "removed": removed or ["rendition"],
            "sha256_before": hashlib.sha256(raw).hexdigest(),
        }
        if removed:
            clean = strip_image_metadata(io.BytesIO(raw))
            _rewrite(image.file, clean)
            image.file_size = len(clean)
            image._set_file_hash()
            with PILImage.open(io.BytesIO(clean)) as picture:
                image.width, image.height = picture.size  # EXIF orientation applied
            image.save(update_fields=["file", "file_size", "file_hash", "width", "height"])
            entry["sha256_after"] = hashlib.sha256(clean).hexdigest()
        else:
            entry["sha256_after"] = entry["sha256_before"]
        # Renditions are made again from the clean original on the next request.
        entry["renditions_deleted"] = len(renditions)
        image.renditions.all().delete()
        audit.record(
            # The name it had in screening (the chain holds events under it).
            action="screening.image.metadata_stripped",
            actor=actor,
            obj=image,
            after={k: v for k, v in entry.items() if k != "title"},
            page=page.pk,
        )
        changed.append(entry)
    return changed
