import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from ggzy.publishing.services import industry_quota_alert


class Command(BaseCommand):
    help = (
        "E-mail the review group and website administrators when a working day ended with "
        "fewer than 4 行业信息 items (default: yesterday; once per day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--dry-run", action="store_true", help="show what would be sent; send nothing")

    def handle(self, *args, day: str | None, dry_run: bool, **options):
        try:
            date = dt.date.fromisoformat(day) if day else None
        except ValueError as exc:
            raise CommandError(f"--day: not a date: {day!r}") from exc
        item = industry_quota_alert(day=date, dry_run=dry_run)
        if item is None:
            self.stdout.write("nothing to send (quota met, not a working day, or already sent)")
            return
        self.stdout.write(json.dumps(item, ensure_ascii=False) + (" (dry run)" if dry_run else ""))
