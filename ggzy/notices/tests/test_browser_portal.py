"""The published (static) site as a bidder uses it, in Debian's Chromium (issue 20):
the home page's 交易信息 tabs, the 开标日程 and a project view.

The site is built into its publish root and served as plain files by a file
server on loopback with the public Content-Security-Policy, as nginx serves it:
no Django behind it, so what works here works on the real static site."""

import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from ggzy.notices.choices import NoticeKind as K
from ggzy.notices.tests.factories import at, publish_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class _StaticHandler(SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", settings.CSP_PUBLIC)
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def static_site(settings):
    """Serve the publish root as files (call after building); yields the base URL."""
    root = settings.PUBLISH_ROOT
    root.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_StaticHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def build_at(day: str, time: str = "07:00") -> None:
    with time_machine.travel(at(day, time), tick=False):
        call_command("build_site", "--workers", "1", stdout=io.StringIO())


def publish_trading_notices():
    with time_machine.travel(at("2026-11-02", "10:00")):
        road = publish_notice(
            K.CONSTRUCTION_TENDER,
            title="人民路改造工程施工招标公告",
            project_code="JZ2026-GC-018",
            project_name="人民路改造工程",
            bid_deadline=at("2026-11-23", "09:30"),
            bid_opening=at("2026-11-23", "09:30"),
            bid_opening_room="第一开标室",
        )
        office = publish_notice(
            K.PROCUREMENT_TENDER,
            title="办公设备采购公告",
            project_code="JZ2026-CG-007",
            project_name="办公设备采购",
            bid_deadline=at("2026-11-24", "14:30"),
            bid_opening=at("2026-11-24", "14:30"),
            bid_opening_room="第二开标室",
        )
        candidates = publish_notice(
            K.CONSTRUCTION_CANDIDATES, title="人民路改造工程中标候选人公示", project_code="JZ2026-GC-018"
        )
    with time_machine.travel(at("2026-11-09", "10:00")):
        change = publish_notice(
            K.PROCUREMENT_CHANGE,
            title="办公设备采购变更公告",
            project_code="JZ2026-CG-007",
            changed_notice=office,
            bid_deadline=at("2026-11-25", "09:00"),
            bid_opening=at("2026-11-25", "09:00"),
            bid_opening_room="第三开标室",
        )
    return road, office, candidates, change


def test_home_tabs_switch_by_trading_type_and_stage_on_the_static_site(center, static_site, page, browser):
    road, office, candidates, change = publish_trading_notices()
    build_at("2026-11-23")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(static_site + "/")
    trading = page.locator("section.trading")
    types = trading.get_by_role("tablist").first
    expect(types.get_by_role("tab")).to_have_text(["建设工程", "政府采购"])
    expect(types.get_by_role("tab", name="建设工程")).to_have_attribute("aria-selected", "true")
    expect(trading.get_by_role("link", name=road.title)).to_be_visible()
    expect(trading.get_by_role("link", name=office.title)).to_be_hidden()

    types.get_by_role("tab", name="政府采购").click()
    procurement = page.locator("#trade-procurement")
    expect(procurement.get_by_role("link", name=office.title)).to_be_visible()
    expect(trading.get_by_role("link", name=road.title)).to_be_hidden()
    procurement.get_by_role("tab", name="变更").click()
    expect(procurement.get_by_role("link", name=change.title)).to_be_visible()
    expect(procurement.get_by_role("link", name=office.title)).to_be_hidden()

    # Keyboard: arrows move between the trading types (WAI-ARIA tabs).
    types.get_by_role("tab", name="政府采购").focus()
    page.keyboard.press("ArrowLeft")
    expect(types.get_by_role("tab", name="建设工程")).to_be_focused()
    expect(types.get_by_role("tab", name="建设工程")).to_have_attribute("aria-selected", "true")
    page.locator("#trade-construction").get_by_role("tab", name="公示/结果").click()
    expect(trading.get_by_role("link", name=candidates.title)).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors

    # Without script every list is there under its own heading.
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    plain = context.new_page()
    plain.goto(static_site + "/")
    for title in (road.title, office.title, change.title, candidates.title):
        expect(plain.get_by_role("link", name=title).first).to_be_visible()
    expect(plain.get_by_role("heading", name="政府采购 · 变更")).to_be_visible()
    context.close()


def test_bid_schedule_shows_today_and_next_working_days(center, static_site, page):
    road, _office, _candidates, _change = publish_trading_notices()
    build_at("2026-11-23")  # a Monday

    page.goto(static_site + "/")
    schedule = page.locator("section.schedule")
    expect(schedule.get_by_role("heading", level=3)).to_have_count(4)  # today and three working days
    today = schedule.locator(".schedule-day.today")
    expect(today).to_contain_text("今天")
    row = today.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("09:30")
    expect(row).to_contain_text("JZ2026-GC-018")
    expect(row).to_contain_text("第一开标室")
    moved = schedule.locator(".schedule-day").nth(2)
    expect(moved).to_contain_text("第三开标室")
    expect(moved).to_contain_text("已变更")
    expect(schedule.locator(".schedule-day").nth(1)).to_contain_text("当日无开标项目")

    row.get_by_role("link", name="人民路改造工程").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(road.title)


def test_project_view_from_a_notice_lists_the_project_in_order(center, static_site, page):
    road, _office, candidates, _change = publish_trading_notices()
    build_at("2026-11-23")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(static_site + road.url)
    fields = page.locator("table.notice-fields")
    expect(fields.locator("tr", has_text="招标人")).to_contain_text("焦作市某局")
    expect(page.locator(".notice-key-dates")).to_contain_text("开标地点：第一开标室")
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="本项目全部公告").click()
    expect(page).to_have_url(static_site + "/xm/JZ2026-GC-018/")
    steps = page.locator(".project-step .step-title")
    expect(steps).to_have_text([road.title, candidates.title])
    steps.nth(1).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(candidates.title)
