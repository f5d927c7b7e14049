"""Emergency takedown (紧急撤稿) of a live article, walked in Chromium by the
网站管理员 (from the column's page listing) and the 信息发布员 (from the
article's editor header). 网站管理制度 第十八条: with a reason, recorded."""

import io
import re
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column, publish_article
from ggzy.publishing.models import TakedownRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于某工程招标公告联系电话的更正"
REASON = "公告中的联系电话有误，需更正后重新发布"


def published_file(url: str):
    return settings.PUBLISH_ROOT.joinpath(*filter(None, unquote(url).split("/")), "index.html")


def open_header_actions(page) -> None:
    page.get_by_role("navigation", name="操作", exact=True).get_by_role(
        "button", name="动作", exact=True
    ).click()


def confirm_takedown(page, reason: str) -> None:
    page.get_by_label("撤下原因").fill(reason)
    page.get_by_role("button", name="确认撤下").click()


def test_website_admin_takes_down_a_live_article_with_a_reason(center, live_server, page):
    bidding = column("jyxx/jsgc/zbgg")
    keep = publish_article(bidding, "保留的招标公告")
    article = publish_article(bidding, TITLE)
    # One process: a build forked while Playwright's loop runs in this thread gave
    # the workers garbled PostgreSQL rows (test-only; forked builds: test_parallel).
    call_command("build_site", "--workers", "1", stdout=io.StringIO())
    assert published_file(article.url).is_file()
    admin = make_user(RoleKey.WEBSITE_ADMIN, department="xinxi")

    browser_login(page, live_server, admin)
    page.goto(f"{live_server.url}/admin/pages/{bidding.pk}/")
    row = page.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("button", name=re.compile("更多")).click()
    row.get_by_role("link", name="紧急撤下").click()
    expect(page).to_have_url(re.compile(rf"/admin/publishing/takedown/{article.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("紧急撤下")

    # Without a reason, or with too short a one: a Chinese error, the article stays live.
    page.get_by_role("button", name="确认撤下").click()
    errors = page.locator("main form .error-message")
    expect(errors).to_have_text("必需字段")
    confirm_takedown(page, "有误")
    expect(errors).to_have_text(re.compile("至少包含 4 字符"))
    assert ArticlePage.objects.get(pk=article.pk).live
    assert not TakedownRecord.objects.exists()

    confirm_takedown(page, REASON)
    expect(page.locator(".messages")).to_contain_text(f"“{TITLE}”已撤下。")
    expect(page).to_have_url(re.compile(rf"/admin/pages/{bidding.pk}/$"))

    assert not ArticlePage.objects.get(pk=article.pk).live
    record = TakedownRecord.objects.get()
    assert (record.page_id, record.title, record.actor, record.reason) == (article.pk, TITLE, admin, REASON)
    event = AuditEvent.objects.get(action="publishing.page.taken_down")
    assert event.actor == admin and event.object_id == str(article.pk) and event.after == {"reason": REASON}
    # The static site lost the page and its listing entry; the other article stays.
    assert not published_file(article.url).exists()
    assert TITLE not in published_file(bidding.url).read_text()
    assert published_file(keep.url).is_file()
    assert page.request.get(live_server.url + article.url).status == 404

    # 信息发布 → 紧急撤稿记录 lists it with who and why.
    page.get_by_role("button", name="信息发布").click()
    page.get_by_role("link", name="紧急撤稿记录").click()
    expect(page).to_have_url(re.compile(r"/admin/publishing/takedowns/$"))
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(REASON)
    expect(row).to_contain_text(admin.username)


def test_publisher_takes_down_from_the_editor_and_a_drafter_sees_no_button(center, live_server, page):
    bidding = column("jyxx/jsgc/zbgg")
    article = publish_article(bidding, TITLE)
    drafter = make_user(RoleKey.DRAFTER, department="jianshe")
    publisher = make_user(RoleKey.PUBLISHER, department="xinxi")

    browser_login(page, live_server, drafter)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    open_header_actions(page)
    expect(page.get_by_role("link", name="紧急撤下")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/publishing/takedown/{article.pk}/")  # typed in by hand
    expect(page).to_have_url(re.compile(r"/admin/$"))  # Wagtail: permission denied, back home
    expect(page.get_by_role("button", name="确认撤下")).to_have_count(0)

    browser_login(page, live_server, publisher)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    open_header_actions(page)
    page.get_by_role("link", name="紧急撤下").click()
    confirm_takedown(page, REASON)
    expect(page.locator(".messages")).to_contain_text(f"“{TITLE}”已撤下。")

    assert not ArticlePage.objects.get(pk=article.pk).live
    assert TakedownRecord.objects.get().actor == publisher
    page.goto(live_server.url + bidding.url)
    expect(page.get_by_text(TITLE)).to_have_count(0)
