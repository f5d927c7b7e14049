"""What a screen shows is published notices only (网络设备管理制度 第九条), written as
static files: today's bid openings, notices in their 公示 period, 重要通知."""

import json

import pytest
import time_machine
from django.core.management import call_command

from ggzy.audit.models import AuditEvent
from ggzy.notices.choices import NoticeKind
from ggzy.notices.tests.factories import add_notice, at, d, publish_notice
from ggzy.portal.tests.factories import column, publish_article
from ggzy.screens.models import Screen
from ggzy.screens.publish import screens_publish

from .factories import register_screen, screen_data, screen_file

pytestmark = pytest.mark.django_db

PLACE_BODY = (
    "<p>一、开标时间：2026年11月23日09时00分</p><p>二、开标地点：焦作市公共资源交易中心第一开标室。</p>"
)


@pytest.fixture
def notices(center):
    """Published on 2 November 2026 (within every statutory period), and a draft."""
    with time_machine.travel(at("2026-11-02", "09:00"), tick=False):
        tender = publish_notice(
            NoticeKind.CONSTRUCTION_TENDER,
            title="焦作市某道路改造工程施工招标公告",
            bid_deadline=at("2026-11-23", "09:30"),
            bid_opening=at("2026-11-23", "09:30"),
            body=PLACE_BODY,
        )
        procurement = publish_notice(
            NoticeKind.PROCUREMENT_TENDER,
            title="焦作市某学校设备采购公告",
            bid_deadline=at("2026-11-23", "14:30"),
        )
        draft = add_notice(
            NoticeKind.CONSTRUCTION_TENDER,
            title="尚未审核的招标公告草稿",
            bid_deadline=at("2026-11-23", "10:00"),
            bid_opening=at("2026-11-23", "10:00"),
        )
        candidates = publish_notice(
            NoticeKind.CONSTRUCTION_CANDIDATES,
            title="焦作市某道路改造工程中标候选人公示",
            publicity_start=d("2026-11-02"),
            publicity_end=d("2026-11-05"),
        )
        notice = publish_article(column("zytz"), "关于调整开标室使用安排的通知")
    return {
        "tender": tender,
        "procurement": procurement,
        "draft": draft,
        "candidates": candidates,
        "notice": notice,
    }


def test_a_screen_shows_todays_openings_with_time_and_place_from_published_notices_only(notices):
    screen = register_screen()
    with time_machine.travel(at("2026-11-23", "08:00"), tick=False):
        result = screens_publish()
    assert result.screens == 1
    data = screen_data(screen)
    assert data["day"] == "2026-11-23" and data["weekday"] == "星期一"
    openings = data["sections"]["openings"]
    assert [(o["time"], o["title"]) for o in openings] == [
        ("09:30", "焦作市某道路改造工程施工招标公告"),
        ("14:30", "焦作市某学校设备采购公告"),  # no opening time: the bids open at the deadline
    ]
    assert openings[0]["place"] == "焦作市公共资源交易中心第一开标室"
    assert openings[0]["project_code"] == notices["tender"].project_code
    assert openings[1]["place"] == ""  # the notice does not say: the screen says 详见公告
    # 第九条: a draft never reaches a screen, whatever it says.
    assert "尚未审核" not in screen_file(screen, "data.json").read_text()
    page = screen_file(screen, "index.html").read_text()
    assert 'data-refresh="30"' in page and 'data-speed="40"' in page
    assert "<script" in page and "https://" not in page  # its own script, nothing external
    assert data["version"] in page


def test_publicity_and_notices_sections(notices):
    screen = register_screen(show_openings=None)
    with time_machine.travel(at("2026-11-04", "08:00"), tick=False):
        screens_publish()
    data = screen_data(screen)
    assert set(data["sections"]) == {"publicity", "notices"}
    (row,) = data["sections"]["publicity"]
    assert row["title"] == "焦作市某道路改造工程中标候选人公示"
    assert row["period"] == "公示期：2026-11-02 至 2026-11-05" and row["days_left"] == 2
    assert [n["title"] for n in data["sections"]["notices"]] == ["关于调整开标室使用安排的通知"]
    with time_machine.travel(at("2026-11-06", "08:00"), tick=False):
        screens_publish()
    assert screen_data(screen)["sections"]["publicity"] == []  # the period is over


