"""Wagtail document and image uploads pass the screening gate."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.screening.tests import documents as d
from ggzy.screening.tests.helpers import resident_id

pytestmark = pytest.mark.django_db

ID = resident_id()


@pytest.fixture
def drafter(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login_as(client, make_user(RoleKey.DRAFTER))


def add_document(client, name, data):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_clean_document_is_attached(client, drafter):
    response = add_document(client, "公告.docx", d.docx(paragraphs=("中标公告",)))
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="公告.docx").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("名单.docx", d.docx(paragraphs=(f"身份证 {ID}",)), "pii.id_card"),
        ("通知.docx", b"MZ" + b"\x00" * 100, "可执行程序"),
        ("炸弹.docx", d.zip_bomb(), "压缩炸弹"),
        ("密件.pdf", d.pdf("x"), None),  # accepted: no findings
    ],
)
def test_documents_are_screened_before_they_are_attached(client, drafter, name, data, message):
    response = add_document(client, name, data)
    exists = get_document_model().objects.filter(title=name).exists()
    if message is None:
        assert response.status_code == 302 and exists
    else:
        assert response.status_code == 200 and not exists
        errors = " ".join(response.context["form"].errors["file"])
        assert message in errors and ID not in errors


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (35.0, 13.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_uploaded_images_lose_their_exif(client, drafter):
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "现场照片",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("photo.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="现场照片")
    from ggzy.audit.models import AuditEvent

    # Recorded once (from the model's signal; Wagtail's own log entry is not chained twice).
    created = AuditEvent.objects.filter(action="wagtailimages.image.created", object_id=str(image.pk))
    assert created.count() == 1
    with image.file.open("rb") as handle:
        stored = handle.read()
    assert b"CameraMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert (image.width, image.height) == (20, 10)


def test_gif_images_are_refused(client, drafter):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "动图",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("a.gif", buffer.getvalue(), content_type="image/gif"),
        },
    )
    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="动图").exists()


def test_multiple_upload_is_screened_too(client, drafter):
    data = d.docx(paragraphs=(f"身份证 {ID}",))
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("批量.docx", data)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    payload = response.json()
    assert payload["success"] is False
    assert "pii.id_card" in str(payload) and ID not in str(payload)
    assert not get_document_model().objects.exists()
