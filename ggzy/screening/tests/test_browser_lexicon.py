"""The 网站管理员 adds a prohibited term to the 违禁词库 in Chromium; it is
screened at once, in text and in an uploaded document, and the change is
audited (网站管理制度 第十四条、第十八条; 网络安全管理办法 五(二))."""

import re

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.screening import services
from ggzy.screening.models import LexiconEntry
from ggzy.screening.tests.documents import docx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TERM = "围标串标秘籍"


def test_website_admin_adds_a_term_and_it_is_screened_and_audited(center, live_server, page):
    admin = make_user(RoleKey.WEBSITE_ADMIN, department="xinxi")
    text = f"本公告附件提供{TERM}下载。"
    assert services.screen(text) == []  # compiled before the edit, without the term

    browser_login(page, live_server, admin)
    page.locator("nav[aria-label]").get_by_role("button", name="设置").click()
    page.get_by_role("link", name="违禁词库", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/screening/lexicon/$"))
    page.get_by_role("link", name=re.compile("添加")).first.click()
    page.get_by_label("类别").select_option(label="其他违法违规内容")
    page.get_by_label("词语").fill(TERM)
    page.get_by_label("处理").select_option(label="阻止发布")
    page.get_by_label("备注").fill("交易中心通报案例")
    page.get_by_role("button", name="创建").click()
    expect(page.locator(".messages")).to_contain_text(TERM)
    expect(page).to_have_url(re.compile(r"/admin/screening/lexicon/$"))

    # Listed: found by the listing's search, with its category and handling.
    search = page.get_by_role("main").locator("input[name=q]")
    search.fill(TERM)
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/screening/lexicon/\?q="))
    row = page.get_by_role("row").filter(has_text=TERM)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("其他违法违规内容")
    expect(row).to_contain_text("阻止发布")

    entry = LexiconEntry.objects.get(term=TERM)
    assert (entry.category, entry.severity, entry.active) == ("illegal_other", "block", True)
    # Screened at once: plain text and a Word document carrying the term.
    findings = services.screen(text)
    assert [(f.rule, f.blocking) for f in findings] == [("lexicon.illegal_other", True)]
    assert findings[0].excerpt == "本公告附件提供围*****下载。"  # located, the term itself masked
    in_document = services.screen_document(docx(paragraphs=("招标文件", text)), name="附件.docx")
    assert [f.rule for f in in_document] == ["lexicon.illegal_other"]

    event = AuditEvent.objects.get(action="screening.lexiconentry.created")
    assert (event.actor, event.object_id) == (admin, str(entry.pk))
    assert TERM in event.object_repr
