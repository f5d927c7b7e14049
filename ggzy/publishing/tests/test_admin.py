import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.tests.factories import column, publish_article
from ggzy.publishing.models import PublicationRecord, TakedownRecord
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    drafter = make_user(R.DRAFTER, department="caigou", last_name="王", first_name="采购")
    head = make_user(R.DEPARTMENT_HEAD, department="caigou")
    publisher = make_user(R.PUBLISHER)
    article = draft_article(column("jyxx/zfcg/cggg"), drafter, "某单位办公设备采购公告")
    submit_for_review(page=article, actor=drafter)
    approve(article, head, comment="内容属实")
    approve(article, make_user(R.REVIEW_GROUP, department="zonghe"))
    approve(type(article).objects.get(pk=article.pk), publisher)
    return PublicationRecord.objects.get(page=article)


def test_publication_log_is_for_the_website_admin_and_publisher(client, record):
    url = reverse("publication_records:index")
    for role in (R.DRAFTER, R.DEPARTMENT_HEAD, R.SYSTEM_ADMIN, R.AUDIT_ADMIN):
        login_as(client, make_user(role))
        assert client.get(url).status_code in (302, 403), role
    login_as(client, make_user(R.WEBSITE_ADMIN))
    html = client.get(url).content.decode()
    assert "某单位办公设备采购公告" in html
    # nothing in the admin can add, change or delete a record
    assert client.get("/admin/publishing/records/new/").status_code == 404
    assert client.get(f"/admin/publishing/records/edit/{record.pk}/").status_code == 404
    assert client.get(f"/admin/publishing/records/delete/{record.pk}/").status_code == 404


def test_publication_log_filters_and_exports_xlsx(client, record):
    login_as(client, make_user(R.WEBSITE_ADMIN))
    url = reverse("publication_records:index")
    other = str(make_user(R.DRAFTER).department_id)  # 信息科: no records
    assert "某单位办公设备采购公告" not in client.get(url, {"department": other}).content.decode()
    assert (
        "某单位办公设备采购公告"
        in client.get(url, {"department": str(record.department_id)}).content.decode()
    )
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][0] == "某单位办公设备采购公告" and rows[1][2] == "政府采购交易科"
    from ggzy.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="publishing.publicationrecord.exported")
    assert event.extra["format"] == "xlsx" and event.extra["rows"] == 1


def test_approval_form_pdf_embeds_a_chinese_font(client, record):
    login_as(client, make_user(R.WEBSITE_ADMIN))
    response = client.get(reverse("publishing_record_pdf", args=[record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "信息发布审批表" in text and "某单位办公设备采购公告" in text and "内容属实" in text
    fonts = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = (
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/DescendantFonts" in font
            else font["/FontDescriptor"]
        )
        fonts.append(
            (str(font["/BaseFont"]), any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
        )
    assert any("CJK" in name and embedded for name, embedded in fonts), fonts
    from ggzy.audit.models import AuditEvent

    assert AuditEvent.objects.filter(
        action="publishing.approval_form.exported", object_id=str(record.pk)
    ).exists()


def test_pdf_needs_permission(client, record):
    login_as(client, make_user(R.DRAFTER))
    assert client.get(reverse("publishing_record_pdf", args=[record.pk])).status_code in (302, 403)


def test_takedown_view_requires_role_and_reason(client):
    article = publish_article(column("zlxz/bgxz"), "过期表格")
    url = reverse("publishing_takedown", args=[article.pk])
    login_as(client, make_user(R.DRAFTER))
    assert client.post(url, {"reason": "过期"}).status_code in (302, 403)  # Wagtail: redirect + message
    assert type(article).objects.get(pk=article.pk).live
    login_as(client, make_user(R.PUBLISHER))
    response = client.post(url, {"reason": ""})
    # The form's own error ("必需字段" is also the label's required marker).
    assert response.status_code == 200 and response.context["form"].errors["reason"] == ["必需字段"]
    assert type(article).objects.get(pk=article.pk).live
    response = client.post(url, {"reason": "表格已作废，发布了新版"})
    assert response.status_code == 302
    assert not type(article).objects.get(pk=article.pk).live
    assert TakedownRecord.objects.get().reason == "表格已作废，发布了新版"


def test_wagtail_unpublish_view_is_closed(client):
    article = publish_article(column("zlxz/bgxz"), "表格")
    login_as(client, make_user(R.WEBSITE_ADMIN))
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    assert response.status_code in (302, 403)
    assert type(article).objects.get(pk=article.pk).live


def test_editor_shows_no_publish_action_before_the_chain_completes(client, django_user_model):
    from django.core.management import call_command

    call_command("setup_center", stdout=io.StringIO())
    superuser = django_user_model.objects.get(is_superuser=True)
    superuser.must_change_password = False
    superuser.save()
    drafter = make_user(R.DRAFTER, department="jianshe")
    article = draft_article(column("zlxz/bgxz"), drafter)
    for user in (superuser, make_user(R.PUBLISHER), make_user(R.WEBSITE_ADMIN), drafter):
        login_as(client, user)
        response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="action-publish"' not in html, user
        # a forged publish POST does not publish either
        client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            {"title": article.title, "slug": article.slug, "body": "{}", "action-publish": "1"},
        )
        assert not type(article).objects.get(pk=article.pk).live
    login_as(client, drafter)
    assert (
        'name="action-submit"'
        in client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    )


def test_website_admin_can_change_a_columns_chain(client):
    from wagtail.models import Workflow

    login_as(client, make_user(R.WEBSITE_ADMIN))
    assert client.get(reverse("wagtailadmin_workflows:index")).status_code == 200
    workflow = Workflow.objects.get(name="分管领导审核签发流程")
    assert client.get(reverse("wagtailadmin_workflows:edit", args=[workflow.pk])).status_code == 200
    login_as(client, make_user(R.DRAFTER))
    assert client.get(reverse("wagtailadmin_workflows:index")).status_code in (302, 403)


def test_publication_log_listing_reads_departments_and_publishers_in_one_query(client, record):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(client, make_user(R.WEBSITE_ADMIN))
    url = reverse("publication_records:index")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for department in ("jianshe", "xinxi", "zonghe"):
        copy = PublicationRecord.objects.get(pk=record.pk)
        copy.pk = None
        copy.department = make_user(R.DRAFTER, department=department).department
        copy.publisher = make_user(R.PUBLISHER)
        copy.save()
    with CaptureQueriesContext(connection) as four:
        html = client.get(url).content.decode()
    assert html.count("某单位办公设备采购公告") >= 4
    assert len(four) == len(one)
