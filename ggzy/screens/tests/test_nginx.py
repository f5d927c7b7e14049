"""The hall's screens behind the shipped nginx (deploy/nginx.conf and
nginx-locations.conf, rendered by ggzy.sitebuild.deploy.render_site with this test's
SCREENS_ROOT and SCREENS_BEAT_LOG): the files the publish path wrote, with the public
site's security headers and CSP, the data revalidated (304), the hashed assets cached
for good; each data fetch answered 200 or 304 is one line in the beat log, which the
heartbeat reader takes — the screen 在线, then 离线 after its threshold (网络设备管理制度
第三条). A real nginx on loopback; the app behind it is a dead port, so every answer
here is nginx's. Time moves with time-machine."""

import datetime as dt
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings

from ggzy.accounts.tests.factories import login_as
from ggzy.compliance.registry import all_checks, run_check
from ggzy.incidents.models import Alert
from ggzy.screens.beats import LINE, beats_ingest
from ggzy.screens.publish import screens_publish
from ggzy.screens.services import screens_tick
from ggzy.screens.serving import ScreensSite, screens_site
from ggzy.sitebuild import deploy
from ggzy.sitebuild.tests.helpers import deploy_example_environment

from .factories import keeper, register_screen, screen_file

pytestmark = pytest.mark.django_db

DEPLOY = Path(django_settings.BASE_DIR) / "deploy"
INDEX = "/admin/screens/registers/screens/"
UNKNOWN = "/screens/0123456789abcdef0123/data.json"  # the form of a key, no such screen


