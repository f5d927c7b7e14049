import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import ReferenceIndex

from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db


def png(color: str) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def image():
    return Image.objects.create(title="中心大楼", file=SimpleUploadedFile("building.png", png("red")))


def test_image_used_by_a_live_page_cannot_be_replaced_or_deleted(client, image):
    article = publish_article(
        column("tpzs"),
        "中心新貌",
        body=f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="中心大楼外景"/>',
    )
    ReferenceIndex.create_or_update_for_object(article)
    admin = make_user(is_superuser=True)
    login_as(client, admin)
    original = image.file.name
    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "中心大楼", "file": SimpleUploadedFile("other.png", png("blue"), content_type="image/png")},
        follow=True,
    )
    assert "正被已发布的页面使用" in response.content.decode() and "中心新貌" in response.content.decode()
    image.refresh_from_db()
    assert image.file.name == original
    client.post(reverse("wagtailimages:delete", args=[image.pk]))
    assert Image.objects.filter(pk=image.pk).exists()


def test_unused_image_can_be_replaced(client, image):
    login_as(client, make_user(is_superuser=True))
    original = image.file.name
    client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "中心大楼", "file": SimpleUploadedFile("other.png", png("blue"), content_type="image/png")},
    )
    image.refresh_from_db()
    assert image.file.name != original


def test_publication_archives_the_media_it_used_with_sha256(image, settings):
    import hashlib
    from pathlib import Path

    from ggzy.accounts.choices import RoleKey as R
    from ggzy.publishing.models import PublicationRecord
    from ggzy.publishing.services import submit_for_review
    from ggzy.publishing.tests.factories import approve, draft_article

    drafter = make_user(R.DRAFTER, department="zonghe")
    article = draft_article(
        column("tpzs"), drafter, "新大楼启用",
        body=f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="新大楼"/>',
    )  # fmt: skip
    submit_for_review(page=article, actor=drafter)
    for role, department in (
        (R.DEPARTMENT_HEAD, "zonghe"),
        (R.REVIEW_GROUP, "xinxi"),
        (R.LEADER, "zonghe"),  # 图片展示: the 分管领导 chain (审核制度 (七))
        (R.PUBLISHER, "xinxi"),
    ):
        approve(article, make_user(role, department=department))
    record = PublicationRecord.objects.get(page=article)
    (material,) = record.materials
    expected = hashlib.sha256(png("red")).hexdigest()
    assert material["kind"] == "image" and material["sha256"] == expected
    archived = Path(settings.MEDIA_ROOT) / material["archived_as"]
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == expected
