"""What a visitor does, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from ggzy.portal.tests.factories import column, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_opens_home_follows_a_column_and_reads_an_article(center, live_server, page):
    publish_article(column("jyxx/jsgc/zbgg"), "焦作市某道路工程施工招标公告", department="jianshe")

    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("焦作市公共资源交易中心"))
    nav = page.get_by_role("navigation", name="网站栏目")
    expect(nav.get_by_role("link")).to_have_count(12)  # 首页 + 11 columns

    nav.get_by_role("link", name="交易信息").click()
    expect(page).to_have_url(live_server.url + "/jyxx/")
    expect(page.get_by_role("heading", level=1)).to_have_text("交易信息")
    expect(nav.get_by_role("link", name="交易信息")).to_have_attribute("aria-current", "page")
    body_font = page.locator(".column-content").evaluate("e => getComputedStyle(e).fontSize")
    assert body_font == "18.6667px"  # 14pt, the column's 4号 layout requirement

    page.get_by_role("link", name="焦作市某道路工程施工招标公告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("焦作市某道路工程施工招标公告")
    expect(page.get_by_text("信息来源：建设工程交易科")).to_be_visible()


def test_skip_link_is_first_in_keyboard_order(center, live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
