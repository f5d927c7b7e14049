"""Restoring a snapshot onto an empty directory and an empty database, then
proving it: every file's SHA-256 and every table's row count against the
snapshot's manifest, the audit chain (``audit_verify``), each audit archive
(``audit_verify --archive``) and the publish root against its signed manifest
(``verify_site``), those two run as ggzy's own commands against the restored copy."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import get_commands

from . import db, keys
from .files import sha256_file, walk
from .restic import Repository, ResticError
from .services import DEVICELOG_PART

SCRATCH = ".restic-restore"


class RestoreError(Exception):
    """The restore could not be done or did not verify; ``str()`` says why."""


@dataclass
class RestoreReport:
    snapshot_id: str
    target: Path
    database_url: str = ""
    files_checked: int = 0
    tables_checked: int = 0
    rows_checked: int = 0
    problems: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _say(report: RestoreReport, log: Callable[[str], None] | None, line: str) -> None:
    report.steps.append(line)
    if log:
        log(line)


def check_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RestoreError(
            f"the target {target} is not an empty directory; restore only writes into an empty one"
        )


def restore(
    snapshot_id: str,
    *,
    target: Path,
    database_url: str = "",
    repo: Repository | None = None,
    log: Callable[[str], None] | None = None,
) -> RestoreReport:
    """Restore and verify. Raises RestoreError when it cannot restore; returns a
    report whose ``problems`` list every mismatch found while verifying."""
    repo = repo or Repository.configured()
    target = Path(target).resolve()
    check_target(target)
    engine, location = db.parse_url(database_url) if database_url else ("", "")
    if engine:
        db.ensure_empty(engine, location)
    try:
        snapshot = repo.snapshot(snapshot_id)
    except ResticError as exc:
        raise RestoreError(str(exc)) from exc
    _refuse_newer_migrations(read_manifest(repo, snapshot))  # before anything is written
    report = RestoreReport(snapshot_id=snapshot["short_id"], target=target)
    target.mkdir(parents=True, exist_ok=True)
    scratch = target / SCRATCH
    _say(report, log, f"Restoring snapshot {snapshot['short_id']} from {repo.location} into {target} ...")
    try:
        repo.run(["restore", snapshot["id"], "--target", str(scratch)])
    except ResticError as exc:
        raise RestoreError(str(exc)) from exc

    manifest = _relocate(snapshot, scratch, target)
    database = manifest["database"]
    if not engine:
        if database["engine"] != "sqlite":
            raise RestoreError(
                "this snapshot holds a PostgreSQL dump: "
                "give --database-url postgres://... of an empty database"
            )
        engine, location = "sqlite", str(target / "db.sqlite3")
    elif engine != database["engine"]:
        raise RestoreError(f"this snapshot holds a {database['engine']} database, not {engine}")
    report.database_url = f"sqlite:///{location}" if engine == "sqlite" else location

    try:
        wrapped = keys.unwrap((target / manifest["keys"]["file"]).read_bytes(), repo.password)
    except (OSError, keys.KeyUnwrapError) as exc:
        raise RestoreError(f"cannot open the wrapped keys: {exc}") from exc
    keys.write_restored(wrapped, target / "var")
    _say(report, log, f"Keys unwrapped into {target / 'var'} (mode 0600; keys.env for production).")

    _verify_files(manifest, target, report)
    _say(report, log, f"Files: {report.files_checked} checked against the manifest's SHA-256.")

    try:
        db.load(engine, location, target / database["file"])
    except (db.DatabaseError, sqlite3.Error) as exc:
        raise RestoreError(f"cannot load the database: {exc}") from exc
    _say(report, log, f"Database restored into {_redact(report.database_url)}.")
    _verify_rows(database["tables"], engine, location, report)
    _say(
        report,
        log,
        f"Rows: {report.rows_checked} in {report.tables_checked} tables checked against the manifest.",
    )

    env = _ggzy_env(target, report.database_url, wrapped, repo.password)
    _run_check(report, log, env, ["audit_verify"], "audit chain")
    for relative, _ in sorted(walk(target / "audit-archive")):
        if relative.endswith(".jsonl.gz"):
            _run_check(
                report,
                log,
                env,
                ["audit_verify", "--archive", str(target / "audit-archive" / relative)],
                f"audit archive {relative}",
            )
    if manifest["parts"].get(DEVICELOG_PART, {}).get("present"):
        # Each file's SHA-256 was checked above; the archives' own hash chain needs
        # ggzy.devicelogs (its devicelogs_verify), when this installation has it.
        if "devicelogs_verify" in get_commands():
            _run_check(report, log, env, ["devicelogs_verify"], "device-log archive chain")
        else:
            _say(
                report,
                log,
                "Device-log archives: every file checked by SHA-256; their hash chain is not "
                "verified (this ggzy has no devicelogs_verify command).",
            )
    if (target / "site-manifest.sqlite3").exists():
        _run_check(report, log, env, ["verify_site"], "published site")
    elif any(walk(target / "site")):
        report.problems.append("the published site has files but the snapshot holds no site manifest")
    return report


def read_manifest(repo: Repository, snapshot: dict[str, Any]) -> dict[str, Any]:
    """manifest.json straight from the repository (``restic dump``), before restoring."""
    for path in snapshot.get("paths", []):
        try:
            return json.loads(repo.read_file(snapshot["id"], f"{path.rstrip('/')}/manifest.json"))
        except ResticError:
            continue
        except ValueError as exc:
            raise RestoreError(f"the manifest of snapshot {snapshot['short_id']} is damaged: {exc}") from exc
    raise RestoreError(f"snapshot {snapshot['short_id']} is not a ggzy backup (no manifest.json)")


def _refuse_newer_migrations(manifest: dict[str, Any]) -> None:
    """A database whose schema is newer than this code would be loaded into tables this
    code does not understand (and ``migrate`` cannot go back): refuse, say which."""
    from django.db.migrations.loader import MigrationLoader

    applied = manifest.get("database", {}).get("migrations")
    if not applied:
        return  # a snapshot made before migrations were recorded in the manifest
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}" for app, names in applied.items() for name in names if (app, name) not in known
    )
    if unknown:
        listed = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise RestoreError(
            f"this snapshot's database has {len(unknown)} migration(s) this ggzy does not have ({listed}): "
            "it was made by a newer ggzy. Install that release (or a newer one) and restore again; "
            "nothing was written."
        )


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        userinfo, host = rest.rsplit("@", 1)
        return f"{scheme}://{userinfo.split(':')[0]}:***@{host}" if ":" in userinfo else url
    return url


def _relocate(snapshot: dict[str, Any], scratch: Path, target: Path) -> dict[str, Any]:
    """restic restores absolute paths under the scratch directory; move each part to
    its place in the target (renames, no copies) and return the manifest."""
    manifest_file = None
    for path in snapshot.get("paths", []):
        candidate = scratch / path.lstrip("/") / "manifest.json"
        if candidate.exists():
            manifest_file = candidate
            break
    if manifest_file is None:
        raise RestoreError(f"snapshot {snapshot['short_id']} is not a ggzy backup (no manifest.json)")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    stage = manifest_file.parent
    for item in stage.iterdir():
        os.replace(item, target / item.name)
    for name, part in manifest["parts"].items():
        if name == "stage":
            continue
        source = scratch / part["source"].lstrip("/")
        if part["present"] and source.exists():
            os.replace(source, target / name)
        else:
            (target / name).mkdir(exist_ok=True)
    shutil.rmtree(scratch)
    return manifest


def _verify_files(manifest: dict[str, Any], target: Path, report: RestoreReport) -> None:
    expected: dict[str, dict[str, Any]] = manifest["files"]
    seen = set()
    roots = ["site", "database", "keys", *[n for n in manifest["parts"] if n != "stage"]]
    for root in dict.fromkeys(roots):
        for relative, path in walk(target / root):
            name = f"{root}/{relative}"
            seen.add(name)
            want = expected.get(name)
            report.files_checked += 1
            if want is None:
                report.problems.append(f"file not in the manifest: {name}")
            elif path.stat().st_size != want["size"] or sha256_file(path) != want["sha256"]:
                report.problems.append(f"file differs from the manifest (SHA-256): {name}")
    for name in ("site-manifest.sqlite3",):
        if name in expected:
            seen.add(name)
            path = target / name
            report.files_checked += 1
            if not path.exists() or sha256_file(path) != expected[name]["sha256"]:
                report.problems.append(f"file differs from the manifest (SHA-256): {name}")
    for name in sorted(set(expected) - seen):
        report.problems.append(f"file missing after restore: {name}")


def _verify_rows(tables: dict[str, int], engine: str, location: str, report: RestoreReport) -> None:
    if engine == "sqlite":
        conn = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
        try:
            actual = db.table_counts(conn.cursor(), "sqlite")
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(location) as conn:
            actual = db.table_counts(conn.cursor(), "postgresql")
    for name in sorted(set(tables) | set(actual)):
        if name not in actual:
            report.problems.append(f"table missing after restore: {name}")
        elif name not in tables:
            report.problems.append(f"table not in the manifest: {name}")
        elif actual[name] != tables[name]:
            report.problems.append(f"table {name}: {actual[name]} rows, the manifest says {tables[name]}")
        else:
            report.tables_checked += 1
            report.rows_checked += actual[name]


def _ggzy_env(target: Path, database_url: str, wrapped: dict[str, object], password: str) -> dict[str, str]:
    """ggzy pointed at the restored copy: its database, directories and keys."""
    env = dict(os.environ)
    env.update(keys.environment(wrapped))
    env.update(
        {
            "GGZY_ENV": settings.GGZY_ENV,
            "DATABASE_URL": database_url,
            "GGZY_VAR_DIR": str(target / "var"),
            "MEDIA_ROOT": str(target / "media"),
            "PUBLISH_ROOT": str(target / "site"),
            "SITE_MANIFEST_PATH": str(target / "site-manifest.sqlite3"),
            "SITE_MAINTENANCE_DIR": str(target / "maintenance"),
            "AUDIT_ARCHIVE_DIR": str(target / "audit-archive"),
            "DEVICELOG_ARCHIVE_DIR": str(target / DEVICELOG_PART),
            "BACKUP_PASSWORD": password,
            "STATIC_ROOT": str(target / "static"),
        }
    )
    env.setdefault("PYTHONPATH", str(settings.BASE_DIR))
    return env


def _run_check(report, log, env, args: list[str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 — this interpreter running ggzy's manage.py
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        cwd=str(settings.BASE_DIR),
        capture_output=True,
        text=True,
    )
    output = (result.stdout + result.stderr).strip()
    if result.returncode == 0:
        _say(report, log, f"{what.capitalize()} verifies: {output.splitlines()[-1] if output else 'ok'}")
    else:
        last = " | ".join(output.splitlines()[-3:])
        report.problems.append(f"{what} does not verify ({' '.join(args)} exit {result.returncode}): {last}")
