"""Measure backup and restore (issue 19), on throw-away data (never the real ones).

Two modes:

* the bench site (the issue's figures)::

      python scripts/backup_bench.py --items 100000 [--site DIR]

  The site comes from scripts/site_bench.py (its generator: ``--sections bulk,build
  --keep``; ``--site DIR`` reuses a scratch directory such a run kept). Then: a full
  backup, 100 publishes (through the approval chain, as site_bench's publish section), an
  incremental backup, a restore with every verification. While each backup runs,
  two probes measure what the site feels: how long taking the site writer's lock
  waits (what a publish would wait) and how long a database write takes.

* flat memory with a large media directory::

      python scripts/backup_bench.py --media-mb 10240 [--no-restore] [--site DIR]

  MEDIA_MB of incompressible media in 8 MB files on an empty database (or a copy of
  the bench site's, with --site); a full backup, an incremental one after 3 new
  files, a restore (unless --no-restore).

Each mode prints the figures and the peak memory of ggzy's process and of restic
(its VmHWM, read while it runs) and the machine's load average.
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE_MB = 8
TARGETS = {"full_s": 180.0, "incremental_s": 30.0, "restore_s": 300.0}


def _need(ok: bool, why: str) -> None:
    if not ok:
        sys.exit(f"bench failed: {why}")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


class Peak:
    """Restic's peak resident memory (VmHWM of each restic process, read on its progress lines)."""

    def __init__(self):
        self.kb = 0

    def __call__(self, message, process) -> None:
        try:
            with open(f"/proc/{process.pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        self.kb = max(self.kb, int(line.split()[1]))
        except OSError:
            pass


class Probes:
    """While a backup runs: the wait to take the site writer's lock (a publish waits
    the same) and the time of a small database write, every 20 ms."""

    def __init__(self, db_path: str | None):
        self.db_path = db_path
        self.lock_waits: list[float] = []
        self.write_times: list[float] = []
        self._stop = threading.Event()

    def _run(self) -> None:
        import sqlite3

        from ggzy.backup.files import flock, site_lock_path

        conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None) if self.db_path else None
        while not self._stop.is_set():
            started = time.perf_counter()
            with flock(site_lock_path()):
                pass
            self.lock_waits.append(time.perf_counter() - started)
            if conn is not None:
                started = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE wagtailcore_site SET site_name = site_name")
                conn.execute("COMMIT")
                self.write_times.append(time.perf_counter() - started)
            self._stop.wait(0.02)
        if conn is not None:
            conn.close()

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        lock = max(self.lock_waits, default=0) * 1000
        line = f"site lock wait max {lock:.0f} ms ({len(self.lock_waits)} probes)"
        if self.write_times:
            line += f", database write max {max(self.write_times) * 1000:.0f} ms"
        return line


def _backup(label: str, tag: str, probes_db: str | None):
    from ggzy.backup import services

    peak = Peak()
    started = time.perf_counter()
    with Probes(probes_db) as probes:
        run = services.run_backup(tag=tag, on_progress=peak)
    seconds = time.perf_counter() - started
    _need(run.status == "succeeded", run.error)
    hashed = getattr(run, "files_hashed", {})
    print(
        f"{label}: {seconds:.1f} s, {run.files:,} files, {run.bytes_total / 1e6:,.0f} MB read, "
        f"{run.bytes_added / 1e6:,.1f} MB added; manifest: {hashed.get('read', '?'):,} files hashed, "
        f"{hashed.get('cached', '?'):,} from the cache, {hashed.get('from_site_manifest', 0):,} from the "
        f"checked site manifest; site lock held {run.site_lock_ms} ms; "
        f"{probes.summary()}; restic peak {peak.kb / 1024:.0f} MB; load {_load()}",
        flush=True,
    )
    phases = getattr(run, "phases", {})
    print("    steps: " + ", ".join(f"{name} {value:.1f} s" for name, value in phases.items()), flush=True)
    return run, seconds, peak.kb


def _restore(snapshot_id: str, target: Path) -> float:
    from ggzy.backup.restoring import restore

    started = time.perf_counter()
    report = restore(snapshot_id, target=target, log=lambda line: print("   ", line, flush=True))
    seconds = time.perf_counter() - started
    _need(report.ok, "; ".join(report.problems[:10]))
    print(
        f"restore + verification: {seconds:.1f} s ({report.files_checked:,} files, "
        f"{report.rows_checked:,} rows in {report.tables_checked} tables); load {_load()}",
        flush=True,
    )
    return seconds


def _peaks(restic_kb: int) -> None:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: ggzy {own:.0f} MB, restic {restic_kb / 1024:.0f} MB, "
        f"largest child (restic, the check processes{', the site generator' if children else ''}) "
        f"{children:.0f} MB"
    )


def _verdict(name: str, seconds: float) -> str:
    return (
        f"{seconds:.1f} s (target < {TARGETS[name]:.0f} s: {'ok' if seconds < TARGETS[name] else 'MISSED'})"
    )


