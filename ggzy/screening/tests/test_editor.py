"""Screening in the Wagtail page editor: blocking findings stop publishing and
submitting (masked, by rule name); a refused submit or publish saves the edits as
a draft, never published nor sent into the chain, and says so (issue 20)."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column, publish_article
from ggzy.publishing.tests.factories import draft_article

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


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


SUBMIT = {"action-submit": "action-submit"}
PUBLISH = {"action-publish": "action-publish"}


def shown(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def blocks_of(page) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action="screening.page.release_blocked", object_id=str(page.pk))
    return list(events.order_by("seq"))


def assert_a_draft_only(page) -> None:
    """Saved, but neither live nor in (or waiting in) the approval chain."""
    page = ArticlePage.objects.get(pk=page.pk)
    assert not page.live and page.current_workflow_state is None
    assert not WorkflowState.objects.filter(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()


def test_a_refused_submit_of_a_new_page_saves_it_as_a_draft_and_says_so(client, publisher):
    parent = column("zxdt/ztxx")
    data = form("关于某项目的公告", f"<p>联系人身份证号 {ID}</p>", **SUBMIT)
    response = client.post(add_url(parent), data, follow=True)
    page = ArticlePage.objects.get(title="关于某项目的公告")
    assert response.redirect_chain[-1][0] == edit_url(page)  # back in the editor, not the listing
    assert_a_draft_only(page)
    draft = page.get_latest_revision_as_object()
    assert ID in draft.body  # the edits are kept, as a draft
    messages = shown(response)
    banner = next(m for m in messages if "内容审查" in m)
    assert "已保存为草稿" in banner and "未提交审核" in banner
    finding = next(m for m in messages if "pii.id_card" in m)
    assert finding.startswith("正文：【阻止发布】身份证号码（pii.id_card）") and "410" in finding
    assert not any(ID in m for m in messages)  # masked (the editor itself shows the author's draft)
    (event,) = blocks_of(page)
    assert event.outcome == "failure" and event.actor == publisher
    assert event.extra["requested"] == "submit" and event.extra["draft_saved"] is True
    assert event.extra["rules"] == ["pii.id_card"] and event.extra["fields"] == ["body"]
    assert event.extra["revision"] == page.latest_revision_id


def test_a_refused_submit_of_an_existing_draft_saves_the_edits(client, publisher):
    page = draft_article(column("zxdt/ztxx"), publisher, "内部通知")
    data = form("内部通知（修订）", "<p>本文件 机密★10年</p>", **SUBMIT)
    response = client.post(edit_url(page), data, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(page)
    assert_a_draft_only(page)
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.title == "内部通知（修订）" and "机密" in draft.body
    assert any("已保存为草稿" in m for m in shown(response))
    assert any("【阻止发布】密级标志（classified.mark）" in m and "命中内容：" in m for m in shown(response))
    (event,) = blocks_of(page)
    assert event.extra["revision"] == ArticlePage.objects.get(pk=page.pk).latest_revision_id
    # The editor opens on the saved draft.
    editor = client.get(edit_url(page)).content.decode()
    assert "内部通知（修订）" in editor


def test_a_refused_publish_of_a_live_page_leaves_the_public_version(client, publisher):
    page = publish_article(column("zxdt/ztxx"), "中心通知", "<p>原文</p>")
    data = form("中心通知", "<p>本文件 机密★10年</p>", **PUBLISH)
    response = client.post(edit_url(page), data, follow=True)
    live = ArticlePage.objects.get(pk=page.pk)
    assert live.live and live.body == "<p>原文</p>"  # what the public sees did not change
    assert live.has_unpublished_changes and "机密" in live.get_latest_revision_as_object().body
    assert live.current_workflow_state is None
    banner = next(m for m in shown(response) if "已保存为草稿" in m)
    assert "未发布" in banner
    (event,) = blocks_of(page)
    assert event.extra["requested"] == "publish"


def test_the_saved_draft_is_screened_again_at_the_next_submit(client, publisher):
    parent = column("zxdt/ztxx")
    client.post(add_url(parent), form("内部通知", "<p>本文件 机密★10年</p>", **SUBMIT))
    page = ArticlePage.objects.get(title="内部通知")
    client.post(edit_url(page), form("内部通知", "<p>本文件 机密★10年</p>", **SUBMIT))  # unchanged: refused
    assert_a_draft_only(page)
    assert len(blocks_of(page)) == 2
    response = client.post(edit_url(page), form("内部通知", "<p>本文件已公开。</p>", **SUBMIT))
    assert response.status_code == 302 and response.url != edit_url(page)  # Wagtail's submit went on
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.current_workflow_state is not None and not page.live
    assert len(blocks_of(page)) == 2


def test_the_block_is_audited_in_the_transaction_of_the_save(client, publisher, monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("audit chain unavailable")

    monkeypatch.setattr("ggzy.screening.editor.page_release_blocked", refuse)
    with pytest.raises(RuntimeError):
        client.post(add_url(column("zxdt/ztxx")), form("内部通知", "<p>本文件 机密★10年</p>", **SUBMIT))
    assert not ArticlePage.objects.filter(title="内部通知").exists()  # no draft without its audit event


def test_a_refused_submit_with_other_errors_saves_nothing_and_says_so(client, publisher):
    parent = column("zxdt/ztxx")
    client.post(add_url(parent), form("先有的信息", "<p>正文</p>"))  # takes the slug "test-article"
    response = client.post(add_url(parent), form("内部通知", "<p>本文件 机密★10年</p>", **SUBMIT))
    assert response.status_code == 200  # the form again, with its slug error
    assert not ArticlePage.objects.filter(title="内部通知").exists()
    page = response.content.decode()
    assert "本次修改尚未保存" in page and "classified.mark" in page
    event = AuditEvent.objects.get(action="screening.page.release_blocked")
    assert event.extra["draft_saved"] is False and event.extra["revision"] is None


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
    response = client.post(add_url(parent), form("某新政解读", "<p>正文</p>", **SUBMIT), follow=True)
    assert any("column.industry_tag" in m for m in shown(response))
    assert_a_draft_only(ArticlePage.objects.get(title="某新政解读"))
    data = form("[政府采购]某新政解读", "<p>正文</p>", slug="test-article-2", **SUBMIT)
    response = client.post(add_url(parent), data)
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="[政府采购]某新政解读").current_workflow_state is not None


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
    response = client.post(add_url(column("zxdt/ztxx")), form("附件测试", body, **SUBMIT), follow=True)
    assert_a_draft_only(ArticlePage.objects.get(title="附件测试"))
    found = " ".join(shown(response))
    assert "附件《报名表》" in found and "pii.id_card" in found and ID not in found
    assert "attachment.unreadable" in found and "可执行程序" in found
