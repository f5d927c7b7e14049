"""The round trip (issue 19): data in the apps → backup → restore into an empty
directory and a fresh SQLite file → everything equal, audit chain and site verify.
Real restic, real subprocesses; nothing mocked."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit import services as audit
from ggzy.audit.models import AuditEvent
from ggzy.audit.retention import audit_export
from ggzy.backup import restoring
from ggzy.backup.files import sha256_file, site_lock_path, walk
from ggzy.backup.models import BackupRun
from ggzy.backup.restoring import restore
from ggzy.backup.tests.conftest import query
from ggzy.sitebuild.manifest import lock_path

pytestmark = pytest.mark.django_db(transaction=True)


def tree(root: Path) -> dict[str, str]:
    return {relative: sha256_file(path) for relative, path in walk(root)}


def site_part(manifest: dict) -> dict[str, str]:
    """The site files a snapshot's manifest lists, by their path in the publish root."""
    site = {name: entry for name, entry in manifest["files"].items() if name.startswith("site/")}
    return {name[len("site/") :]: entry["sha256"] for name, entry in site.items()}


@pytest.fixture
def world(center, backup_env):
    """Something in every store: users and audit events, media files (one of 3 MB),
    the built site with its signed manifest, a monthly audit archive."""
    admin = make_user(RoleKey.SYSTEM_ADMIN, username="sysadmin1")
    audit.record(action="backup.repository.initialized", actor=admin, object_repr="fixture")
    media = Path(settings.MEDIA_ROOT)
    (media / "uploads" / "2026").mkdir(parents=True)
    (media / "uploads" / "2026" / "招标文件.pdf").write_bytes(b"%PDF-1.4 fixture " * 1000)
    (media / "big.bin").write_bytes(bytes(range(256)) * 12_000)
    call_command("build_site", verbosity=0)
    audit_export(month=timezone.now().strftime("%Y-%m"), out_dir=Path(settings.AUDIT_ARCHIVE_DIR))
    return admin


def test_site_lock_is_the_site_writers_lock(settings):
    assert site_lock_path() == lock_path(Path(settings.PUBLISH_ROOT))


def test_backup_then_restore_into_empty_directory_and_database(world, backup_env, empty_database, capsys):
    call_command("backup", "--init", "--tag", "roundtrip")
    out = capsys.readouterr().out
    run = BackupRun.objects.get()
    assert run.status == "succeeded", run.error
    assert run.snapshot_id and run.snapshot_id in out
    assert run.bytes_total > 3_000_000 and run.manifest_sha256
    assert AuditEvent.objects.filter(action="backup.snapshot.created", object_id=str(run.pk)).exists()
    stage = Path(settings.BACKUP_STAGING_DIR)
    assert not (stage / "database").exists() and not (stage / "keys").exists()  # the plain copy is gone

    target = backup_env / "restored"
    url = empty_database()
    call_command("restore", run.snapshot_id, "--target", str(target), "--database-url", url)
    out = capsys.readouterr().out
    assert "verified" in out and "Audit chain verifies" in out and "Published site verifies" in out

    assert tree(target / "media") == tree(Path(settings.MEDIA_ROOT))
    assert tree(target / "site") == tree(Path(settings.PUBLISH_ROOT))
    assert tree(target / "audit-archive") == tree(Path(settings.AUDIT_ARCHIVE_DIR))
    usernames = {row[0] for row in query(url, "SELECT username FROM accounts_user")}
    # The snapshot holds the events up to the backup (the run's own event came after).
    ((events,),) = query(url, "SELECT COUNT(*) FROM audit_auditevent")
    assert "sysadmin1" in usernames
    assert events == AuditEvent.objects.count() - 1
    # The keys come back unwrapped, only readable by their owner.
    key_file = target / "var" / "audit_hmac_key"
    assert key_file.read_text() == settings.AUDIT_HMAC_KEY
    assert key_file.stat().st_mode & 0o777 == 0o600
    # In the snapshot itself they are wrapped: the archive alone never shows them.
    assert settings.AUDIT_HMAC_KEY.encode() not in (target / "keys" / "keys.enc").read_bytes()


def test_restore_refuses_a_non_empty_target(world, backup_env):
    call_command("backup", "--init")
    target = backup_env / "busy"
    target.mkdir()
    (target / "something").write_text("x")
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("restore", "latest", "--target", str(target))


def test_a_changed_file_in_the_restore_is_a_mismatch(world, backup_env, empty_database, monkeypatch):
    """Change a restored file between restore and verify: the SHA-256 check names it."""
    call_command("backup", "--init")
    original = restoring._verify_files

    def tamper_then_verify(manifest, target, report):
        (target / "media" / "big.bin").write_bytes(b"changed")
        original(manifest, target, report)

    monkeypatch.setattr(restoring, "_verify_files", tamper_then_verify)
    report = restore("latest", target=backup_env / "restored", database_url=empty_database())
    assert not report.ok
    assert any("media/big.bin" in problem for problem in report.problems)


