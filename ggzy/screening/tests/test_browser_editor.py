"""A draft whose attachment contains an ID number cannot be submitted (the
only road to publication), and the editor shows the masked finding (issue 6);
the refused submit saved the edits as a draft and says so (issue 20), in Chromium."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column

from . import documents as d
from .helpers import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID = resident_id()


def test_attachment_with_an_id_number_blocks_publishing_and_shows_it_masked(
    center, live_server, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = make_user(RoleKey.PUBLISHER)
    document = get_document_model()(title="报名登记表")
    document.file.save("baoming.docx", ContentFile(d.docx(paragraphs=(f"联系人身份证 {ID}",))), save=False)
    document.save()
    article = column("zxdt/ztxx").add_child(
        instance=ArticlePage(
            title="关于报名的通知",
            body=f'<p>请下载<a linktype="document" id="{document.pk}">报名登记表</a>。</p>',
            live=False,
        )
    )
    article.save_revision(user=user)

    browser_login(page, live_server, user)

    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    page.locator("#id_title").fill("关于报名的通知（修订）")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name=re.compile("^提交")).click()

    banner = page.get_by_text(re.compile("已保存为草稿"))
    expect(banner.first).to_be_visible()
    expect(banner.first).to_contain_text("未提交审核")
    error = page.get_by_text(re.compile(r"pii\.id_card"))
    expect(error.first).to_be_visible()
    expect(error.first).to_contain_text("附件《报名登记表》")
    expect(error.first).to_contain_text(ID[:3])
    assert ID not in page.content().replace(" ", "")
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and article.current_workflow_state is None

    # The edits were kept: the editor opens on the saved draft.
    page.reload()
    expect(page.locator("#id_title")).to_have_value("关于报名的通知（修订）")
    assert article.get_latest_revision_as_object().title == "关于报名的通知（修订）"
