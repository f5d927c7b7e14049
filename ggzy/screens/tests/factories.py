"""Screens registered through the register's service, and the WSGI calls the screens'
file layer answers."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from wsgiref.util import setup_testing_defaults

from django.conf import settings

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.facility.models import Room
from ggzy.screens.models import Screen
from ggzy.screens.registers import SCREENS


def keeper():
    return make_user(RoleKey.MACHINE_ROOM_ADMIN, department="xinxi")


def hall_room() -> Room:
    room, _ = Room.objects.get_or_create(
        name="一楼交易大厅设备间",
        defaults={
            "kind": "machine_room",
            "temp_min": Decimal(18),
            "temp_max": Decimal(27),
            "humidity_min": Decimal(8),
            "humidity_max": Decimal(80),
        },
    )
    return room


def form_data(**fields) -> dict:
    data = {
        "name": "开标大厅一号屏",
        "room": hall_room().pk,
        "location": "一楼交易大厅东墙",
        "show_openings": "on",
        "show_publicity": "on",
        "show_notices": "on",
        "scroll_speed": "40",
        "refresh_seconds": "30",
        "offline_minutes": "5",
        "enabled": "on",
    }
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def register_screen(*, actor=None, **fields) -> Screen:
    """A screen saved through the register's audited service."""
    return SCREENS.save(
        register=SCREENS["screens"], instance=None, data=form_data(**fields), actor=actor or keeper()
    )


def screen_file(screen: Screen, name: str) -> Path:
    return Path(settings.SCREENS_ROOT) / screen.key / name


def screen_data(screen: Screen) -> dict:
    return json.loads(screen_file(screen, "data.json").read_text())


def call(app, path: str, *, method: str = "GET", headers: dict | None = None):
    """(status code, headers, body) of one WSGI call."""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path.split("?")[0]}
    if "?" in path:
        environ["QUERY_STRING"] = path.split("?", 1)[1]
    environ.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()})
    environ["wsgi.input"] = io.BytesIO()
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = environ["HTTP_HOST"] = "localhost"
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(response_headers)

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return seen["status"], seen["headers"], body