def test_device_log_archives_are_backed_up_restored_and_verified(
    backup_env, empty_database, settings, capsys
):
    """网络安全管理办法 五(四) 定期对日志文件进行备份: DEVICELOG_ARCHIVE_DIR (ggzy.devicelogs'
    closed, compressed days) is part of the snapshot and of its manifest when it exists."""
    import gzip
    import json

    archive = backup_env / "devicelog-archive-source"
    (archive / "2026" / "11").mkdir(parents=True)
    (archive / "2026" / "11" / "fw-01-2026-11-30.log.gz").write_bytes(
        gzip.compress(b"deny tcp 10.0.0.9\n" * 500)
    )
    (archive / "chain.json").write_text('{"seq": 1}', encoding="utf-8")
    settings.DEVICELOG_ARCHIVE_DIR = archive
    call_command("backup", "--init")
    target = backup_env / "restored"
    call_command("restore", "latest", "--target", str(target), "--database-url", empty_database())
    out = capsys.readouterr().out
    assert "verified" in out
    assert tree(target / "devicelog-archive") == tree(archive)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"]["devicelog-archive/2026/11/fw-01-2026-11-30.log.gz"]
    assert entry["sha256"] == sha256_file(archive / "2026" / "11" / "fw-01-2026-11-30.log.gz")
    assert manifest["parts"]["devicelog-archive"]["present"] is True


def test_a_changed_device_log_archive_is_a_mismatch(backup_env, empty_database, settings, monkeypatch):
    archive = backup_env / "devicelogs"
    archive.mkdir()
    (archive / "sw-02-2026-11-30.log.gz").write_bytes(b"\x1f\x8b" + bytes(200))
    settings.DEVICELOG_ARCHIVE_DIR = archive
    call_command("backup", "--init")
    original = restoring._verify_files

    def tamper_then_verify(manifest, target, report):
        (target / "devicelog-archive" / "sw-02-2026-11-30.log.gz").write_bytes(b"rewritten")
        original(manifest, target, report)

    monkeypatch.setattr(restoring, "_verify_files", tamper_then_verify)
    report = restore("latest", target=backup_env / "restored", database_url=empty_database())
    assert (
        "file differs from the manifest (SHA-256): devicelog-archive/sw-02-2026-11-30.log.gz"
        in report.problems
    )


def test_no_device_log_archive_directory_no_part(backup_env, settings):

    settings.DEVICELOG_ARCHIVE_DIR = backup_env / "not-there"
    call_command("backup", "--init")
    from ggzy.backup.restic import Repository

    repo = Repository.configured()
    snapshot = repo.snapshot("latest")
    manifest = restoring.read_manifest(repo, snapshot)
    assert "devicelog-archive" not in manifest["parts"]


