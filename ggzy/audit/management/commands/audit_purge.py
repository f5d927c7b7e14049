"""Delete audit events past retention, after archiving them and signing a checkpoint."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ggzy.audit.retention import audit_purge, retention_cutoff


class Command(BaseCommand):
    help = (
        "按保留期（AUDIT_RETENTION_DAYS，不少于 90 天，网络安全管理办法 五(四)）清理过期审计事件："
        "先归档、签名检查点，再按时间从旧到新删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=None, help="归档目录，默认 AUDIT_ARCHIVE_DIR")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不归档也不删除")

    def handle(self, *args, out=None, dry_run=False, **options):
        result = audit_purge(out_dir=Path(out or settings.AUDIT_ARCHIVE_DIR), dry_run=dry_run)
        cutoff = retention_cutoff()
        if not result.count:
            self.stdout.write(f"nothing older than {cutoff:%Y-%m-%d %H:%M}")
        elif dry_run:
            self.stdout.write(f"would purge {result.count} events (seq {result.first_seq}–{result.last_seq})")
        else:
            self.stdout.write(
                f"purged {result.count} events (seq {result.first_seq}–{result.last_seq}),"
                f" archived to {result.path}"
            )
