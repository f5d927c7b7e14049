"""Syslog through the real collector (rsyslog with deploy/rsyslog-devicelogs.conf) into
the index (网络安全管理办法 五(一)(二)): RFC 3164 and RFC 5424, over UDP and TCP, one file
per device and day, incremental indexing that never takes half a line."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ggzy.devicelogs import services
from ggzy.devicelogs.choices import LineKind
from ggzy.devicelogs.models import LogFile, LogLine

from .factories import device

pytestmark = pytest.mark.django_db

RFC3164 = "<38>Dec  4 10:15:02 core-sw sshd[812]: Failed password for admin from 10.9.9.9 port 50022 ssh2"
RFC5424 = (
    '<189>1 2026-12-04T10:15:03.250+08:00 fw-1 SHELL 42 CMD [origin ip="10.1.0.2"] '
    "用户 netadmin 执行命令 display current-configuration"
)


def test_rfc3164_over_udp_and_rfc5424_over_tcp_are_filed_per_device_and_indexed(collector):
    core = device("核心交换机", "127.0.0.1")
    firewall = device("边界防火墙", "127.0.0.2")
    collector.send_udp(RFC3164)
    collector.send_tcp([RFC5424, "<13>1 2026-12-04T02:15:04Z fw-1 - - - - nil program"], source="127.0.0.2")
    collector.wait_for_lines(3)

    today = timezone.localdate()
    assert sorted(
        p.relative_to(collector.incoming).as_posix() for p in collector.incoming.rglob("*.log")
    ) == [
        f"127.0.0.1/{today:%Y-%m-%d}.log",
        f"127.0.0.2/{today:%Y-%m-%d}.log",
    ]
    result = services.index_and_alert()
    assert (result.files, result.lines, result.malformed) == (2, 3, 0)

    login = LogLine.objects.get(device=core)
    assert (login.severity, login.facility, login.program, login.hostname) == (6, 4, "sshd", "core-sw")
    assert login.text.startswith("Failed password for admin") and login.kind == LineKind.LOGIN_FAILED
    assert login.host == "127.0.0.1"

    command = LogLine.objects.get(device=firewall, program="SHELL")
    assert (command.severity, command.facility) == (5, 23)
    assert command.time == dt.datetime(2026, 12, 4, 2, 15, 3, 250000, tzinfo=dt.UTC)
    assert "display current-configuration" in command.text and "用户 netadmin" in command.text
    nil = LogLine.objects.get(device=firewall, program="")
    assert nil.text == "nil program" and nil.severity == 5 and nil.facility == 1


def test_indexing_is_incremental_and_waits_for_a_complete_last_line(collector):
    device("核心交换机", "127.0.0.1")
    collector.send_tcp([f"<14>1 2026-12-04T02:00:0{n}Z sw app - - - line {n}" for n in range(3)])
    collector.wait_for_lines(3)
    assert services.index_and_alert().lines == 3
    assert services.index_and_alert().lines == 0  # nothing new: nothing read twice

    collector.send_udp("<14>1 2026-12-04T02:00:05Z sw app - - - line 3")
    collector.wait_for_lines(4)
    assert services.index_and_alert().lines == 1

    # A line the collector is still writing is not indexed until it is complete.
    (path,) = collector.incoming.rglob("*.log")
    with path.open("ab") as handle:
        handle.write(b"2026-12-04T10:00:06+08:00\t127.0.0.1\t1\t6\tsw\tapp\thalf a li")
    assert services.index_and_alert().lines == 0
    offset = LogFile.objects.get().offset
    with path.open("ab") as handle:
        handle.write(b"ne\n")
    assert services.index_and_alert().lines == 1
    assert LogLine.objects.filter(text="half a line").count() == 1
    assert LogFile.objects.get().offset == offset + len(
        b"2026-12-04T10:00:06+08:00\t127.0.0.1\t1\t6\tsw\tapp\thalf a line\n"
    )
    assert LogLine.objects.count() == 5


def test_a_source_not_in_the_register_is_indexed_and_matched_once_registered(collector):
    collector.send_udp("<14>1 2026-12-04T02:00:00Z sw app - - - before registration")
    collector.wait_for_lines(1)
    services.index_and_alert()
    assert LogLine.objects.get().device is None
    switch = device("接入交换机", "127.0.0.1")
    collector.send_udp("<14>1 2026-12-04T02:00:01Z sw app - - - after registration")
    collector.wait_for_lines(2)
    services.index_and_alert()
    assert LogLine.objects.get(text="after registration").device == switch
    assert LogFile.objects.get().device == switch


def test_malformed_lines_are_counted_not_indexed(settings, tmp_path):
    settings.DEVICELOG_DIR = tmp_path
    day = timezone.localdate()
    (tmp_path / "10.0.0.1").mkdir()
    (tmp_path / "10.0.0.1" / f"{day:%Y-%m-%d}.log").write_bytes(
        b"not the collector's format\n2026-12-04T10:00:06+08:00\t10.0.0.1\t1\t6\tsw\tapp\tgood\n"
    )
    (tmp_path / "..evil").mkdir()
    (tmp_path / "..evil" / f"{day:%Y-%m-%d}.log").write_bytes(b"x\n")
    result = services.index_and_alert()
    assert (result.lines, result.malformed) == (1, 1)
    assert list(LogLine.objects.values_list("text", flat=True)) == ["good"]


def test_index_command(collector, capsys):
    collector.send_udp("<14>1 2026-12-04T02:00:00Z sw app - - - via the command")
    collector.wait_for_lines(1)
    call_command("devicelogs_index")
    assert "indexed 1 lines from 1 files" in capsys.readouterr().out