def test_restore_refuses_a_snapshot_from_newer_code(backup_env, empty_database):
    """A database with migrations this code does not have is refused before anything
    is written (a newer ggzy made it; migrate cannot go back)."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.record_applied("backup", "9999_from_a_newer_release")
    try:
        call_command("backup", "--init")
    finally:
        recorder.record_unapplied("backup", "9999_from_a_newer_release")  # no flush empties django_migrations
    target = backup_env / "restored"
    with pytest.raises(
        CommandError, match=r"1 migration\(s\) this ggzy does not have \(backup\.9999_from_a_newer"
    ):
        call_command("restore", "latest", "--target", str(target), "--database-url", empty_database())
    assert not target.exists()


def test_an_incremental_backup_rereads_only_changed_files(world, backup_env):
    """The manifest's hashes come from a cache keyed by (size, mtime_ns, inode): the
    second run rereads the copies made each run and what changed, nothing else. The
    site's copies kept in the staging directory follow what the site writer published
    since (its manifest): a page replaced, a new one, a removed one; the site's hashes
    come from the signed site manifest the copies were checked against."""
    import hashlib
    import os

    from ggzy.backup import services
    from ggzy.backup.restic import Repository

    services.initialize_repository()
    first = services.run_backup()
    assert first.status == "succeeded", first.error
    assert first.files_hashed["cached"] == 0
    media = Path(settings.MEDIA_ROOT) / "big.bin"
    new_bytes = os.urandom(media.stat().st_size)
    media.write_bytes(new_bytes)
    site = Path(settings.PUBLISH_ROOT)
    pages = sorted(relative for relative, _ in walk(site) if relative.endswith(".html"))
    site_files = len(tree(site))
    _publish(site, pages)
    second = services.run_backup()
    assert second.status == "succeeded", second.error
    # database/db.sqlite3, keys/keys.enc, site-manifest.sqlite3 (copies made each run),
    # media/big.bin; the two pages copied (new, replaced) are read by the check against
    # the site manifest, not the hash cache
    assert second.files_hashed["read"] == 4
    assert second.files_hashed["from_site_manifest"] == site_files == len(tree(site))
    assert first.files_hashed["from_site_manifest"] == site_files
    # site files are checked against the site manifest (hashed once by the first run's
    # walk, in a cache of their own), so the manifest's cache holds only the other parts
    assert second.files_hashed["cached"] == first.files_hashed["read"] - 4
    repo = Repository.configured()
    snapshot = repo.snapshot(second.snapshot_id)
    manifest = restoring.read_manifest(repo, snapshot)
    assert manifest["files"]["media/big.bin"]["sha256"] == hashlib.sha256(new_bytes).hexdigest()
    in_snapshot = site_part(manifest)
    assert in_snapshot == tree(site)


def _publish(site: Path, pages: list[str]) -> None:
    """What publishing does to the publish root, through the site writer (files and
    signed manifest together, under its lock): one page added, one removed, one replaced."""
    from ggzy.sitebuild.updates import apply_update

    def change(manifest, writer):
        writer.put("new-page.html", b"<p>new</p>", "special:90")
        writer.remove(pages[0])
        writer.put(pages[1], b"<p>replaced</p>", writer.files[pages[1]]["source"])

    apply_update(site, change)


def test_staged_links_lost_or_a_site_rebuilt_are_walked_again(world, backup_env):
    """The unlocked pass copies only what the manifest says changed since the copy
    the staged links match; when those links are gone (a wiped staging directory) the
    next run walks the whole publish root again, and the snapshot still equals it."""
    import shutil

    from ggzy.backup import services
    from ggzy.backup.restic import Repository

    services.initialize_repository()
    assert services.run_backup().status == "succeeded"
    site = Path(settings.PUBLISH_ROOT)
    pages = sorted(relative for relative, _ in walk(site) if relative.endswith(".html"))
    shutil.rmtree(Path(settings.BACKUP_STAGING_DIR) / "site")
    _publish(site, pages)
    again = services.run_backup()
    assert again.status == "succeeded", again.error
    repo = Repository.configured()
    manifest = restoring.read_manifest(repo, repo.snapshot(again.snapshot_id))
    in_snapshot = site_part(manifest)
    assert in_snapshot == tree(site)
    assert "new-page.html" in in_snapshot and pages[0] not in in_snapshot


def test_bytes_changed_in_place_in_the_publish_root_never_reach_a_snapshot(world, backup_env):
    """The staged site files are copies, not hard links: a page overwritten in place
    (the same inode: tampering, not the site writer, which renames) after a backup is
    not in the next snapshot — it holds what the site writer published, as its signed
    manifest says."""
    import hashlib

    from ggzy.backup import services
    from ggzy.backup.restic import Repository

    services.initialize_repository()
    assert services.run_backup().status == "succeeded"
    site = Path(settings.PUBLISH_ROOT)
    page = sorted(relative for relative, _ in walk(site) if relative.endswith(".html"))[0]
    published = (site / page).read_bytes()
    with open(site / page, "r+b") as handle:  # in place: the inode stays
        handle.write(b"<p>tampered</p>")
    again = services.run_backup()
    assert again.status == "succeeded", again.error
    repo = Repository.configured()
    manifest = restoring.read_manifest(repo, repo.snapshot(again.snapshot_id))
    assert manifest["files"][f"site/{page}"]["sha256"] == hashlib.sha256(published).hexdigest()


def test_a_tampered_file_walked_into_the_staging_directory_is_left_out(world, backup_env, caplog):
    """A run that walks the whole publish root (the first, or after the staged copies
    were lost) checks every copy against the signed site manifest: a page whose bytes
    were changed in the root outside the site writer (not yet put back by the tamper
    check) is left out of the snapshot and reported, and the next run walks again."""
    from ggzy.backup import services
    from ggzy.backup.restic import Repository

    services.initialize_repository()
    site = Path(settings.PUBLISH_ROOT)
    published = tree(site)
    page = sorted(relative for relative in published if relative.endswith(".html"))[0]
    original = (site / page).read_bytes()
    with open(site / page, "r+b") as handle:
        handle.write(b"<p>tampered</p>")
    run = services.run_backup()
    assert run.status == "succeeded", run.error
    repo = Repository.configured()
    manifest = restoring.read_manifest(repo, repo.snapshot(run.snapshot_id))
    assert manifest["site_left_out"] == [page]
    in_snapshot = site_part(manifest)
    assert in_snapshot == {relative: digest for relative, digest in published.items() if relative != page}
    assert not (Path(settings.BACKUP_STAGING_DIR) / "site" / page).exists()
    assert "left out of the snapshot" in caplog.text and page in caplog.text

    (site / page).write_bytes(original)  # the tamper check's repair: the published bytes back
    again = services.run_backup()  # walks the whole root again (nothing marked as checked)
    assert again.status == "succeeded", again.error
    manifest = restoring.read_manifest(repo, repo.snapshot(again.snapshot_id))
    assert manifest["site_left_out"] == []
    assert site_part(manifest) == published

    # an incremental run reads again what it copies: a page published, then changed in place
    pages = sorted(relative for relative in published if relative.endswith(".html"))
    _publish(site, pages)
    with open(site / pages[1], "r+b") as handle:
        handle.write(b"<p>tampered again</p>")
    third = services.run_backup()
    assert third.status == "succeeded", third.error
    manifest = restoring.read_manifest(repo, repo.snapshot(third.snapshot_id))
    assert manifest["site_left_out"] == [pages[1]]
    assert "new-page.html" in site_part(manifest) and pages[1] not in site_part(manifest)
