"""Screening in the Wagtail page editor: blocking findings stop publishing and
submitting, shown next to the field and masked; drafts can still be saved."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column

from . import documents as d
from .helpers import resident_id

pytestmark = pytest.mark.django_db

ID = resident_id()


def form(title, body, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "test-article",
            "body": rich_text(body),
            "source_name": "",
            "keywords": "",
            "comments": inline_formset([]),
            # 信息来源 (附表): the editor offers the drafter's department; a browser posts it.
            "source_department": str(Department.objects.get(code="xinxi").pk),
            **extra,
        }
    )


@pytest.fixture
def publisher(client):
    user = make_user(RoleKey.PUBLISHER)
    login_as(client, user)
    return user


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("portal", "articlepage", parent.pk))


def test_publishing_a_page_with_an_id_number_is_refused_with_a_masked_finding(client, publisher):
    parent = column("zxdt/ztxx")
    data = form("关于某项目的公告", f"<p>联系人身份证号 {ID}</p>", **{"action-submit": "action-submit"})
    response = client.post(add_url(parent), data)
    assert response.status_code == 200  # the form again, with errors
    errors = " ".join(response.context["form"].errors["body"])
    assert "pii.id_card" in errors and "410" in errors and ID not in errors
    assert "pii.id_card" in response.content.decode()  # shown next to the body field
    assert not ArticlePage.objects.filter(title="关于某项目的公告").exists()


def test_a_draft_with_findings_is_saved_and_the_findings_shown(client, publisher):
    parent = column("zxdt/ztxx")
    response = client.post(add_url(parent), form("草稿", "<p>内部资料</p>"), follow=True)
    assert response.status_code == 200
    page = ArticlePage.objects.get(title="草稿")
    assert not page.live
    shown = [str(m) for m in response.context["messages"]]
    assert any("classified.mark" in m for m in shown)


def test_clean_page_goes_into_its_approval_chain(client, publisher):
    parent = column("zxdt/ztxx")
    response = client.post(
        add_url(parent), form("中心动态", "<p>中心召开会议。</p>", **{"action-submit": "action-submit"})
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(title="中心动态")
    assert article.current_workflow_state is not None and not article.live


def test_industry_news_titles_need_a_bracketed_industry_tag(client, publisher):
    parent = column("zxdt/hyxx")
    submit = {"action-submit": "action-submit"}
    response = client.post(add_url(parent), form("某新政解读", "<p>正文</p>", **submit))
    assert response.status_code == 200 and "column.industry_tag" in response.content.decode()
    response = client.post(add_url(parent), form("[政府采购]某新政解读", "<p>正文</p>", **submit))
    assert response.status_code == 302


def make_document(title, name, data):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document


def test_attachment_with_an_id_number_blocks_publishing(client, publisher, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = make_document("报名表", "baoming.docx", d.docx(paragraphs=(f"身份证 {ID}",)))
    fake = make_document("说明", "shuoming.docx", b"MZ" + b"\x00" * 50)
    body = (
        f'<p>见附件<a linktype="document" id="{document.pk}">报名表</a>'
        f'和<a linktype="document" id="{fake.pk}">说明</a></p>'
    )
    response = client.post(
        add_url(column("zxdt/ztxx")), form("附件测试", body, **{"action-submit": "action-submit"})
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["body"])
    assert "附件《报名表》" in errors and "pii.id_card" in errors and ID not in errors
    assert "attachment.unreadable" in errors and "可执行程序" in errors


def test_a_refused_submit_names_the_rule_in_chinese_with_the_matched_text_under_a_banner(client, publisher):
    parent = column("zxdt/ztxx")
    data = form("内部通知", "<p>本文件 机密★10年</p>", **{"action-submit": "action-submit"})
    response = client.post(add_url(parent), data)
    assert response.status_code == 200
    form_ = response.context["form"]
    body_errors = " ".join(form_.errors["body"])
    assert "【阻止发布】密级标志（classified.mark）" in body_errors and "命中内容：" in body_errors
    assert "机密" in body_errors  # the matched text
    banner = " ".join(form_.non_field_errors())
    assert "内容审查" in banner and "本次修改尚未保存" in banner
    page = response.content.decode()
    assert "本次修改尚未保存" in page and "密级标志" in page
    assert not ArticlePage.objects.filter(title="内部通知").exists()  # what the banner says