def test_a_change_notice_moves_the_opening_to_its_day(notices):
    with time_machine.travel(at("2026-11-05", "09:00"), tick=False):
        publish_notice(
            NoticeKind.PROCUREMENT_CHANGE,
            title="焦作市某学校设备采购变更公告",
            changed_notice=notices["procurement"],
            bid_deadline=at("2026-11-25", "15:00"),
        )
    screen = register_screen()
    with time_machine.travel(at("2026-11-23", "08:00"), tick=False):
        screens_publish()
    assert [o["title"] for o in screen_data(screen)["sections"]["openings"]] == [
        "焦作市某道路改造工程施工招标公告"
    ]
    with time_machine.travel(at("2026-11-25", "08:00"), tick=False):
        screens_publish()
    (moved,) = screen_data(screen)["sections"]["openings"]
    assert (moved["time"], moved["title"], moved["changed"]) == ("15:00", "焦作市某学校设备采购公告", True)


def test_publish_and_unpublish_rewrite_the_screens_after_commit(notices, django_capture_on_commit_callbacks):
    screen = register_screen()
    with time_machine.travel(at("2026-11-23", "08:00"), tick=False):
        screens_publish()
        assert len(screen_data(screen)["sections"]["openings"]) == 2
        with django_capture_on_commit_callbacks(execute=True):
            notices["tender"].unpublish()
        assert [o["title"] for o in screen_data(screen)["sections"]["openings"]] == [
            "焦作市某学校设备采购公告"
        ]
        with django_capture_on_commit_callbacks(execute=True):
            notices["draft"].get_latest_revision().publish()
        titles = [o["title"] for o in screen_data(screen)["sections"]["openings"]]
    assert titles == ["尚未审核的招标公告草稿", "焦作市某学校设备采购公告"]  # published now: 10:00


def test_the_day_boundary_rewrites_the_data_and_nothing_else_is_written(notices):
    screen = register_screen()
    with time_machine.travel(at("2026-11-22", "23:59"), tick=False):
        screens_publish()
        assert screen_data(screen)["sections"]["openings"] == []
        assert screens_publish().written == []  # nothing changed: nothing written
    with time_machine.travel(at("2026-11-23", "00:00"), tick=False):
        call_command("screens_tick", stdout=open("/dev/null", "w"))  # noqa: SIM115
    data = screen_data(screen)
    assert data["day"] == "2026-11-23" and len(data["sections"]["openings"]) == 2


def test_a_file_changed_on_disk_is_put_back_and_audited(notices):
    screen = register_screen()
    other = register_screen(name="二号屏", location="二楼走廊")
    with time_machine.travel(at("2026-11-23", "08:00"), tick=False):
        screens_publish()
        original = screen_file(screen, "data.json").read_bytes()
        typed = json.loads(original)
        typed["sections"]["openings"][0]["title"] = "未经审核的内容"
        screen_file(screen, "data.json").write_text(json.dumps(typed, ensure_ascii=False))
        (screen_file(screen, "index.html").parent / "extra.html").write_text("<p>手工上传</p>")
        result = screens_publish()
    assert sorted(result.repaired) == [f"{screen.key}/data.json", f"{screen.key}/extra.html"]
    assert screen_file(screen, "data.json").read_bytes() == original
    assert not (screen_file(screen, "index.html").parent / "extra.html").exists()
    event = AuditEvent.objects.filter(action="screens.files.repaired").get()
    assert event.outcome == "failure" and f"{screen.key}/data.json" in json.dumps(event.extra)
    # A disabled screen's files go quietly; nothing else is touched.
    Screen.objects.filter(pk=other.pk).update(enabled=False)
    with time_machine.travel(at("2026-11-23", "08:01"), tick=False):
        result = screens_publish()
    assert result.repaired == [] and sorted(result.removed) == [
        f"{other.key}/data.json",
        f"{other.key}/index.html",
    ]
    assert not screen_file(other, "data.json").exists()