def fetch(url: str, *, method: str = "GET", headers: dict | None = None):
    """(status, headers, body); a 304 or a 404 is an answer, not an error."""
    request = urllib.request.Request(url, method=method, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def assert_public_headers(headers, settings) -> None:
    assert headers["Content-Security-Policy"] == settings.CSP_PUBLIC  # the same as the app's
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Server"] == "nginx" and "X-Request-ID" not in headers  # nginx answered, no version


def test_nginx_serves_a_screen_and_writes_the_heartbeat_the_reader_takes(center, client, settings, tmp_path):
    screen = register_screen()
    screens_publish()  # the real publish path writes SCREENS_ROOT
    root, log = Path(settings.SCREENS_ROOT), Path(settings.SCREENS_BEAT_LOG)
    port, dead = deploy.free_port(), deploy.free_port()  # nothing listens on `dead`
    rendered = deploy.render_site(
        tmp_path / "nginx", root=settings.PUBLISH_ROOT, upstream=f"127.0.0.1:{dead}", http_port=port
    )
    base = f"http://127.0.0.1:{port}"
    data_url = base + screen.url + "data.json"
    with deploy.nginx_running(rendered, port):
        # The page: revalidated on every load.
        status, headers, body = fetch(base + screen.url)
        assert status == 200 and body == screen_file(screen, "index.html").read_bytes()
        assert headers["Content-Type"].startswith("text/html") and headers["Cache-Control"] == "no-cache"
        assert_public_headers(headers, settings)
        # Its script and style under their content hash: cached for good.
        assets = re.findall(
            r'(?:href|src)="(/screens/assets/screen\.[0-9a-f]{12}\.(?:css|js))"', body.decode()
        )
        assert len(assets) == 2
        for asset in assets:
            status, headers, content = fetch(base + asset)
            assert status == 200 and content == (root / asset.removeprefix("/screens/")).read_bytes()
            assert headers["Cache-Control"] == "max-age=315360000"
            assert_public_headers(headers, settings)

        # No beat: HEAD, an unknown key (nginx's 404: the app, a dead port, would be a
        # 502), a hidden temp file, a bare key, the directory itself.
        assert fetch(data_url, method="HEAD")[0] == 200
        (root / screen.key / ".ggzy-x.tmp").write_text("half")
        for url in (UNKNOWN, f"/screens/{screen.key}/.ggzy-x.tmp", f"/screens/{screen.key}", "/screens/"):
            status, _, body = fetch(base + url)
            assert status == 404 and b"half" not in body, url

        # The data: 200, then 304 on If-None-Match and on If-Modified-Since.
        before = dt.datetime.now(tz=dt.UTC)
        status, headers, body = fetch(data_url + "?t=1")
        assert status == 200 and body == screen_file(screen, "data.json").read_bytes()
        assert headers["Content-Type"] == "application/json" and headers["Cache-Control"] == "no-cache"
        assert_public_headers(headers, settings)
        assert fetch(data_url, headers={"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(data_url, headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    # nginx has stopped (gracefully): every request's line is written.

    lines = log.read_text().splitlines()
    path = f"/screens/{screen.key}/data.json"
    assert [line.split(" ", 1)[1] for line in lines] == [f"{path} 200", f"{path} 304", f"{path} 304"]
    assert all(LINE.match(line.encode()) for line in lines)  # nginx's line is the reader's format
    last = dt.datetime.fromtimestamp(float(lines[-1].split()[0]), tz=dt.UTC)
    assert before - dt.timedelta(seconds=1) <= last <= dt.datetime.now(tz=dt.UTC)

    result = beats_ingest()
    assert (result.lines, result.beats, result.updated) == (3, 3, 1)
    screen.refresh_from_db()
    assert screen.last_seen_at == last

    login_as(client, keeper())
    with time_machine.travel(last + dt.timedelta(minutes=1), tick=False):
        screens_tick()
        body = client.get(INDEX).content.decode()
        check = run_check(all_checks()["screens.screens_online"], today=last.date())
    assert f'data-screen="{screen.pk}" data-status="online"' in body and "在线" in body
    assert check.status == "met"
    with time_machine.travel(last + dt.timedelta(minutes=screen.offline_minutes, seconds=1), tick=False):
        assert screens_tick().offline.alerted == [screen.name]
        body = client.get(INDEX).content.decode()
    assert f'data-screen="{screen.pk}" data-status="offline"' in body and "1 块电子屏离线" in body
    assert Alert.objects.get(source="screens").status == "open"


def wait_for_lines(log: Path, count: int, fetch_again: str | None = None) -> list[str]:
    """nginx writes a request's line as the request ends, just after the client has
    its answer: wait for it (bounded). With ``fetch_again``, fetch until the line
    lands in this file (after a reopen, a worker may still write to the old one)."""
    deadline = time.monotonic() + 10
    while True:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count:
            return lines
        assert time.monotonic() < deadline, f"{log}: {len(lines)} lines, {count} expected"
        if fetch_again:
            fetch(fetch_again)
        time.sleep(0.05)  # polling an outside process's file, not a time rule


def test_logrotate_rotates_the_beat_log_and_the_reader_follows(center, settings, tmp_path):
    """deploy/logrotate-screens.conf with the real logrotate and the real nginx: the
    log is moved and recreated, nginx reopens it (USR1), the reader starts the new
    file from its beginning."""
    logrotate = shutil.which("logrotate") or "/usr/sbin/logrotate"
    screen = register_screen()
    screens_publish()
    log = Path(settings.SCREENS_BEAT_LOG)
    port, dead = deploy.free_port(), deploy.free_port()
    rendered = deploy.render_site(
        tmp_path / "nginx", root=settings.PUBLISH_ROOT, upstream=f"127.0.0.1:{dead}", http_port=port
    )
    config = tmp_path / "logrotate.conf"
    config.write_text(
        (DEPLOY / "logrotate-screens.conf")
        .read_text()
        .replace("/srv/ggzy/var/log/screens-access.log", str(log))
        .replace("/run/nginx.pid", str(rendered.directory / "nginx.pid"))
        .replace("create 0640 root ggzy", "create 0640")  # no group ggzy on a test machine
    )
    data_url = f"http://127.0.0.1:{port}{screen.url}data.json"
    with deploy.nginx_running(rendered, port):
        assert fetch(data_url)[0] == 200
        wait_for_lines(log, 1)
        assert beats_ingest().beats == 1
        result = subprocess.run(
            [logrotate, "--force", "--state", str(tmp_path / "logrotate.state"), str(config)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert log.with_name(log.name + ".1").read_text().count("\n") == 1
        assert log.read_text() == ""  # created anew
        wait_for_lines(log, 1, fetch_again=data_url)
    lines = log.read_text().splitlines()  # nginx has stopped: all of them
    assert lines[-1].endswith(f"/screens/{screen.key}/data.json 200")
    result = beats_ingest()
    assert result.restarted and result.beats == len(lines) and result.updated == 1


def test_the_shipped_screens_paths_and_log_format_are_the_apps():
    """deploy/: the alias and the beat log are ggzy.env.example's SCREENS_ROOT and
    SCREENS_BEAT_LOG; the log format is the line the embedded layer writes."""
    env = deploy_example_environment()
    locations = (DEPLOY / "nginx-locations.conf").read_text()
    screens = re.search(r"location \^~ /screens/ \{(.*?)\n\}", locations, re.S).group(1)
    assert re.search(r"^\s*alias ([^;]+);", screens, re.M).group(1) == env["SCREENS_ROOT"] + "/"
    beat = re.search(r"access_log (\S+) ggzy_screens if=\$ggzy_screens_beat;", screens)
    assert beat.group(1) == env["SCREENS_BEAT_LOG"]
    assert len(re.findall(r"access_log ", screens)) == 1  # only in the data location
    conf = (DEPLOY / "nginx.conf").read_text()
    assert "log_format ggzy_screens '$msec $uri $status';" in conf
    # The shipped paths are the settings' defaults under GGZY_VAR_DIR.
    assert env["SCREENS_ROOT"] == env["GGZY_VAR_DIR"] + "/screens"
    assert env["SCREENS_BEAT_LOG"] == env["GGZY_VAR_DIR"] + "/log/screens-access.log"


def test_behind_nginx_the_embedded_screens_layer_is_off(settings):
    """ggzy.env.example sets GGZY_SERVE_PUBLISHED=false: nginx serves /screens/ and
    writes the heartbeat, config/wsgi.py leaves the screens' layer out; make run
    (the default, true) keeps it."""
    env = (DEPLOY / "ggzy.env.example").read_text().splitlines()
    assert "GGZY_SERVE_PUBLISHED=false" in env

    def app(environ, start_response):
        return []

    settings.GGZY_SERVE_PUBLISHED = False
    assert screens_site(app) is app
    settings.GGZY_SERVE_PUBLISHED = True
    assert isinstance(screens_site(app), ScreensSite)
