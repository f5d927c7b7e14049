"""Writing backups (应急预案 第十二条; 网络安全管理办法 五(四) the log archives go
with them). Every run is a BackupRun row and an audit event; ``actor`` is the
person who started it (None for the scheduler and the command line)."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ggzy.audit import services as audit

from . import db, keys
from .choices import RunStatus
from .files import (
    HashCache,
    copy_sqlite,
    flock,
    manifest_changes,
    site_entries,
    site_lock_path,
    sync_paths,
    sync_tree,
    verify_staged,
    walk_entries,
)
from .models import BackupRun
from .restic import Repository, ResticError

logger = logging.getLogger("ggzy.backup")

MANIFEST_FORMAT = "ggzy-backup-1"
SNAPSHOT_TAG = "ggzy"
DEVICELOG_PART = "devicelog-archive"


class BackupError(Exception):
    """A backup could not be made; ``str()`` is a sentence for the operator."""


def repository(**kwargs) -> Repository:
    return Repository.configured(**kwargs)


def initialize_repository(*, actor=None) -> bool:
    """Create the restic repository once; False when it already exists."""
    repo = repository()
    if repo.exists():
        return False
    if "://" not in repo.location and ":" not in repo.location.split("/")[0]:
        Path(repo.location).parent.mkdir(parents=True, exist_ok=True)
    repo.init()
    audit.record(
        action="backup.repository.initialized",
        actor=actor,
        object_type="backup.repository",
        object_repr=repo.location,
    )
    return True


# --------------------------------------------------------------------------- staging


def _stage_dir() -> Path:
    return Path(settings.BACKUP_STAGING_DIR)


def _clear_stage(stage: Path) -> None:
    """Everything but the site's staged copies goes (the plain database copy never stays
    on disk). The copies (published, public files) stay for the next run, which then
    only copies what changed."""
    if not stage.exists():
        return
    for item in stage.iterdir():
        if item.name == "site" and item.is_dir() and not item.is_symlink():
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)


def _prepare_stage(stage: Path) -> None:
    _clear_stage(stage)
    stage.mkdir(parents=True, mode=0o700, exist_ok=True)


def _synced_manifest(stage: Path) -> Path:
    """The copy of the site manifest that the staged copies match, every one checked
    against it (the last run's, taken under the lock), kept beside the staging
    directory, not in it (not in a snapshot). (``-site-verified``: older names marked
    copies not checked against the manifest, or hard links; the first run under this
    one walks and checks every file.)"""
    return stage.with_name(stage.name + "-site-verified.sqlite3")


@dataclasses.dataclass
class StagedSite:
    """What ``_copy_site`` staged: how long the site writer's lock was held, the signed
    manifest's entries the staged files match (None: the site has no manifest, its
    files are hashed like any other part), and the listed files left out because the
    publish root's bytes differed from them."""

    lock_ms: int
    listed: dict[str, tuple[str, int]] | None = None
    diverged: list[str] = dataclasses.field(default_factory=list)


