"""The heartbeat: reading the screens' fetches from the access log (nginx's
``ggzy_screens`` format or the embedded layer's identical line) into
``Screen.last_seen_at``. Once a minute, from where the last read stopped: the cost
is the new lines only, whatever the number of screens."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import BeatCursor, Screen

LINE = re.compile(rb"^(\d+(?:\.\d+)?) /screens/([0-9a-f]{20})/data\.json (200|304)$")
CHUNK = 8 * 1024 * 1024  # read at most this much per pass (a backlog is read in passes)


@dataclass
class IngestResult:
    lines: int = 0
    beats: int = 0  # lines that were a screen's fetch
    seen: dict[str, dt.datetime] = field(default_factory=dict)  # key → newest fetch
    updated: int = 0  # screens whose last_seen_at moved
    restarted: bool = False  # a new or truncated log: read from its start


def _parse(data: bytes, result: IngestResult) -> None:
    for raw in data.split(b"\n"):
        if not raw:
            continue
        result.lines += 1
        match = LINE.match(raw.strip())
        if match is None:
            continue
        result.beats += 1
        when = dt.datetime.fromtimestamp(float(match.group(1)), tz=dt.UTC)
        key = match.group(2).decode()
        if key not in result.seen or result.seen[key] < when:
            result.seen[key] = when


def beats_ingest(*, path: Path | str | None = None) -> IngestResult:
    """Read the new complete lines of the beat log and move each screen's
    ``last_seen_at`` forward (one query to read the screens, one bulk update)."""
    path = Path(path or settings.SCREENS_BEAT_LOG)
    result = IngestResult()
    with transaction.atomic():
        cursor, _ = BeatCursor.objects.select_for_update().get_or_create(path=str(path))
        try:
            handle = open(path, "rb")  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            return result
        with handle:
            st = os.fstat(handle.fileno())
            offset = cursor.offset
            if st.st_ino != cursor.inode or st.st_size < offset:
                offset, result.restarted = 0, True
            handle.seek(offset)
            while True:
                data = handle.read(CHUNK)
                if not data:
                    break
                end = data.rfind(b"\n")
                if end < 0:
                    break  # a line being written: next time
                _parse(data[: end + 1], result)
                offset += end + 1
                handle.seek(offset)
        cursor.inode, cursor.offset, cursor.read_at = st.st_ino, offset, timezone.now()
        cursor.save()
        if result.seen:
            rows = list(Screen.objects.filter(key__in=list(result.seen)).only("pk", "key", "last_seen_at"))
            moved = []
            for screen in rows:
                when = result.seen[screen.key]
                if screen.last_seen_at is None or screen.last_seen_at < when:
                    screen.last_seen_at = when
                    moved.append(screen)
            Screen.objects.bulk_update(moved, ["last_seen_at"])
            result.updated = len(moved)
    return result
