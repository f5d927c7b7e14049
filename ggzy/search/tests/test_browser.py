"""A visitor searches from the home page, in Debian's Chromium."""

import pytest
from playwright.sync_api import expect

from ggzy.notices.choices import NoticeKind
from ggzy.notices.tests.factories import publish_notice
from ggzy.portal.tests.factories import column, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_the_home_page_then_filter_by_column(center, live_server, page):
    # transactional test: publishing commits, so the index is updated as in production
    publish_notice(NoticeKind.CONSTRUCTION_TENDER, title="焦作市道路改造工程招标公告")
    publish_article(column("zxdt/hyxx"), "道路改造工作动态")

    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="站内搜索")
    box.fill("道路 改造")
    box.press("Enter")

    expect(page).to_have_url(live_server.url + "/search/?q=%E9%81%93%E8%B7%AF+%E6%94%B9%E9%80%A0")
    expect(page.get_by_role("status")).to_contain_text("共找到 2 条结果")
    results = page.locator(".search-hit")
    expect(results).to_have_count(2)
    expect(page.locator(".search-hit mark").first).to_have_text("道路")

    page.get_by_label("栏目", exact=True).select_option(label="交易信息")
    page.get_by_role("button", name="搜索").last.click()
    expect(page.get_by_role("status")).to_contain_text("共找到 1 条结果")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text("焦作市道路改造工程招标公告")
    results.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("焦作市道路改造工程招标公告")
