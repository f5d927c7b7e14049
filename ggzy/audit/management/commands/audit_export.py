"""Archive one month of audit events (网络安全管理办法 五(四): regular backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ggzy.audit.retention import audit_export


class Command(BaseCommand):
    help = "导出一个月的审计事件为 gzip JSON Lines 归档及签名清单，可用 audit_verify --archive 单独校验。"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM（按中心所在时区）")
        parser.add_argument("--out", default=None, help="输出目录，默认 AUDIT_ARCHIVE_DIR")

    def handle(self, *args, month, out=None, **options):
        try:
            result = audit_export(month=month, out_dir=Path(out or settings.AUDIT_ARCHIVE_DIR))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.path is None:
            self.stdout.write(f"{month}: no events to export")
        else:
            self.stdout.write(
                f"{month}: exported {result.count} events"
                f" (seq {result.first_seq}–{result.last_seq}) to {result.path}"
            )
