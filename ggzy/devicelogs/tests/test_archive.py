"""Archive, verify, purge (网络安全管理办法 五(四)): each closed day compressed and
chained, the chain verified by a command, and nothing kept past retention — nor
purged before it."""

import datetime as dt
import gzip

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ggzy.audit.models import AuditEvent
from ggzy.devicelogs import archive, services
from ggzy.devicelogs.models import DayArchive, LogFile, LogLine
from ggzy.devicelogs.system_checks import retention_not_below_floor

from .factories import device

pytestmark = pytest.mark.django_db


def _receive_today(collector, count=3):
    device("核心交换机", "127.0.0.1")
    device("边界防火墙", "127.0.0.2")
    collector.send_tcp([f"<14>1 2026-12-04T02:00:0{n}Z sw app - - - core {n}" for n in range(count)])
    collector.send_udp("<14>1 2026-12-04T02:00:09Z fw app - - - firewall", source="127.0.0.2")
    collector.wait_for_lines(count + 1)


def _tomorrow():
    return timezone.now() + dt.timedelta(days=1)


def test_a_closed_day_is_indexed_compressed_chained_and_removed_from_incoming(
    collector, django_capture_on_commit_callbacks
):
    _receive_today(collector)
    # Today is not closed: nothing archived, but the day is indexed.
    assert archive.archive_closed_days().archived == []
    assert LogLine.objects.count() == 4

    with time_machine.travel(_tomorrow()), django_capture_on_commit_callbacks(execute=True):
        result = archive.archive_closed_days()
    first, second = sorted(result.archived, key=lambda a: a.seq)
    assert (first.seq, second.seq) == (1, 2) and second.prev_hash == first.hash
    assert {a.lines for a in result.archived} == {3, 1}
    core = DayArchive.objects.get(host="127.0.0.1")
    with gzip.open(collector.incoming.parent / "archive" / core.file_name, "rt") as handle:
        assert [line.rsplit("\t", 1)[1] for line in handle.read().splitlines()] == [
            "core 0",
            "core 1",
            "core 2",
        ]
    assert not list(collector.incoming.rglob("*.log"))  # the archive is now the copy
    assert LogFile.objects.filter(archived_at__isnull=True).count() == 0
    assert LogLine.objects.count() == 4  # still searchable
    assert AuditEvent.objects.filter(action="devicelogs.log.archived").count() == 2
    assert archive.verify_archives().ok


def test_verify_command_finds_a_replaced_archive_and_an_altered_record(collector, capsys):
    _receive_today(collector)
    with time_machine.travel(_tomorrow()):
        archive.archive_closed_days()
    call_command("devicelogs_verify")
    assert "OK: verified 2 archives" in capsys.readouterr().out

    core = DayArchive.objects.get(host="127.0.0.1")
    path = collector.incoming.parent / "archive" / core.file_name
    original = path.read_bytes()
    with gzip.open(path, "wb") as handle:
        handle.write(b"2026-12-04T10:00:00+08:00\t127.0.0.1\t1\t6\tsw\tapp\tnothing happened\n")
    with pytest.raises(CommandError, match=r"BROKEN: 127\.0\.0\.1/.*digest differs"):
        call_command("devicelogs_verify")
    assert AuditEvent.objects.filter(action="devicelogs.archive.verified", outcome="failure").exists()

    path.write_bytes(original)
    DayArchive.objects.filter(pk=core.pk).update(lines=99)
    with pytest.raises(CommandError, match="hash mismatch"):
        call_command("devicelogs_verify")


def test_archive_command(collector, capsys):
    _receive_today(collector, count=1)
    with time_machine.travel(_tomorrow()):
        call_command("devicelogs_archive")
    assert "2 archived" in capsys.readouterr().out


def test_purge_removes_index_rows_and_archives_past_retention_only(
    collector, settings, django_capture_on_commit_callbacks
):
    _receive_today(collector)
    with time_machine.travel(_tomorrow()):
        archive.archive_closed_days()
    archived = collector.incoming.parent / "archive"
    assert len(list(archived.rglob("*.gz"))) == 2

    # Day 183 (the default retention) still keeps it: nothing purged inside retention.
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.DEVICELOG_RETENTION_DAYS)):
        assert archive.purge_expired().lines == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.DEVICELOG_RETENTION_DAYS + 1)):
        assert archive.purge_expired(dry_run=True).lines == 4
        assert LogLine.objects.count() == 4
        with django_capture_on_commit_callbacks(execute=True):
            result = archive.purge_expired()
    assert (result.lines, result.files, result.archives) == (4, 2, 2)
    assert LogLine.objects.count() == 0 and LogFile.objects.count() == 0
    assert not list(archived.rglob("*.gz"))
    assert DayArchive.objects.filter(purged_at__isnull=False).count() == 2
    event = AuditEvent.objects.get(action="devicelogs.log.purged")
    assert event.extra["lines"] == 4 and event.extra["retention_days"] == settings.DEVICELOG_RETENTION_DAYS
    assert archive.verify_archives().ok  # the chain stays whole after a purge


def test_purge_command_dry_run(capsys):
    call_command("devicelogs_purge", "--dry-run")
    assert "would remove 0 lines" in capsys.readouterr().out


def test_a_retention_below_three_months_is_a_system_check_error(settings):
    settings.DEVICELOG_RETENTION_DAYS = 89
    (error,) = retention_not_below_floor(None)
    assert error.id == "devicelogs.E001" and "at least 90 days" in error.msg
    settings.DEVICELOG_RETENTION_DAYS = 90
    assert retention_not_below_floor(None) == []


def test_index_task_and_archive_task_run(collector):
    from ggzy.devicelogs import tasks

    _receive_today(collector, count=1)
    assert tasks.index_device_logs.call() == 2
    with time_machine.travel(_tomorrow()):
        assert tasks.archive_device_logs.call() == 2
    assert tasks.purge_device_logs.call() == 0
    services.index_and_alert()
