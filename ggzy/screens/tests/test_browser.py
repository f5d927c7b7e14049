"""A hall screen in Chromium, served as make run serves it (the screens' file layer
in front of Django): it shows a published notice's bid opening; its fetches are the
heartbeat; the 机房管理员 sees it online, then — time moved past its threshold with
the screen switched off — offline, with an alert (网络设备管理制度 第三、九条)."""

import re
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from types import SimpleNamespace
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import time_machine
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login, record_csp_violations
from ggzy.accounts.tests.factories import make_user
from ggzy.incidents.models import Alert
from ggzy.notices.choices import NoticeKind
from ggzy.notices.tests.factories import at, publish_notice
from ggzy.portal.tests.factories import column, publish_article
from ggzy.screens.publish import screens_publish
from ggzy.screens.services import screens_tick
from ggzy.screens.serving import ScreensSite

from .factories import register_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "docs" / "portal-screens"
TITLE = "焦作市某道路改造工程施工招标公告"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def embedded():
    """The embedded stack on loopback: /screens/ from SCREENS_ROOT, the rest Django."""
    app = ScreensSite(StaticFilesHandler(WSGIHandler()))
    server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    server.server_close()


def test_a_screen_shows_a_published_bid_opening_and_the_admin_sees_it_online_then_offline(
    center, embedded, page, other_page
):
    with time_machine.travel(at("2026-11-02", "09:00"), tick=False):
        publish_notice(
            NoticeKind.CONSTRUCTION_TENDER,
            title=TITLE,
            bid_deadline=at("2026-11-23", "09:30"),
            bid_opening=at("2026-11-23", "09:30"),
            body="<p>开标地点：焦作市公共资源交易中心第一开标室</p>",
        )
        publish_notice(
            NoticeKind.PROCUREMENT_TENDER,
            title="焦作市某学校教学设备采购公告",
            bid_deadline=at("2026-11-23", "14:30"),
        )
        publish_notice(
            NoticeKind.CONSTRUCTION_CANDIDATES,
            title="焦作市某桥梁维修工程中标候选人公示",
            publicity_start=at("2026-11-21").date(),
            publicity_end=at("2026-11-25").date(),
        )
        publish_article(column("zytz"), "关于2026年12月开标室集中使用安排的通知")
    keeper = make_user(RoleKey.MACHINE_ROOM_ADMIN, department="xinxi")

    with time_machine.travel(at("2026-11-23", "08:00"), tick=True):
        screen = register_screen(actor=keeper, name="开标大厅一号屏")
        screens_publish()
        violations = record_csp_violations(page)
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(embedded.url + screen.url)
        openings = page.locator("[data-section=openings]")
        expect(openings.get_by_role("heading", name=re.compile("今日开标"))).to_be_visible()
        first = openings.get_by_role("listitem").first
        expect(first).to_contain_text(TITLE)
        expect(first).to_contain_text("09:30")
        expect(first).to_contain_text("焦作市公共资源交易中心第一开标室")
        expect(page.locator("[data-section=publicity]")).to_contain_text("公示期：2026-11-21 至 2026-11-25")
        expect(page.locator("[data-section=notices]")).to_contain_text(
            "关于2026年12月开标室集中使用安排的通知"
        )
        expect(page.locator("#screen-day")).to_have_text("2026-11-23")
        font = page.locator(".panel-openings .row .title").first.evaluate("e => getComputedStyle(e).fontSize")
        assert float(font.removesuffix("px")) >= 40  # large type, read across the hall
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "screen-desktop-1920x1080.png"))

        # Opened on a phone (390×844; screens are 16:9 and have no phone layout of their
        # own): the type is scaled to a readable size, one panel under the other, and
        # nothing runs off the side.
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        first = page.locator("[data-section=openings]").get_by_role("listitem").first
        expect(first).to_contain_text("焦作市公共资源交易中心第一开标室")
        title = page.locator(".panel-openings .row .title").first
        assert 14 <= float(title.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) <= 24
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for selector in (
            "#screen-clock",
            "#screen-day",
            ".panel-openings .row .title",
            ".panel-openings .row .place",
        ):
            box = page.locator(selector).first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        page.screenshot(path=str(SHOTS / "screen-phone-390x844.png"))
        assert violations == []

        # The page's fetch of data.json was its heartbeat; the minute tick reads it.
        assert screens_tick().beats.updated == 1
        browser_login(other_page, embedded, keeper)
        other_page.goto(embedded.url + "/admin/screens/registers/screens/")
        row = other_page.locator(f"tr[data-screen='{screen.pk}']")
        expect(row.locator(".screen-status")).to_have_text("在线")
        page.close()  # the screen is switched off

    with time_machine.travel(at("2026-11-23", "08:10"), tick=True):
        assert screens_tick().offline.alerted == ["开标大厅一号屏"]
        other_page.reload()
        expect(row.locator(".screen-status")).to_have_text("离线")
        expect(other_page.locator("#screens-offline")).to_contain_text("1 块电子屏离线")
    assert Alert.objects.get(source="screens").title == "电子屏离线：开标大厅一号屏"