def _copy_site(stage: Path) -> StagedSite:
    """The publish root and its signed manifest as one consistent pair. The manifest is
    copied, the staged copies of the files are brought up to it without the lock, then
    under the site writer's lock the manifest is copied again and only the paths whose
    entries changed between the two copies — what was published meanwhile — are copied
    again: publishing waits for a copy of the manifest and a handful of files, whatever
    the size of the site. The unlocked pass copies only the paths whose entries changed
    since the manifest copy the staged files already match (the last run's): an
    incremental run costs what was published, not the size of the site. The site writer
    owns every file of the publish root through the manifest (sitebuild's tamper check
    removes the others) and the staged files are copies, not links, so bytes changed in
    place in the root never reach them. The first run, a run after the staged files were
    lost, and a site without a manifest walk every file.
    Every file copied is then checked against the manifest copy (all of them after a
    walk, through the hash cache; the handful copied by an incremental run, read again):
    a file whose bytes are not what the writer published — changed in the root by
    someone else, not yet put back by the tamper check — is left out of the snapshot and
    reported. So the staged files are exactly the manifest's, and the snapshot's
    manifest takes their hashes from it instead of walking ~200,000 files again."""
    root = Path(settings.PUBLISH_ROOT)
    manifest = Path(settings.SITE_MANIFEST_PATH)
    links = stage / "site"  # the staged copies
    before = stage / "site-manifest.before.sqlite3"
    before.unlink(missing_ok=True)
    synced = _synced_manifest(stage)
    if not (root.exists() and manifest.exists() and links.is_dir()):
        synced.unlink(missing_ok=True)  # the staged files no longer match a known copy
    copied: list[str] | None = None  # None: every file was walked
    if root.exists():
        if manifest.exists():
            copy_sqlite(manifest, before)
        if synced.exists() and before.exists():
            copied = manifest_changes(synced, before)
            sync_paths(root, links, copied)
        else:
            sync_tree(root, links)  # every file: the copies kept from the last run cost two stats
    else:
        shutil.rmtree(links, ignore_errors=True)
    started = time.perf_counter()
    with flock(site_lock_path()):
        if manifest.exists():
            copy_sqlite(manifest, stage / "site-manifest.sqlite3")
        if root.exists():
            if before.exists() and manifest.exists():
                meanwhile = manifest_changes(before, stage / "site-manifest.sqlite3")
                sync_paths(root, links, meanwhile)
                if copied is not None:
                    copied += meanwhile
            else:
                sync_tree(root, links)
                copied = None
    held = int((time.perf_counter() - started) * 1000)
    before.unlink(missing_ok=True)
    links.mkdir(exist_ok=True)
    synced.unlink(missing_ok=True)
    if not (manifest.exists() and root.exists()):
        return StagedSite(lock_ms=held)
    listed = site_entries(stage / "site-manifest.sqlite3")
    diverged = verify_staged(links, listed, copied, Path(settings.BACKUP_CACHE_DIR) / "site-hashes.sqlite3")
    if diverged:
        # 网站安全管理制度: only what the approval chain published is the site; the tamper
        # check (ggzy.sitebuild) alerts on and restores the root. A later run walks again.
        logger.warning(
            "backup: %d site file(s) in the publish root differ from the signed manifest "
            "and are left out of the snapshot (tampered?): %s",
            len(diverged),
            ", ".join(diverged[:20]),
        )
        for relative in diverged:
            listed.pop(relative)
    else:
        shutil.copyfile(stage / "site-manifest.sqlite3", synced)  # what the staged files now match
    return StagedSite(lock_ms=held, listed=listed, diverged=diverged)


def _sources() -> dict[str, Path]:
    """Directories restic reads in place (their restored names in the target). The
    device-log archives (网络安全管理办法 五(四) 定期对日志文件进行备份: closed days,
    compressed and hash-chained by ggzy.devicelogs) when that module is configured."""
    sources = {"media": Path(settings.MEDIA_ROOT), "audit-archive": Path(settings.AUDIT_ARCHIVE_DIR)}
    devicelogs = getattr(settings, "DEVICELOG_ARCHIVE_DIR", None)
    if devicelogs and Path(devicelogs).is_dir():
        sources[DEVICELOG_PART] = Path(devicelogs)
    return sources


def _manifest(stage: Path, database: dict[str, Any], tag: str, site: StagedSite) -> dict[str, Any]:
    """manifest.json: every part, with row counts per table and SHA-256 per file,
    under the path the file gets in a restore target. The staged site files are the
    signed site manifest's (checked by ``_copy_site``): their entries come from it."""
    files: dict[str, dict[str, Any]] = {}
    parts = {
        "stage": {"source": str(stage.resolve()), "present": True},
    }
    skip = frozenset()
    if site.listed is not None:
        skip = frozenset({"site"})
        for relative, (digest, size) in site.listed.items():
            files[f"site/{relative}"] = {"sha256": digest, "size": size}
    with HashCache(Path(settings.BACKUP_CACHE_DIR) / "manifest-hashes.sqlite3") as cache:
        for relative, item in walk_entries(stage, skip=skip):
            files[relative] = cache.entry(item)
        for name, source in _sources().items():
            present = source.is_dir()
            parts[name] = {"source": str(source.resolve()), "present": present}
            if present:
                for relative, item in walk_entries(source):
                    files[f"{name}/{relative}"] = cache.entry(item)
    logger.info("manifest: %d files hashed, %d from the hash cache", cache.misses, cache.hits)
    return {
        "format": MANIFEST_FORMAT,
        "created_at": timezone.now().isoformat(),
        "tag": tag,
        "database": database,
        "parts": parts,
        "keys": {"file": "keys/keys.enc", "names": sorted(keys.current_keys())},
        "files": files,
        "site_left_out": site.diverged,
        "hashed": {
            "read": cache.misses,
            "cached": cache.hits,
            "from_site_manifest": len(site.listed or ()),
        },
    }


# --------------------------------------------------------------------------- the run


