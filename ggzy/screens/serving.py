"""The screens' files in front of Django in the embedded ``make run`` mode, and the
heartbeat line each fetch of a screen's data leaves (nginx does both in production:
``location /screens/`` with ``access_log … ggzy_screens``; docs/screens.md).

A GET or HEAD under ``/screens/`` is answered from SCREENS_ROOT by sitebuild's file
layer (no symlinks, no hidden names, ETag/304, the security headers), with
``Cache-Control: no-cache`` (a screen revalidates; an unchanged file costs a 304) —
but the content-hashed ``assets/screen.<hash>.css|js`` never change and are cached. A
fetch of ``/screens/<key>/data.json`` answered 200 or 304 appends one line,
``<epoch seconds> <path> <status>``, to SCREENS_BEAT_LOG — the same line nginx's
``log_format ggzy_screens '$msec $uri $status'`` writes. No database, no Django: the
app reads the log once a minute (``beats.beats_ingest``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from ggzy.sitebuild.serving import CACHE_IMMUTABLE, PublishedSite, StartResponse, WSGIApp

PREFIX = "/screens"
DATA_PATH = re.compile(r"^/screens/[0-9a-f]{20}/data\.json$")
HASHED_ASSET = re.compile(r"^/screens/assets/screen\.[0-9a-f]{12}\.(css|js)$")
APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT


def beat_line(path: str, status: int, when: float | None = None) -> bytes:
    return f"{time.time() if when is None else when:.3f} {path} {status}\n".encode()


def append_beat(log: Path, line: bytes) -> None:
    """One write(2) of a short line with O_APPEND: atomic between processes (gunicorn's
    workers share the file), and a rotated log is picked up at the next fetch."""
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, APPEND, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


class ScreensSite:
    """WSGI middleware: ``/screens/…`` from SCREENS_ROOT (and the heartbeat), the rest
    to the wrapped application."""

    def __init__(self, app: WSGIApp, *, root: Path | str | None = None, beat_log: Path | str | None = None):
        self.app = app
        self.root = Path(root if root is not None else settings.SCREENS_ROOT)
        self.root.mkdir(parents=True, exist_ok=True)
        self.beat_log = Path(beat_log if beat_log is not None else settings.SCREENS_BEAT_LOG)
        # A path with no file goes back to the app with its original path (a 404).
        self.files = PublishedSite(self._back_to_app, root=self.root)

    def _back_to_app(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        return self.app(dict(environ, PATH_INFO=environ["ggzy.screens.path"]), start_response)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not (path == PREFIX or path.startswith(PREFIX + "/")) or environ.get("REQUEST_METHOD") not in (
            "GET",
            "HEAD",
        ):
            return self.app(environ, start_response)
        inner = dict(environ, PATH_INFO=path[len(PREFIX) :] or "/", QUERY_STRING="")
        inner["ggzy.screens.path"] = path
        beat = environ["REQUEST_METHOD"] == "GET" and DATA_PATH.match(path) is not None
        asset = HASHED_ASSET.match(path) is not None

        def respond(status: str, headers: list, exc_info=None):
            code = int(status.split(" ", 1)[0])
            cache = CACHE_IMMUTABLE if asset and code in (200, 304) else "no-cache"
            headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
            headers.append(("Cache-Control", cache))
            if beat and code in (200, 304):
                append_beat(self.beat_log, beat_line(path, code))
            return start_response(status, headers, exc_info)

        return self.files(inner, respond)


def screens_site(app: WSGIApp) -> WSGIApp:
    """config/wsgi.py: the screens in front of the rest (GGZY_SERVE_PUBLISHED off: not needed
    behind nginx, which serves /screens/ itself)."""
    if not getattr(settings, "GGZY_SERVE_PUBLISHED", True):
        return app
    return ScreensSite(app)
