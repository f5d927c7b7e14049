"""Images and documents used by published pages are copied into the publish root."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild.manifest import load_manifest

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_images_and_documents_of_published_pages_are_copied(settings):
    image = Image.objects.create(title="中心大楼", file=SimpleUploadedFile("building.png", png()))
    document = Document.objects.create(title="报名表", file=SimpleUploadedFile("form.pdf", b"%PDF-1.4 form"))
    article = publish_article(
        column("zlxz/bgxz"),
        "报名表下载",
        body=(
            f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="中心大楼"/>'
            f'<p><a linktype="document" id="{document.pk}">报名表</a></p>'
        ),
    )
    call_command("build_site", stdout=io.StringIO())
    root = settings.PUBLISH_ROOT
    html = next(root.glob("zlxz/bgxz/*/index.html")).read_text()
    assert article.title in html
    image_url = re.search(r'<img [^>]*src="(/media/[^"]+)"', html).group(1)
    assert (root / image_url.lstrip("/")).read_bytes()[:4] == b"\x89PNG"
    assert f'href="/documents/{document.pk}/form.pdf"' in html
    assert (root / f"documents/{document.pk}/form.pdf").read_bytes() == b"%PDF-1.4 form"
    files = load_manifest(root)
    assert files[f"documents/{document.pk}/form.pdf"]["source"] == "asset"
    assert image_url.lstrip("/") in files
