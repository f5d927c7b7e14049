import json

from django.core.management.base import BaseCommand

from ggzy.publishing.services import overdue_reminders_send


class Command(BaseCommand):
    help = "E-mail reviewers of overdue approval steps (once a day per step)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent; send nothing")

    def handle(self, *args, dry_run: bool, **options):
        sent = overdue_reminders_send(dry_run=dry_run)
        for item in sent:
            self.stdout.write(json.dumps(item, ensure_ascii=False))
        self.stdout.write(f"{len(sent)} overdue step(s){' (dry run)' if dry_run else ''}")
