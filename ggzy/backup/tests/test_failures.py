"""Bad input and interruptions (issue 19 "Scale and safety"): each a clear message and a
recorded failure, never a silent success. Real restic throughout."""

import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ggzy.audit.models import AuditEvent
from ggzy.backup import services
from ggzy.backup.models import BackupRun
from ggzy.backup.restic import Repository

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_without_a_repository_says_how_to_create_one(backup_env):
    with pytest.raises(CommandError, match=r"no restic repository at .*backup --init"):
        call_command("backup")
    run = BackupRun.objects.get()
    assert run.status == "failed" and "no restic repository" in run.error
    assert AuditEvent.objects.filter(action="backup.snapshot.failed", outcome="failure").exists()


def test_restore_from_a_missing_repository(backup_env):
    with pytest.raises(CommandError, match="no restic repository at"):
        call_command("restore", "latest", "--target", str(backup_env / "out"))
    assert not (backup_env / "out").exists()


def test_wrong_password_fails_clearly_for_backup_and_restore(backup_env, settings):
    call_command("backup", "--init")
    settings.BACKUP_PASSWORD = "not the password"
    with pytest.raises(CommandError, match="wrong backup password"):
        call_command("backup")
    with pytest.raises(CommandError, match="wrong backup password"):
        call_command("restore", "latest", "--target", str(backup_env / "out"))
    assert [run.status for run in BackupRun.objects.order_by("pk")] == ["succeeded", "failed"]


def test_unknown_snapshot(backup_env):
    call_command("backup", "--init")
    with pytest.raises(CommandError, match=r"no such snapshot|no snapshot"):
        call_command("restore", "deadbeef", "--target", str(backup_env / "out"))


def test_a_backup_killed_midway_leaves_the_repository_usable(backup_env):
    """SIGKILL restic while it uploads: the run is recorded as failed, restic check
    passes, and the next backup succeeds."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    for i in range(40):
        (media / f"scan-{i:02d}.bin").write_bytes(os.urandom(4 * 1024 * 1024))
    services.initialize_repository()
    killed = []

    def kill_midway(message, process):
        if message.get("message_type") == "status" and not killed and message.get("percent_done", 0) < 0.5:
            process.send_signal(signal.SIGKILL)
            killed.append(message.get("percent_done", 0))

    run = services.run_backup(on_progress=kill_midway)
    assert killed, "restic finished before it could be killed (the fixture is too small)"
    assert run.status == "failed"
    assert "killed by SIGKILL" in run.error and not run.snapshot_id
    assert AuditEvent.objects.filter(action="backup.snapshot.failed", object_id=str(run.pk)).exists()

    repo = Repository.configured()
    repo.check()  # raises ResticError on an inconsistent repository
    assert repo.snapshots() == []
    again = services.run_backup()
    assert again.status == "succeeded", again.error
    assert len(repo.snapshots()) == 1


def test_a_corrupted_pack_file_fails_the_restore(backup_env):
    call_command("backup", "--init")
    packs = sorted((Path(settings.BACKUP_REPOSITORY) / "data").rglob("*"), key=lambda p: p.stat().st_size)
    biggest = [p for p in packs if p.is_file()][-1]
    biggest.chmod(0o600)
    data = bytearray(biggest.read_bytes())
    data[len(data) // 2] ^= 0xFF
    biggest.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="Restore failed"):
        call_command("restore", "latest", "--target", str(backup_env / "out"))


@pytest.fixture
def small_disk(backup_env):
    """A 16 MB file system (tmpfs, mounted as root; in CI the suite runs as root)."""
    where = backup_env / "small-disk"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        reason = f"cannot mount a 16 MB tmpfs here (root only): {mounted.stderr.strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_fails_clearly_and_leaves_nothing_half_written(backup_env, small_disk, settings):
    settings.BACKUP_REPOSITORY = str(small_disk / "repo")
    services.initialize_repository()
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "scan.bin").write_bytes(os.urandom(40 * 1024 * 1024))  # more than the disk holds
    with pytest.raises(CommandError, match=r"Backup failed: the disk is full \(no space left on device\)"):
        call_command("backup")
    run = BackupRun.objects.get()
    assert run.status == "failed" and "disk is full" in run.error and not run.snapshot_id
    assert AuditEvent.objects.filter(action="backup.snapshot.failed", object_id=str(run.pk)).exists()
    # Nothing half written: no partial pack, no snapshot, a repository that checks.
    assert not [p for p in (small_disk / "repo").rglob("*") if "-tmp-" in p.name]
    repo = Repository.configured()
    repo.check()
    assert repo.snapshots() == []
    assert not (Path(settings.BACKUP_STAGING_DIR) / "database").exists()
    # With room again the next backup works.
    (media / "scan.bin").write_bytes(b"small now")
    assert services.run_backup().status == "succeeded"
