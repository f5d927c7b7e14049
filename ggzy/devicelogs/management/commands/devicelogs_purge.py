from django.core.management.base import BaseCommand

from ggzy.devicelogs import archive


class Command(BaseCommand):
    help = "Delete device logs (index rows and archives) older than DEVICELOG_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be removed")

    def handle(self, *args, dry_run=False, **options):
        result = archive.purge_expired(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(
            f"{verb} {result.lines} lines in {result.files} files and {result.archives} archives "
            f"before {result.cutoff.isoformat()}"
        )
