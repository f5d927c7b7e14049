"""Accessibility and 适老化 in Debian's Chromium (issue 20; GB/T 37668-2019, WCAG 2.1 AA):
axe-core (from the npm registry, installed by `make test` into var/node) on the home
page, a column, a notice, an article, search and the 404 page with no serious or
critical violation; the 无障碍 toolbar; the phone menu; keyboard-only navigation; the
footer's identity items."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from ggzy.notices.tests.factories import publish_notice
from ggzy.portal.services import site_identity_update
from ggzy.portal.tests.factories import column, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_JS = Path(os.environ.get("AXE_JS", settings.BASE_DIR / "var/node/node_modules/axe-core/axe.min.js"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

IDENTITY = {
    "site_name": "焦作市公共资源交易中心",
    "domain": "ggzy.jiaozuo.gov.cn",
    "https": True,
    "sponsor": "焦作市公共资源交易中心",
    "organizer": "焦作市公共资源交易中心信息科",
    "address": "焦作市示范区东海大道",
    "phone": "0391-1234567",
    "email": "ggzy@jiaozuo.gov.cn",
    "site_code": "4108000001",
    "icp_number": "豫ICP备12345678号-1",
    "police_number": "豫公网安备 41080002000001号",
    "police_url": "https://beian.mps.gov.cn/",
    "conac_url": "https://bszs.conac.cn/sitename?method=show&id=1",
}


@pytest.fixture
def axe_page(browser):
    """A tab whose pages accept the injected axe-core script (the site's CSP allows no
    inline script; the test bypasses it for the injection only)."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: `make axe` installs axe-core from the npm registry")
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def serious_violations(tab) -> list[str]:
    tab.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    violations = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)", AXE_TAGS
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_or_critical_violation(center, live_server, axe_page):
    site_identity_update(data=IDENTITY)
    article = publish_article(column("zwgk"), "焦作市公共资源交易中心简介", body="<p>中心简介正文。</p>")
    notice = publish_notice("construction.tender")
    found = {}
    for url in [
        "/",
        "/jyxx/",
        notice.url,
        article.url,
        "/search/?q=公告",
        "/no-such-page/",
        "/wzdt/",
        "/wza/",
    ]:
        axe_page.goto(live_server.url + url)
        found[url] = serious_violations(axe_page)
    # with the toolbar's high contrast and largest text on
    axe_page.evaluate(
        "localStorage.setItem('ggzy-a11y', JSON.stringify({contrast: true, text: 4, open: true}))"
    )
    axe_page.goto(live_server.url + "/")
    found["/ (high contrast)"] = serious_violations(axe_page)
    assert {url: v for url, v in found.items() if v} == {}


def test_footer_identity_items(center, live_server, page):
    site_identity_update(data=IDENTITY)
    page.goto(live_server.url + "/")
    footer = page.locator("footer.site-footer")
    expect(footer).to_contain_text("主办单位：焦作市公共资源交易中心")
    expect(footer).to_contain_text("承办单位：焦作市公共资源交易中心信息科")
    expect(footer).to_contain_text("地址：焦作市示范区东海大道")
    expect(footer).to_contain_text("网站标识码：4108000001")
    expect(footer.get_by_role("link", name="0391-1234567")).to_have_attribute("href", "tel:0391-1234567")
    expect(footer.get_by_role("link", name="ggzy@jiaozuo.gov.cn")).to_have_attribute(
        "href", "mailto:ggzy@jiaozuo.gov.cn"
    )
    expect(footer.get_by_role("link", name="豫ICP备12345678号-1")).to_have_attribute(
        "href", "https://beian.miit.gov.cn/"
    )
    expect(footer.get_by_role("link", name="豫公网安备 41080002000001号")).to_have_attribute(
        "href", "https://beian.mps.gov.cn/"
    )
    expect(footer.get_by_role("link", name="党政机关网站标识")).to_be_visible()
    footer.get_by_role("link", name="网站地图").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网站地图")
    page.locator("footer.site-footer").get_by_role("link", name="无障碍说明").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("无障碍说明")


def test_toolbar_is_keyboard_operable_and_remembered(center, live_server, page):
    page.goto(live_server.url + "/")
    html = page.locator("html")
    bar = page.get_by_role("toolbar", name="无障碍工具栏")
    expect(bar).to_be_hidden()
    opener = page.get_by_role("button", name="无障碍工具栏")
    opener.focus()
    page.keyboard.press("Enter")
    expect(bar).to_be_visible()
    expect(opener).to_have_attribute("aria-expanded", "true")
    # focus moved into the toolbar: its first button
    assert page.evaluate("document.activeElement.textContent") == "放大字体"
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")  # noqa: E731
    before = size()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(html).to_have_class("a11y-text-2")
    assert size() > before
    for name, cls in [("高对比度", "a11y-contrast"), ("加大行距", "a11y-spacing"), ("大鼠标", "a11y-cursor")]:
        button = bar.get_by_role("button", name=name)
        button.focus()
        page.keyboard.press("Space")
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(html).to_have_class(__import__("re").compile(cls))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    bar.get_by_role("button", name="阅读辅助线").click()
    guide = page.locator(".reading-guide")
    expect(guide).to_be_visible()
    page.mouse.move(200, 300)
    top = page.evaluate("document.querySelector('.reading-guide').getBoundingClientRect().top")
    assert 270 <= top <= 300

    # remembered on the next page and after a reload (localStorage)
    page.goto(live_server.url + "/jyxx/")
    expect(html).to_have_class(__import__("re").compile("a11y-contrast"))
    expect(html).to_have_class(__import__("re").compile("a11y-text-2"))
    expect(page.locator(".reading-guide")).to_be_visible()
    expect(page.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")

    # Esc closes the toolbar and gives focus back; 重置 restores the default look
    page.get_by_role("button", name="高对比度").focus()
    page.keyboard.press("Escape")
    expect(page.get_by_role("toolbar", name="无障碍工具栏")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "a11y-open"
    page.keyboard.press("Enter")
    page.get_by_role("button", name="重置").click()
    assert page.evaluate("document.documentElement.className").strip() == ""
    page.reload()
    assert "a11y-contrast" not in page.evaluate("document.documentElement.className")


def test_phone_menu_collapses_and_trading_information_is_on_the_first_screen(center, live_server, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True)
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/")
        nav = tab.get_by_role("navigation", name="网站栏目")
        toggle = nav.get_by_role("button", name="栏目导航")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        trading = nav.get_by_role("link", name="交易信息")
        expect(trading).to_be_hidden()
        # the page's own content starts on the first screen, under a compact header
        assert tab.evaluate("document.querySelector('main').getBoundingClientRect().top") < 844 / 2
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(trading).to_be_visible()
        box = trading.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        trading.click()
        expect(tab).to_have_url(live_server.url + "/jyxx/")
    finally:
        context.close()


def test_keyboard_only_from_home_to_an_article(center, live_server, page):
    publish_article(column("jyxx/jsgc/zbgg"), "某道路工程施工招标公告", department="jianshe")
    page.goto(live_server.url + "/")
    expect(
        page.get_by_role("button", name="栏目导航")
    ).to_be_hidden()  # the phone menu's button: not on a desktop
    reached = None
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "交易信息":
            reached = page.evaluate(
                "document.activeElement.closest('nav') && document.activeElement.closest('nav').id"
            )
            break
    assert reached == "main-nav", "交易信息 not reachable by Tab from the top of the home page"
    # the focused link is visibly marked
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/jyxx/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "某道路工程施工招标公告":
            break
    else:
        pytest.fail("the notice is not reachable by Tab on its column")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("某道路工程施工招标公告")
