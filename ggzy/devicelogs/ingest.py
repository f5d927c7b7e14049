"""Indexing the collector's files (网络安全管理办法 五(一)(二)): incremental, streaming,
bulk inserts.

rsyslog (deploy/rsyslog-devicelogs.conf) writes one line per message,
tab-separated, control characters escaped (``#011``):

    <time reported, RFC 3339> TAB <source address> TAB <facility> TAB <severity>
    TAB <host name> TAB <program> TAB <message>

into ``<DEVICELOG_DIR>/<source address>/<YYYY-MM-DD>.log``. ggzy remembers each
file's offset (``LogFile.offset``, committed with the rows it covers) and reads
only complete lines: a line rsyslog is still writing is left for the next run.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .choices import LineKind
from .models import LogFile, LogLine
from .rules import classify

CHUNK_BYTES = 4 * 1024 * 1024  # read at most this much per step: memory stays flat
BATCH = 5000  # rows per INSERT
_DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.log$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")


@dataclass
class IndexResult:
    files: int = 0
    lines: int = 0
    malformed: int = 0
    # (device id or None, host) → times of new lines of each alert kind
    login_failed: dict[tuple[int | None, str], list[dt.datetime]] = field(default_factory=dict)
    config_change: dict[tuple[int | None, str], list[dt.datetime]] = field(default_factory=dict)

    def merge_alert_times(self, kind: int, key: tuple[int | None, str], when: dt.datetime) -> None:
        target = self.login_failed if kind == LineKind.LOGIN_FAILED else self.config_change
        target.setdefault(key, []).append(when)


@dataclass(frozen=True)
class Parsed:
    time: dt.datetime
    facility: int
    severity: int
    hostname: str
    program: str
    text: str


def valid_host(name: str) -> bool:
    """A directory rsyslog made from a source address (never ``..`` or a path)."""
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return bool(_HOSTNAME.match(name)) and ".." not in name


def day_of(path: Path) -> dt.date | None:
    match = _DAY_FILE.match(path.name)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Chinese devices often log in GBK; GB 18030 decodes every byte sequence.
        text = raw.decode("gb18030", errors="replace")
    return text.replace("\x00", "")


def parse_line(raw: bytes) -> Parsed | None:
    """One line of the collector's format, or None when it is not one."""
    parts = _decode(raw).split("\t", 6)
    if len(parts) != 7:
        return None
    when, _source, facility, severity, hostname, program, text = parts
    try:
        time = dt.datetime.fromisoformat(when)
        fac, sev = int(facility), int(severity)
    except ValueError:
        return None
    if time.tzinfo is None or not (0 <= fac <= 23 and 0 <= sev <= 7):
        return None
    # RFC 3164 messages keep the space after "program:"; RFC 5424's nil program is "-".
    text = text[1:] if text.startswith(" ") else text
    program = "" if program == "-" else program
    return Parsed(time, fac, sev, hostname[:255], program[:100], text)


def complete_lines(path: Path, offset: int) -> Iterator[tuple[int, list[bytes]]]:
    """(end offset, complete lines) chunk by chunk from ``offset``; a trailing
    partial line is not returned (the end offset stops before it)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        carry = b""
        position = offset
        while True:
            block = handle.read(CHUNK_BYTES)
            if not block:
                return
            data = carry + block
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data
                continue
            carry = data[cut + 1 :]
            position += len(data) - len(carry)
            yield position, data[:cut].split(b"\n")


def device_addresses() -> dict[str, int]:
    """Management address → device id, for every device in the register (one query)."""
    from ggzy.network.selectors import devices

    return {
        address.strip(): pk
        for pk, address in devices().exclude(mgmt_address="").values_list("pk", "mgmt_address")
        if address.strip()
    }


def _insert(rows: list[LogLine]) -> None:
    LogLine.objects.bulk_create(rows, batch_size=BATCH)


def index_file(log_file: LogFile, path: Path, result: IndexResult) -> None:
    """Index the complete lines of ``path`` past ``log_file.offset``."""
    size = path.stat().st_size
    if size < log_file.offset:
        # Truncated or replaced behind our back: never re-read from 0 into duplicates.
        return
    if size == log_file.offset:
        return
    key = (log_file.device_id, log_file.host)
    touched = False
    for end, raw_lines in complete_lines(path, log_file.offset):
        rows: list[LogLine] = []
        first = last = None
        for raw in raw_lines:
            if not raw:
                continue
            parsed = parse_line(raw)
            if parsed is None:
                result.malformed += 1
                continue
            kind = classify(parsed.program, parsed.text)
            rows.append(
                LogLine(
                    file_id=log_file.pk,
                    device_id=log_file.device_id,
                    host=log_file.host,
                    hostname=parsed.hostname,
                    time=parsed.time,
                    severity=parsed.severity,
                    facility=parsed.facility,
                    program=parsed.program,
                    text=parsed.text,
                    kind=kind,
                )
            )
            if kind != LineKind.OTHER:
                result.merge_alert_times(kind, key, parsed.time)
            first = parsed.time if first is None or parsed.time < first else first
            last = parsed.time if last is None or parsed.time > last else last
        with transaction.atomic():
            _insert(rows)
            log_file.offset = end
            log_file.lines += len(rows)
            if first is not None:
                log_file.first_line_at = min(filter(None, (log_file.first_line_at, first)))
                log_file.last_line_at = max(filter(None, (log_file.last_line_at, last)))
            log_file.indexed_at = timezone.now()
            log_file.save(update_fields=["offset", "lines", "first_line_at", "last_line_at", "indexed_at"])
        result.lines += len(rows)
        touched = True
    result.files += touched


def incoming_files(root: Path) -> Iterator[tuple[str, dt.date, Path]]:
    if not root.is_dir():
        return
    for host_dir in sorted(root.iterdir()):
        if not host_dir.is_dir() or not valid_host(host_dir.name):
            continue
        for path in sorted(host_dir.iterdir()):
            day = day_of(path)
            if day is not None and path.is_file():
                yield host_dir.name, day, path


def index_all(*, root: Path | None = None) -> IndexResult:
    """Index every file of the collector's directory that grew since the last run."""
    root = Path(root or settings.DEVICELOG_DIR)
    addresses = device_addresses()
    known = {(f.host, f.day): f for f in LogFile.objects.filter(archived_at__isnull=True)}
    archived = set(LogFile.objects.filter(archived_at__isnull=False).values_list("host", "day"))
    result = IndexResult()
    for host, day, path in incoming_files(root):
        if (host, day) in archived:
            continue
        log_file = known.get((host, day))
        device_id = addresses.get(host)
        if log_file is None:
            log_file = LogFile.objects.create(host=host, day=day, device_id=device_id)
        elif log_file.device_id != device_id and device_id is not None:
            # The device was registered after its first lines arrived: new lines carry it.
            log_file.device_id = device_id
            log_file.save(update_fields=["device"])
        index_file(log_file, path, result)
    return result
