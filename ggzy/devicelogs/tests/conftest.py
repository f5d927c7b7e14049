"""The real collector for the device log tests: Debian's rsyslog, unprivileged, on a
high loopback port (UDP and TCP), running the shipped deploy/rsyslog-devicelogs.conf.

The audit tests' rsyslog fixture (ggzy/audit/tests/test_offsite.py) starts rsyslog
with a one-line UDP config of its own; this one reuses its helpers (the rsyslogd
path, the free-port probe, the wait loop) and runs the deploy file instead."""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from ggzy.audit.tests.test_offsite import RSYSLOGD, _free_udp_port, _udp_port_taken, _wait_for

DEPLOY_CONF = Path(django_settings.BASE_DIR) / "deploy" / "rsyslog-devicelogs.conf"


def _tcp_listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    """A port free for both UDP and TCP on loopback."""
    for _attempt in range(50):
        port = _free_udp_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise AssertionError("no free loopback port")


@dataclass
class Collector:
    port: int
    incoming: Path

    def send_udp(self, message: str, source: str = "127.0.0.1") -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((source, 0))
            sock.sendto(message.encode(), ("127.0.0.1", self.port))

    def send_tcp(self, messages: list[str], source: str = "127.0.0.1") -> None:
        """RFC 6587 non-transparent framing: one message per line."""
        with socket.create_connection(("127.0.0.1", self.port), source_address=(source, 0)) as sock:
            sock.sendall("".join(m + "\n" for m in messages).encode())

    def lines(self) -> int:
        return sum(p.read_bytes().count(b"\n") for p in self.incoming.rglob("*.log"))

    def wait_for_lines(self, count: int) -> None:
        _wait_for(lambda: self.lines() >= count, f"{count} lines in the collector's files")


@pytest.fixture
def collector(tmp_path, settings):
    if not os.path.exists(RSYSLOGD):
        if os.environ.get("CI"):
            pytest.fail("rsyslogd is missing (apt-get install rsyslog): the collector test never skips in CI")
        pytest.skip("rsyslogd is missing (make rsyslog installs it)")
    incoming, work = tmp_path / "incoming", tmp_path / "rsyslog"
    incoming.mkdir()
    work.mkdir()
    settings.DEVICELOG_DIR = incoming
    settings.DEVICELOG_ARCHIVE_DIR = tmp_path / "archive"
    port = _free_port()
    conf = work / "rsyslog.conf"
    conf.write_text(f'global(workDirectory="{work}")\ninclude(file="{DEPLOY_CONF}")\n')
    env = {
        **os.environ,
        "GGZY_DEVICELOG_DIR": str(incoming),
        "GGZY_DEVICELOG_ADDRESS": "127.0.0.1",
        "GGZY_DEVICELOG_PORT": str(port),
        # The day of a file is the collector's local day: the center's time zone.
        "TZ": django_settings.TIME_ZONE,
    }
    proc = subprocess.Popen(
        [RSYSLOGD, "-n", "-f", str(conf), "-i", str(work / "rsyslogd.pid")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        _wait_for(
            lambda: (_udp_port_taken(port) and _tcp_listening(port)) or proc.poll() is not None,
            "rsyslogd to listen on UDP and TCP",
        )
        assert proc.poll() is None, proc.stdout.read().decode()
        yield Collector(port, incoming)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
