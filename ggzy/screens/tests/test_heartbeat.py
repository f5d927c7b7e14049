"""The heartbeat: a screen's fetch of its data.json, answered from the file by the
embedded layer (no Django), leaves one line in the beat log; the minute tick reads it;
a screen silent for N minutes is offline, alerted once, and back when it fetches
(网络设备管理制度 第三条). Time moves with time-machine."""

import datetime as dt
import os
import re

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from ggzy.compliance.registry import all_checks, run_check
from ggzy.incidents.models import Alert
from ggzy.notices.tests.factories import at
from ggzy.screens.beats import beats_ingest
from ggzy.screens.models import Screen
from ggzy.screens.publish import screens_publish
from ggzy.screens.services import screens_tick
from ggzy.screens.serving import ScreensSite, append_beat, beat_line

from .factories import call, register_screen, screen_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_the_test_connection")]


def django_app(environ, start_response):
    """The app behind the layer: only reached for what has no file."""
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()(environ, start_response)


@pytest.fixture
def screen(center):
    screen = register_screen()
    screens_publish()
    return screen


def log_lines() -> list[str]:
    path = settings.SCREENS_BEAT_LOG
    return path.read_text().splitlines() if path.exists() else []


def test_the_file_layer_serves_the_screen_and_writes_one_beat_per_data_fetch(screen):
    app = ScreensSite(django_app)
    status, headers, body = call(app, screen.url)
    assert status == 200 and body == screen_file(screen, "index.html").read_bytes()
    assert (
        headers["Cache-Control"] == "no-cache" and headers["Content-Security-Policy"] == settings.CSP_PUBLIC
    )
    assert "X-Request-ID" not in headers  # the file layer answered, not Django
    # Its script and style under their content hash: cached for good (as nginx does).
    assets = re.findall(r'(?:href|src)="(/screens/assets/[^"]+)"', body.decode())
    assert len(assets) == 2
    for asset in assets:
        status, headers, _ = call(app, asset)
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert call(app, "/screens/assets/screen.0123456789ab.css")[1]["Cache-Control"] == "no-cache"  # a 404
    assert log_lines() == []  # the page itself is no heartbeat

    status, headers, body = call(app, screen.url + "data.json?t=1")
    assert status == 200 and body == screen_file(screen, "data.json").read_bytes()
    assert headers["Content-Type"] == "application/json" and headers["Cache-Control"] == "no-cache"
    status, _, _ = call(app, screen.url + "data.json", headers={"If-None-Match": headers["ETag"]})
    assert status == 304
    call(app, screen.url + "data.json", method="HEAD")
    lines = log_lines()
    assert [line.split()[1:] for line in lines] == [
        [f"/screens/{screen.key}/data.json", "200"],
        [f"/screens/{screen.key}/data.json", "304"],
    ]
    # An unknown screen goes to the app (404) and beats nothing; a hidden name is never served.
    assert call(app, "/screens/0123456789abcdef0123/data.json")[0] == 404
    (screen_file(screen, "x").parent / ".ggzy-x.tmp").write_text("half")
    assert call(app, screen.url + ".ggzy-x.tmp")[0] == 404
    assert len(log_lines()) == 2


def test_ingest_reads_only_new_complete_lines_and_follows_a_rotated_log(screen):
    log = settings.SCREENS_BEAT_LOG
    seen = at("2026-12-04", "09:00")
    append_beat(log, beat_line(f"/screens/{screen.key}/data.json", 200, seen.timestamp()))
    append_beat(log, beat_line("/screens/0123456789abcdef0123/data.json", 200, seen.timestamp()))
    append_beat(log, beat_line(f"/screens/{screen.key}/data.json", 404, seen.timestamp() + 60))
    with open(log, "ab") as handle:
        handle.write(f"{seen.timestamp() + 90:.3f} /screens/{screen.key}/data".encode())  # being written
    result = beats_ingest()
    assert (result.lines, result.beats, result.updated) == (3, 2, 1)
    screen.refresh_from_db()
    assert screen.last_seen_at == seen
    with open(log, "ab") as handle:
        handle.write(b".json 304\n")
    result = beats_ingest()
    assert (result.lines, result.restarted) == (1, False)
    screen.refresh_from_db()
    assert screen.last_seen_at == seen + dt.timedelta(seconds=90)
    # logrotate: a new file under the same name is read from its start.
    os.rename(log, log.with_suffix(".1"))
    append_beat(log, beat_line(f"/screens/{screen.key}/data.json", 200, seen.timestamp() + 120))
    result = beats_ingest()
    assert result.restarted and result.updated == 1


