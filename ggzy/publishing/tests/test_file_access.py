"""Issue 14 item 2: an uploaded file is public only while a live public page
uses it; staff see an unpublished one through the permission check; /media/
serves image renditions only, never uploads, the archive or workbooks."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.tests.factories import column, publish_article
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import draft_article
from ggzy.screening.tests import documents

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def document(title: str, uploader=None):
    return get_document_model().objects.create(
        title=title,
        file=SimpleUploadedFile(f"{title}.pdf", documents.pdf("Tender document")),
        uploaded_by_user=uploader,
    )


def link(doc) -> str:
    return f'<p><a linktype="document" id="{doc.pk}">{doc.title}</a></p>'


def fetch(client, url: str) -> int:
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


def logged_in(user) -> Client:
    client = Client()
    login_as(client, user)
    return client


def test_an_unused_upload_is_not_public(client):
    jianshe = make_user(R.DRAFTER, department="jianshe")
    doc = document("招标文件草稿", uploader=jianshe)
    assert fetch(client, doc.url) == 404
    assert fetch(client, "/media/" + doc.file.name) == 404
    # The uploader's department previews it; another department's 信息员 (same
    # collection permissions) and a role without the media library do not.
    assert fetch(logged_in(make_user(R.DRAFTER, department="jianshe")), doc.url) == 200
    assert fetch(logged_in(make_user(R.DRAFTER, department="caigou")), doc.url) == 404
    assert fetch(logged_in(make_user(R.MONITORING_ADMIN, department="jianshe")), doc.url) == 404
    # 信息科's 信息发布员 works on every column's files.
    assert fetch(logged_in(make_user(R.PUBLISHER)), doc.url) == 200


def test_attachments_of_a_notice_in_review_are_not_public(client):
    drafter = make_user(R.DRAFTER, department="jianshe")
    doc = document("评标办法", uploader=drafter)
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "审核中的公告", body=link(doc))
    ReferenceIndex.create_or_update_for_object(article)
    submit_for_review(page=article, actor=drafter)
    assert fetch(client, doc.url) == 404
    # The head of the department reviews the notice: its attachment opens for them
    # (no media-library permission of their own); the head of another does not.
    assert fetch(logged_in(make_user(R.DEPARTMENT_HEAD, department="jianshe")), doc.url) == 200
    assert fetch(logged_in(make_user(R.DEPARTMENT_HEAD, department="caigou")), doc.url) == 404


def test_a_document_a_live_page_uses_is_public(client):
    doc = document("开标须知")
    article = publish_article(column("jyxx/jsgc/zbgg"), "已发布的公告", body=link(doc))
    ReferenceIndex.create_or_update_for_object(article)
    assert fetch(client, doc.url) == 200
    # Still not through /media/: documents have one door, the serve view.
    assert fetch(client, "/media/" + doc.file.name) == 404


def test_image_renditions_follow_the_same_rule(client):
    uploader = make_user(R.DRAFTER, department="zonghe")
    image = get_image_model().objects.create(
        title="现场照片", file=SimpleUploadedFile("site.png", png()), uploaded_by_user=uploader
    )
    rendition = image.get_rendition("width-400")
    assert fetch(client, rendition.url) == 404
    assert fetch(client, "/media/" + image.file.name) == 404  # the original, never
    assert fetch(logged_in(make_user(R.DRAFTER, department="zonghe")), rendition.url) == 200
    article = publish_article(
        column("tpzs"),
        "中心新貌",
        body=f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="现场"/>',
    )
    ReferenceIndex.create_or_update_for_object(article)
    assert fetch(client, rendition.url) == 200
    assert fetch(client, "/media/" + image.file.name) == 404


@pytest.mark.parametrize(
    "name",
    [
        "publication-archive/ab/abcdef.pdf",
        "spreadsheets/2026/05/开标记录.xlsx",
        "compliance/evidence/2026/05/检查记录.pdf",
        "documents/招标文件.pdf",
        "original_images/site.png",
    ],
)
def test_media_never_serves_other_uploads(client, name):
    default_storage.save(name, ContentFile(b"private"))
    assert Path(default_storage.path(name)).exists()
    system_admin = logged_in(make_user(R.SYSTEM_ADMIN))
    for who in (client, system_admin, logged_in(make_user(R.WEBSITE_ADMIN))):
        assert fetch(who, "/media/" + name) == 404
