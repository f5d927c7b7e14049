"""从 Word 导入: a .docx becomes an article's draft body, through the screening
gate, for those who may edit the article."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column
from ggzy.screening.tests import documents as d
from ggzy.screening.tests.helpers import resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    page = column("zxdt/ztxx").add_child(
        instance=ArticlePage(title="联系方式", body="<p>咨询电话 13812345678，内部资料</p>", live=False)
    )
    page.save_revision()
    return page


def import_url(page):
    return reverse("ingest_import_docx", args=[page.pk])


def test_drafter_imports_a_docx_into_a_draft(client, article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login_as(client, make_user(RoleKey.DRAFTER))
    assert client.get(import_url(article)).status_code == 200
    data = d.docx(d.heading("项目概况") + d.p("导入的正文"), files={"word/styles.xml": d.STYLES})
    response = client.post(import_url(article), {"file": SimpleUploadedFile("材料.docx", data)})
    assert response.status_code == 302 and response.url == reverse(
        "wagtailadmin_pages:edit", args=[article.pk]
    )
    article.refresh_from_db()
    body = article.get_latest_revision_as_object().body
    assert "<h2>项目概况</h2>" in body and "导入的正文" in body


def test_import_refuses_a_docx_with_an_id_number(client, article):
    login_as(client, make_user(RoleKey.DRAFTER))
    revisions = article.revisions.count()
    data = d.docx(paragraphs=(f"身份证 {resident_id()}",))
    response = client.post(import_url(article), {"file": SimpleUploadedFile("a.docx", data)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "pii.id_card" in errors and resident_id() not in errors
    assert article.revisions.count() == revisions


def test_import_needs_edit_permission(client, article):
    login_as(client, make_user(RoleKey.REVIEW_GROUP))
    assert client.get(import_url(article)).status_code in (302, 403)


def test_edit_page_offers_the_import(client, article):
    login_as(client, make_user(RoleKey.DRAFTER))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert import_url(article) in response.content.decode()
