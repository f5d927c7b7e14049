"""EXIF stripped on publish (issue 6): whatever way an image came in, the
images a page uses go out without EXIF, XMP or GPS (网站政务信息发布的管理规定
一(二)); Wagtail's own image uploads strip it already."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.ingest.media import image_metadata
from ggzy.portal.tests.factories import column
from ggzy.publishing.models import PublicationRecord
from ggzy.publishing.tests.factories import draft_article
from ggzy.screening.tests.helpers import publish_through_chain

pytestmark = pytest.mark.django_db


def jpeg_with_gps(size=(40, 20)) -> bytes:
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (35.0, 13.0, 0.0)}
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "green").save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"owner")
    return buffer.getvalue()


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def has_no_metadata(data: bytes) -> bool:
    with PILImage.open(io.BytesIO(data)) as image:
        exif_free = not image.getexif() and "exif" not in image.info
    return exif_free and image_metadata(data) == [] and b"CameraMaker" not in data and b"owner" not in data


def body_with(image) -> str:
    return f'<p>现场照片：</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="开标现场"/>'


def test_image_metadata_names_what_it_finds():
    assert image_metadata(jpeg_with_gps()) == ["exif", "gps", "comment"]
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4)).save(buffer, format="PNG")
    assert image_metadata(buffer.getvalue()) == []
    assert image_metadata(b"not an image") == []


def test_image_uploaded_through_wagtail_is_published_without_exif(client):
    drafter = make_user(R.DRAFTER, department="jianshe")
    login_as(client, drafter)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "开标现场",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("site.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="开标现场")
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "开标现场照片", body=body_with(image))
    article, _ = publish_through_chain(article, drafter)
    client.logout()
    html = client.get(article.url).content.decode()
    src = next(part.split('"')[0] for part in html.split('src="')[1:] if "/images/" in part)
    image.refresh_from_db()
    assert has_no_metadata(read(image.file))
    rendition = image.renditions.get()  # made for the published page
    assert src.endswith(rendition.file.name.rsplit("/", 1)[-1])
    assert has_no_metadata(read(rendition.file))


def test_multiple_image_upload_strips_exif_too(client):
    login_as(client, make_user(R.DRAFTER))
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("site.jpg", jpeg_with_gps(), content_type="image/jpeg")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json()["success"] is True
    image = get_image_model().objects.get()
    assert has_no_metadata(read(image.file))
    # Audited, though Wagtail's multiple upload writes no log entry (the audit sweep).
    from ggzy.audit.models import AuditEvent

    (event,) = AuditEvent.objects.filter(action="wagtailimages.image.created")
    assert event.object_id == str(image.pk) and event.actor_username == image.uploaded_by_user.username


def test_publishing_strips_an_image_that_bypassed_the_upload_forms():
    drafter = make_user(R.DRAFTER, department="jianshe")
    # e.g. created in a shell or by a script: no upload form, EXIF and GPS kept
    image = get_image_model().objects.create(
        title="旧照片", file=SimpleUploadedFile("old.jpg", jpeg_with_gps(), content_type="image/jpeg")
    )
    stale = image.get_rendition("width-20")  # made from the original with GPS
    stale_name = stale.file.name
    original_name = image.file.name
    assert image_metadata(read(image.file)) == ["exif", "gps", "comment"]
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "开标现场照片", body=body_with(image))

    article, publisher = publish_through_chain(article, drafter)

    assert article.live
    image.refresh_from_db()
    clean = read(image.file)
    assert image.file.name == original_name and has_no_metadata(clean)
    assert image.file_size == len(clean) and (image.width, image.height) == (40, 20)
    assert not image.renditions.filter(file=stale_name).exists()  # made again from the clean original
    assert has_no_metadata(read(image.get_rendition("width-20").file))

    record = PublicationRecord.objects.get(page=article)
    [stripped] = record.screening["images_stripped"]
    assert stripped["id"] == image.pk and stripped["removed"] == ["exif", "gps", "comment"]
    assert stripped["sha256_before"] != stripped["sha256_after"] and stripped["renditions_deleted"] == 1
    # The archive keeps the clean file that went out.
    [archived] = [m for m in record.materials if m["kind"] == "image"]
    assert archived["sha256"] == stripped["sha256_after"]
    event = AuditEvent.objects.get(action="screening.image.metadata_stripped")
    assert event.actor_id == publisher.pk and event.object_id == str(image.pk)


def test_clean_images_are_left_alone():
    drafter = make_user(R.DRAFTER, department="jianshe")
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="干净", file=SimpleUploadedFile("c.png", buffer.getvalue())
    )
    before = read(image.file)
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "无元数据", body=body_with(image))
    article, _ = publish_through_chain(article, drafter)
    assert read(image.file) == before
    assert PublicationRecord.objects.get(page=article).screening["images_stripped"] == []
    assert not AuditEvent.objects.filter(action="screening.image.metadata_stripped").exists()
