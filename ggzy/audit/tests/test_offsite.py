"""Checkpoint digests go off the box to syslog (issue 14 item 9), checked against a
real receiver: Debian's rsyslog listening on a loopback UDP port, writing to a file."""

import os
import shutil
import socket
import subprocess
import time

import pytest

from ggzy.audit.services import checkpoint_create

from .factories import make_events

pytestmark = pytest.mark.django_db

RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _udp_port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _wait_for(condition, what: str, timeout: float = 20.0) -> None:
    """Poll an outside process (rsyslogd) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def rsyslog(tmp_path):
    if not os.path.exists(RSYSLOGD):
        if os.environ.get("CI"):
            pytest.fail("rsyslogd is missing (apt-get install rsyslog): the syslog test never skips in CI")
        pytest.skip("rsyslogd is missing (apt-get install rsyslog; make test installs it)")
    port = _free_udp_port()
    out = tmp_path / "received.log"
    conf = tmp_path / "rsyslog.conf"
    conf.write_text(
        f'global(workDirectory="{tmp_path}")\n'
        'module(load="imudp")\n'
        f'input(type="imudp" address="127.0.0.1" port="{port}")\n'
        f'*.* action(type="omfile" file="{out}")\n'
    )
    proc = subprocess.Popen(
        [RSYSLOGD, "-n", "-f", str(conf), "-i", str(tmp_path / "rsyslogd.pid")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: _udp_port_taken(port) or proc.poll() is not None, "rsyslogd to listen")
        assert proc.poll() is None, proc.stdout.read().decode()
        yield f"127.0.0.1:{port}", out
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_each_checkpoint_digest_arrives_at_syslog(rsyslog, settings, django_capture_on_commit_callbacks):
    address, received = rsyslog
    settings.AUDIT_SYSLOG_ADDRESS = address
    make_events(2)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = checkpoint_create()
    expected = f"seq={checkpoint.seq} hash={checkpoint.hash} mac={checkpoint.mac}"

    def arrived() -> bool:
        return received.exists() and expected in received.read_text(errors="replace")

    _wait_for(arrived, "the checkpoint line in rsyslog's file")
    line = next(x for x in received.read_text().splitlines() if expected in x)
    assert "ggzy-audit" in line and "ggzy-audit-checkpoint kind=periodic" in line


def test_nothing_is_sent_when_no_address_is_set(settings, django_capture_on_commit_callbacks):
    from ggzy.audit import offsite

    settings.AUDIT_SYSLOG_ADDRESS = None
    make_events(1)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = checkpoint_create()
    assert offsite.send_checkpoint(checkpoint) is False
