"""The restore drill (monthly) and repository upkeep: a passing drill is the
obligation's evidence; a broken repository fails the drill and raises an alert."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.backup.checks import last_good_backup_recent, restore_drill_recent
from ggzy.backup.models import RestoreDrill
from ggzy.compliance.models import Occurrence
from ggzy.compliance.services import obligations_load, occurrences_generate
from ggzy.incidents.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)


def corrupt_biggest_pack():
    packs = [p for p in (Path(settings.BACKUP_REPOSITORY) / "data").rglob("*") if p.is_file()]
    biggest = max(packs, key=lambda p: p.stat().st_size)
    biggest.chmod(0o600)
    data = bytearray(biggest.read_bytes())
    data[len(data) // 2] ^= 0xFF
    biggest.write_bytes(bytes(data))


def test_drill_passes_and_is_the_obligations_evidence(center, backup_env, empty_database, settings, capsys):
    admin = make_user(RoleKey.SYSTEM_ADMIN, username="sysadmin-drill")
    obligations_load()
    occurrences_generate(today=timezone.localdate())
    assert restore_drill_recent(today=timezone.localdate()).status == "no_data"
    call_command("backup", "--init")
    assert last_good_backup_recent(today=timezone.localdate()).status == "met"

    settings.BACKUP_DRILL_DATABASE_URL = empty_database()  # used on PostgreSQL only
    call_command("restore_drill", "--as", admin.username)
    assert "passed" in capsys.readouterr().out
    drill = RestoreDrill.objects.get()
    assert drill.status == "succeeded" and drill.files_checked > 0 and drill.rows_checked > 0
    assert not any(Path(settings.BACKUP_DRILL_DIR).glob("drill-*"))  # scratch removed
    occurrence = Occurrence.objects.filter(obligation__key="backup-restore-drill").order_by("due_on").first()
    assert occurrence.state == "done" and occurrence.answers["restored"] is True
    assert restore_drill_recent(today=timezone.localdate()).status == "met"


def test_a_broken_repository_fails_the_drill_and_raises_an_alert(db, backup_env, empty_database, settings):
    settings.BACKUP_DRILL_DATABASE_URL = empty_database()  # used on PostgreSQL only
    settings.BACKUP_CHECK_SUBSET = "100%"  # read every pack: the corrupted one among them
    call_command("backup", "--init")
    corrupt_biggest_pack()
    with pytest.raises(CommandError, match=r"Restore drill #\d+ FAILED"):
        call_command("restore_drill")
    drill = RestoreDrill.objects.get()
    assert drill.status == "failed" and "restic failed" in drill.error
    alert = Alert.objects.get(source="backup", key="drill")
    assert alert.status == "open"
    assert restore_drill_recent(today=timezone.localdate()).status == "failing"
    with pytest.raises(CommandError, match="restic check failed"):
        call_command("backup_maintenance")
    assert Alert.objects.get(source="backup", key="repository").status == "open"


def test_no_recent_backup_fails_the_drill(db, backup_env, time_machine):
    call_command("backup", "--init")
    time_machine.move_to(timezone.now() + dt.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS + 1))
    with pytest.raises(CommandError, match="no good backup within"):
        call_command("restore_drill")
    assert last_good_backup_recent(today=timezone.localdate()).status == "failing"


def test_retention_keeps_the_configured_snapshots(db, backup_env, settings):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY, settings.BACKUP_KEEP_MONTHLY = 1, 0, 0
    call_command("backup", "--init")
    call_command("backup")
    call_command("backup_maintenance")
    from ggzy.backup.restic import Repository

    assert len(Repository.configured().snapshots("--tag", "ggzy")) == 1
