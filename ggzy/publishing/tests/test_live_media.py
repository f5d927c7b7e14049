import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
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
    from ggzy.audit.models import AuditEvent

    refusals = AuditEvent.objects.filter(action="publishing.live_media.refused", object_id=str(image.pk))
    assert refusals.count() == 2 and {e.outcome for e in refusals} == {"failure"}
    assert refusals.first().extra["pages"] == ["中心新貌"]


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


# Issue 14 item 3: the rule is the model's, so every route (the multiple-upload
# delete views, a later one, code) meets it, with the Chinese message in the admin.


def _used_by_a_live_page(obj, body: str):
    article = publish_article(column("tpzs"), "使用中的页面", body=body)
    ReferenceIndex.create_or_update_for_object(article)
    return article


@pytest.mark.parametrize("kind", ["document", "image"])
def test_no_route_deletes_media_a_live_page_uses(client, kind):
    from wagtail.documents import get_document_model

    from ggzy.accounts.choices import RoleKey as R

    publisher = make_user(R.PUBLISHER)  # may delete what they uploaded
    if kind == "image":
        obj = Image.objects.create(
            title="大楼", file=SimpleUploadedFile("b.png", png("red")), uploaded_by_user=publisher
        )
        _used_by_a_live_page(obj, f'<embed embedtype="image" id="{obj.pk}" format="fullwidth" alt="大楼"/>')
        url = reverse("wagtailimages:delete_multiple", args=[obj.pk])
    else:
        obj = get_document_model().objects.create(
            title="招标文件", file=SimpleUploadedFile("t.pdf", b"%PDF-1.4"), uploaded_by_user=publisher
        )
        _used_by_a_live_page(obj, f'<p><a linktype="document" id="{obj.pk}">招标文件</a></p>')
        url = reverse("wagtaildocs:delete_multiple", args=[obj.pk])
    login_as(client, publisher)
    response = client.post(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert response.status_code == 403 and "正被已发布的页面使用" in response.json()["error_message"]

    # Nor code: deleting, or swapping the file under the live page.
    from ggzy.publishing.files import LiveMediaInUse

    with pytest.raises(LiveMediaInUse):
        obj.delete()
    with pytest.raises(LiveMediaInUse), transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).delete()  # a bulk delete meets the pre_delete rule
    obj.file = SimpleUploadedFile("other.pdf" if kind == "document" else "o.png", png("blue"))
    with pytest.raises(LiveMediaInUse):
        obj.save()
    obj.refresh_from_db()
    obj.title = "大楼（新标题）"
    obj.save()  # a new title changes nothing a page shows


def test_an_unused_file_is_deleted_through_the_multiple_route(client):
    from ggzy.accounts.choices import RoleKey as R

    publisher = make_user(R.PUBLISHER)
    obj = Image.objects.create(
        title="草图", file=SimpleUploadedFile("d.png", png("red")), uploaded_by_user=publisher
    )
    login_as(client, publisher)
    response = client.post(reverse("wagtailimages:delete_multiple", args=[obj.pk]))
    assert response.status_code == 200 and not Image.objects.filter(pk=obj.pk).exists()
    # Audited, though Wagtail's multiple delete writes no log entry (the audit sweep).
    from ggzy.audit.models import AuditEvent

    (event,) = AuditEvent.objects.filter(action="wagtailimages.image.deleted")
    assert event.object_id == str(obj.pk) and event.actor_username == publisher.username
