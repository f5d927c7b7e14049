import json

from django.core.management.base import BaseCommand, CommandError

from ggzy.compliance.choices import ALERTING, Regulation
from ggzy.compliance.selectors import clause_statuses


class Command(BaseCommand):
    help = "Every clause with its home and status today; exit 1 when any clause is failing or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--regulation", choices=Regulation.values, help="only this regulation's clauses")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, regulation=None, format="table", **options):
        rows = clause_statuses(regulation=regulation)
        if not rows:
            raise CommandError("no clauses loaded: run `manage.py setup_center` first")
        if format == "json":
            self.stdout.write(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=1))
        else:
            for row in rows:
                self.stdout.write(
                    f"{row.key:<14} {row.status:<10} {row.home:<10} {row.citation}  {row.detail}"
                )
        alerting = [row.key for row in rows if row.status in ALERTING]
        if alerting:
            self.stderr.write(f"{len(alerting)} clause(s) failing or overdue: {', '.join(alerting[:20])}")
            raise SystemExit(1)
