"""python manage.py backup_maintenance: retention (restic forget --prune with
BACKUP_KEEP_DAILY/WEEKLY/MONTHLY) and restic check on BACKUP_CHECK_SUBSET of the data."""

from django.core.management.base import BaseCommand, CommandError

from ggzy.backup.drills import maintain_repository


class Command(BaseCommand):
    help = "Apply the backup retention policy and check the restic repository."

    def handle(self, *args, **options):
        problems = maintain_repository()
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write("Retention applied; restic check passed.")