def _check():
    return run_check(all_checks()["screens.screens_online"], today=dt.date(2026, 12, 4))


def test_a_silent_screen_is_offline_after_its_threshold_alerted_once_and_back_on_its_next_fetch(screen):
    app = ScreensSite(django_app)
    with time_machine.travel(at("2026-12-04", "09:00"), tick=False):
        assert call(app, screen.url + "data.json")[0] == 200
        screens_tick()
        assert _check().status == "met"
    screen.refresh_from_db()
    assert screen.last_seen_at == at("2026-12-04", "09:00")

    with time_machine.travel(at("2026-12-04", "09:05"), tick=False):  # exactly N = 5 minutes
        assert screens_tick().offline.offline == []
    with time_machine.travel(at("2026-12-04", "09:06"), tick=False):
        result = screens_tick()
        assert result.offline.alerted == ["开标大厅一号屏"]
        check = _check()
    assert check.status == "failing" and "开标大厅一号屏" in check.detail
    alert = Alert.objects.get(source="screens")
    assert alert.status == "open" and alert.incident_type == "hardware"
    assert "一楼交易大厅东墙" in alert.detail and "09:00" in alert.detail
    with time_machine.travel(at("2026-12-04", "09:07"), tick=False):
        assert screens_tick().offline.alerted == []  # one alert per episode
    assert Alert.objects.get(source="screens").count == 1

    with time_machine.travel(at("2026-12-04", "09:08"), tick=False):
        assert call(app, screen.url + "data.json")[0] == 200
        result = screens_tick()
        assert result.offline.recovered == ["开标大厅一号屏"]
        assert _check().status == "met"
    assert Alert.objects.get(source="screens").status == "recovered"


def test_a_new_screen_waits_its_threshold_then_is_listed_as_never_online(center):
    with time_machine.travel(at("2026-12-04", "09:00"), tick=False):
        screen = register_screen()
    with time_machine.travel(at("2026-12-04", "09:04"), tick=False):
        assert Screen.objects.get().status_at(at("2026-12-04", "09:04")) == "waiting"
        assert screens_tick().offline.offline == []
    with time_machine.travel(at("2026-12-04", "09:06"), tick=False):
        assert screens_tick().offline.alerted == [screen.name]
        client = Client()
        assert client.get("/admin/screens/registers/screens/").status_code == 302  # login first


def test_no_screen_is_no_data_and_a_disabled_screen_is_not_offline(center):
    assert _check().status == "no_data"
    with time_machine.travel(at("2026-12-04", "09:00"), tick=False):
        register_screen(enabled=None)
    with time_machine.travel(at("2026-12-04", "10:00"), tick=False):
        assert screens_tick().offline.offline == []
    assert _check().status == "no_data"


def test_the_command_reports_what_it_did(screen, capsys):
    append_beat(settings.SCREENS_BEAT_LOG, beat_line(f"/screens/{screen.key}/data.json", 200))
    call_command("screens_tick")
    out = capsys.readouterr().out
    assert "beats: 1 read, 1 screens seen" in out and "offline: 0" in out


def test_the_tick_is_scheduled_every_minute_and_runs_as_a_task(screen):
    from ggzy.screens.tasks import refresh_screens
    from ggzy.screens.tasks import screens_tick as tick_task

    assert settings.GGZY_SCHEDULE["ggzy.screens.tasks.screens_tick"] == "* * * * *"
    append_beat(settings.SCREENS_BEAT_LOG, beat_line(f"/screens/{screen.key}/data.json", 304))
    result = tick_task.enqueue()  # tests run tasks inline
    assert result.return_value["beats"] == 1 and result.return_value["offline"] == []
    screen_file(screen, "data.json").unlink()
    result = refresh_screens.enqueue().return_value
    assert result["written"] == result["repaired"] == [f"{screen.key}/data.json"]  # deleted on disk
