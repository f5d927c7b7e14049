import json

from django.core.management.base import BaseCommand

from ggzy.compliance.services import occurrences_generate, overdue_reminders_send


class Command(BaseCommand):
    help = "Generate occurrences ahead, mark overdue ones and e-mail their owners (once a day each)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent; change nothing")

    def handle(self, *args, dry_run: bool, **options):
        if not dry_run:
            occurrences_generate()
        sent = overdue_reminders_send(dry_run=dry_run)
        for item in sent:
            self.stdout.write(json.dumps(item, ensure_ascii=False))
        self.stdout.write(f"{len(sent)} overdue occurrence(s){' (dry run)' if dry_run else ''}")