def _generate_site(items: int) -> Path:
    """scripts/site_bench.py's generator: bulk import and build, scratch kept."""
    print(f"generating the {items:,}-item bench site with scripts/site_bench.py ...", flush=True)
    command = [sys.executable, str(ROOT / "scripts" / "site_bench.py"), "--items", str(items)]
    command += ["--sections", "bulk,build", "--keep"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    found = re.search(r"scratch (\S+?),", done.stdout)
    _need(done.returncode == 0 and found is not None, f"site_bench failed: {done.stderr[-2000:]}")
    return Path(found.group(1))


def _publish(site_bench, count: int) -> dict:
    """``count`` notices published through the approval chain (site_bench's publish
    section: drafted, 科室负责人, 信息发布管理小组, 信息发布员; the files written on commit)."""
    return site_bench.section_publish(count, budget_s=float("inf"))


def _backup_environment(work: Path) -> None:
    os.environ["BACKUP_REPOSITORY"] = str(work / "repo")
    os.environ["BACKUP_STAGING_DIR"] = str(work / "staging")
    os.environ["BACKUP_CACHE_DIR"] = str(work / "cache")
    os.environ["BACKUP_PASSWORD"] = "bench-password"  # noqa: S105 — a throw-away repository
    os.environ["AUDIT_ARCHIVE_DIR"] = str(work / "audit-archive")


def site_mode(args, work: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import site_bench

    site = args.site.resolve() if args.site else _generate_site(args.items)
    try:
        site_bench.setup_environment(site)
        _backup_environment(work)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from ggzy.backup import services

        call_command("migrate", verbosity=0)  # a kept scratch of older code
        db_path = str(settings.DATABASES["default"]["NAME"])
        pages = sum(1 for _ in Path(settings.PUBLISH_ROOT).rglob("*.html"))
        print(f"bench site {site}: {pages:,} HTML files; load {_load()}", flush=True)
        services.initialize_repository()
        _, full_s, peak_full = _backup("full backup", "bench-full", db_path)
        started = time.perf_counter()
        published = _publish(site_bench, args.publishes)
        print(f"{published['publishes']} publishes in {time.perf_counter() - started:.0f} s", flush=True)
        from django.db import connections

        connections.close_all()
        incremental, incremental_s, peak_inc = _backup(
            f"incremental backup after {published['publishes']} publishes", "bench-incremental", db_path
        )
        restore_s = _restore(incremental.snapshot_id, work / "restored")
        print()
        print(f"full backup: {_verdict('full_s', full_s)}")
        count = published["publishes"]
        print(f"incremental backup after {count} publishes: {_verdict('incremental_s', incremental_s)}")
        print(f"restore + verification: {_verdict('restore_s', restore_s)}")
        _peaks(max(peak_full, peak_inc))
    finally:
        if not args.site and not args.keep:
            shutil.rmtree(site, ignore_errors=True)


def media_mode(args, work: Path) -> None:
    os.environ["GGZY_ENV"] = "local"
    os.environ["GGZY_VAR_DIR"] = str(work / "var")
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/var/db.sqlite3"
    if args.site:  # a database migrated already (a fresh migrate takes minutes on a loaded machine)
        (work / "var").mkdir()
        shutil.copy(args.site / "bench.sqlite3", work / "var" / "db.sqlite3")
        for name in ("secret_key", "audit_hmac_key", "site_manifest_key", "credentials_master_key"):
            if (args.site / name).exists():
                shutil.copy(args.site / name, work / "var" / name)
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["PUBLISH_ROOT"] = str(work / "site")
    os.environ["SITE_MANIFEST_PATH"] = str(work / "site-manifest.sqlite3")
    _backup_environment(work)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from ggzy.backup import services

    call_command("migrate", verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for i in range(args.media_mb // FILE_MB):
        with open(media / f"file-{i:05d}.bin", "wb") as handle:
            for _ in range(FILE_MB):
                handle.write(os.urandom(1 << 20))  # incompressible, never deduplicated
    print(
        f"media: {args.media_mb:,} MB in {args.media_mb // FILE_MB:,} files of {FILE_MB} MB, "
        f"written in {time.perf_counter() - started:.0f} s; load {_load()}",
        flush=True,
    )
    services.initialize_repository()
    _, _, peak_full = _backup("full backup", "bench-full", None)
    for i in range(3):
        (media / f"changed-{i}.bin").write_bytes(os.urandom(1 << 20))
    incremental, _, peak_inc = _backup("incremental backup (3 new 1 MB files)", "bench-incremental", None)
    if not args.no_restore:
        _restore(incremental.snapshot_id, work / "restored")
    _peaks(max(peak_full, peak_inc))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=0, help="the bench site's size (site mode)")
    parser.add_argument("--site", type=Path, help="a scratch directory kept by scripts/site_bench.py --keep")
    parser.add_argument("--publishes", type=int, default=100)
    parser.add_argument("--media-mb", type=int, default=0, help="media-only mode: MB of media")
    parser.add_argument("--no-restore", action="store_true", help="media mode: skip the restore")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directories")
    args = parser.parse_args()
    if not (args.items or args.site or args.media_mb):
        parser.error("give --items N (or --site DIR) for the bench site, or --media-mb N")
    work = Path(tempfile.mkdtemp(prefix="ggzy-backup-bench-"))
    print(f"backup bench: scratch {work}, {os.cpu_count()} CPUs, load {_load()}", flush=True)
    try:
        if args.media_mb:
            media_mode(args, work)
        else:
            site_mode(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