def _finish(run: BackupRun, *, actor, status: str, error: str = "", **fields) -> BackupRun:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.duration_ms = int((run.finished_at - run.started_at).total_seconds() * 1000)
    for name, value in fields.items():
        setattr(run, name, value)
    with transaction.atomic():
        run.save()
        audit.record(
            action="backup.snapshot.created" if status == RunStatus.SUCCEEDED else "backup.snapshot.failed",
            actor=actor,
            obj=run,
            outcome="success" if status == RunStatus.SUCCEEDED else "failure",
            snapshot_id=run.snapshot_id,
            repository=run.repository,
            bytes_total=run.bytes_total,
            bytes_added=run.bytes_added,
            duration_ms=run.duration_ms,
            error=error[:500],
        )
    return run


def _mark_abandoned(*, actor) -> None:
    """Runs left 'running' by a process that died (the lock is free, so nobody runs them)."""
    for run in BackupRun.objects.filter(status=RunStatus.RUNNING):
        _finish(run, actor=actor, status=RunStatus.FAILED, error="the backup process died before it finished")


def run_backup(
    *, actor=None, tag: str = "", on_progress: Callable[[dict[str, Any], Any], None] | None = None
) -> BackupRun:
    """One restic snapshot of everything ggzy holds. Returns the run, succeeded or
    failed (the failure is recorded, audited and in ``run.error``)."""
    repo = repository()
    stage = _stage_dir()
    lock = stage.with_name(stage.name + ".lock")
    try:
        with flock(lock, blocking=False):
            _mark_abandoned(actor=actor)
            run = BackupRun.objects.create(repository=repo.location, tag=tag, started_by=actor)
            try:
                return _backup(run, repo, stage, actor=actor, tag=tag, on_progress=on_progress)
            finally:
                _clear_stage(stage)  # the plain database copy never stays on disk
    except BlockingIOError:
        raise BackupError("another backup is running (the staging lock is held); try again later") from None


def _backup(run, repo, stage, *, actor, tag, on_progress) -> BackupRun:
    try:
        if not repo.exists():
            raise ResticError(
                f"no restic repository at {repo.location}; "
                "create it once with `python manage.py backup --init`"
            )
        _prepare_stage(stage)
        phases = run.phases = {}  # seconds per step, for the caller (the bench), not stored
        clock = time.perf_counter()
        database = db.dump(stage / "database")
        phases["database"], clock = time.perf_counter() - clock, time.perf_counter()
        site = _copy_site(stage)
        phases["site"], clock = time.perf_counter() - clock, time.perf_counter()
        run.site_lock_ms = site.lock_ms
        (stage / "keys").mkdir()
        (stage / "keys" / "keys.enc").write_bytes(keys.wrap(keys.current_keys(), repo.password))
        manifest = _manifest(stage, database, tag, site)
        # compact: with an indent Python's JSON encoder falls back to its pure-Python
        # path (~1 s instead of ~0.4 s for 200,000 files); the restore reads it, not people
        body = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        (stage / "manifest.json").write_bytes(body)
        run.files_hashed = manifest["hashed"]  # for the caller (the bench): read vs from the cache
        phases["manifest"], clock = time.perf_counter() - clock, time.perf_counter()
        paths = [str(stage.resolve())] + [
            str(source.resolve()) for name, source in _sources().items() if manifest["parts"][name]["present"]
        ]
        args = ["backup", "--json", "--ignore-ctime", "--tag", SNAPSHOT_TAG]
        if tag:
            args += ["--tag", tag]
        result = repo.run([*args, *paths], on_json=on_progress)
        phases["restic"] = time.perf_counter() - clock
        summary = result.last.get("summary")
        if not summary or not summary.get("snapshot_id"):
            raise ResticError("restic finished without reporting a snapshot id")
    except (ResticError, db.DatabaseError, OSError) as exc:
        logger.error("backup failed: %s", exc)
        with contextlib.suppress(ResticError):
            repo.unlock()  # a killed restic leaves a stale lock; live locks stay
        return _finish(run, actor=actor, status=RunStatus.FAILED, error=str(exc))
    return _finish(
        run,
        actor=actor,
        status=RunStatus.SUCCEEDED,
        snapshot_id=summary["snapshot_id"],
        files=summary.get("total_files_processed", 0),
        bytes_total=summary.get("total_bytes_processed", 0),
        bytes_added=summary.get("data_added", 0),
        manifest_sha256=hashlib.sha256(body).hexdigest(),
    )
