"""Measure backup and restore (issue 19): a full backup of MEDIA_MB of media, an
incremental one after changing a few files, a restore with every verification, and
the peak memory of ggzy's process and of restic (its child).

Runs on a throw-away database, media and repository in a temporary directory (never
the real ones): ``python scripts/backup_bench.py --media-mb 1024``.
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE_MB = 8


def _need(ok: bool, why: str) -> None:
    if not ok:
        sys.exit(f"bench failed: {why}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--media-mb", type=int, default=1024)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="ggzy-backup-bench-"))
    os.environ["GGZY_ENV"] = "local"
    os.environ["GGZY_VAR_DIR"] = str(scratch / "var")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/var/db.sqlite3"
    os.environ["BACKUP_PASSWORD"] = "bench-password"  # noqa: S105 — a throw-away repository
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from ggzy.backup import services
    from ggzy.backup.restoring import restore

    try:
        call_command("migrate", verbosity=0)
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        for i in range(args.media_mb // FILE_MB):
            with open(media / f"file-{i:05d}.bin", "wb") as handle:
                for _ in range(FILE_MB):
                    handle.write(os.urandom(1 << 20))  # incompressible, never deduplicated
        services.initialize_repository()

        started = time.perf_counter()
        run = services.run_backup(tag="bench-full")
        full_s = time.perf_counter() - started
        _need(run.status == "succeeded", run.error)
        for i in range(3):
            (media / f"changed-{i}.bin").write_bytes(os.urandom(1 << 20))
        started = time.perf_counter()
        incremental = services.run_backup(tag="bench-incremental")
        incremental_s = time.perf_counter() - started
        _need(incremental.status == "succeeded", incremental.error)

        started = time.perf_counter()
        report = restore(incremental.snapshot_id, target=scratch / "restored")
        restore_s = time.perf_counter() - started
        _need(report.ok, "; ".join(report.problems))

        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"media: {args.media_mb} MB in {args.media_mb // FILE_MB} files of {FILE_MB} MB")
        print(
            f"full backup: {full_s:.1f} s ({run.bytes_added / 1e6:.0f} MB added), lock {run.site_lock_ms} ms"
        )
        added = incremental.bytes_added / 1e6
        print(f"incremental backup (3 new files): {incremental_s:.1f} s ({added:.1f} MB added)")
        checked = f"{report.files_checked} files, {report.rows_checked} rows"
        print(f"restore + verification: {restore_s:.1f} s ({checked})")
        print(f"peak memory: ggzy {own:.0f} MB, largest child (restic / checks) {children:.0f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
