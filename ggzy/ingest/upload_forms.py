"""Wagtail's document and image upload forms behind the screening gate: every
upload is checked by content, size-limited, zip-bomb-safe and screened before it
is attached (网站政务信息发布的管理规定 一(二)(九)); images lose their EXIF
(GPS position and camera data are personal data).

Wired by WAGTAILDOCS_DOCUMENT_FORM_BASE / WAGTAILIMAGES_IMAGE_FORM_BASE."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from ggzy.core.validators import ControlCharacterFormMixin

from .uploads import strip_image_metadata, validate_upload

IMAGE_KINDS = ("jpeg", "png", "webp")


class ScreenedDocumentForm(ControlCharacterFormMixin, BaseDocumentForm):
    screening = None  # the UploadCheck of an accepted file (kind, SHA-256, warnings)

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            self.screening = validate_upload(file, allowed=tuple(settings.SCREENING_DOCUMENT_KINDS))
            file.seek(0)
        return file


class ScreenedImageForm(ControlCharacterFormMixin, BaseImageForm):
    screening = None

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            self.screening = validate_upload(file, allowed=IMAGE_KINDS)
            file.seek(0)
            cleaned = SimpleUploadedFile(
                file.name, strip_image_metadata(file), content_type=file.content_type
            )
            if hasattr(file, "image"):
                cleaned.image = file.image
            return cleaned
        return file
