"""python manage.py restore_drill [--as USERNAME]: restore the newest snapshot into a
scratch directory and database, verify it, record the result (exit 1 when it fails).
With --as a 系统管理员, the result completes the month's drill obligation."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ggzy.backup.drills import run_drill


class Command(BaseCommand):
    help = "Restore drill: restore the newest backup into scratch, verify everything, record it."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", default="", help="the 系统管理员 running the drill")

    def handle(self, *args, username: str, **options):
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {username!r}")
        drill = run_drill(actor=actor)
        if drill.status != "succeeded":
            details = "; ".join([drill.error, *drill.problems[:10]]).strip("; ")
            raise CommandError(f"Restore drill #{drill.pk} FAILED: {details}")
        self.stdout.write(
            f"Restore drill #{drill.pk} passed: snapshot {drill.snapshot_id}, "
            f"{drill.files_checked} files and {drill.rows_checked} rows verified "
            f"in {drill.duration_ms / 1000:.1f} s."
        )
