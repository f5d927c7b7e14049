"""python manage.py restore SNAPSHOT --target DIR [--database-url URL]: restore onto an
empty directory and an empty database, then verify everything against the snapshot's
manifest (docs/backup.md has the procedure for an empty machine)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ggzy.backup import db
from ggzy.backup.restoring import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup snapshot ('latest' or an id from `restic snapshots`) into an empty "
        "directory and an empty database, then verify files, row counts, the audit chain and the site."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("snapshot", help="snapshot id, or 'latest'")
        parser.add_argument("--target", required=True, help="an empty (or not yet existing) directory")
        parser.add_argument(
            "--database-url",
            default="",
            help="an empty database to restore into (sqlite:///PATH or postgres://...); "
            "default for SQLite backups: TARGET/db.sqlite3",
        )

    def handle(self, *args, snapshot: str, target: str, database_url: str, **options):
        try:
            report = restore(snapshot, target=Path(target), database_url=database_url, log=self.stdout.write)
        except (RestoreError, db.DatabaseError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"MISMATCH: {problem}")
            self.stderr.write(
                f"Restore of snapshot {report.snapshot_id} into {report.target} does NOT verify: "
                f"{len(report.problems)} problem(s) above."
            )
            sys.exit(1)
        self.stdout.write(
            f"Restore of snapshot {report.snapshot_id} into {report.target} verified: "
            f"{report.files_checked} files, {report.rows_checked} rows in {report.tables_checked} tables, "
            "audit chain and published site intact."
        )
