"""python manage.py backup [--tag T] [--init]: one restic snapshot of everything
ggzy holds (应急预案 第十二条). Exit 1 with the reason when it fails."""

from django.core.management.base import BaseCommand, CommandError

from ggzy.backup import services
from ggzy.backup.restic import ResticError


class Command(BaseCommand):
    help = (
        "Back up the database, media, the published site with its signed manifest, the audit "
        "archives and the wrapped keys into the restic repository (BACKUP_REPOSITORY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tag", default="", help="an extra restic tag for this snapshot")
        parser.add_argument(
            "--init", action="store_true", help="create the repository first if it does not exist yet"
        )

    def handle(self, *args, tag: str, init: bool, **options):
        if tag and (len(tag) > 100 or not tag.replace("-", "").replace("_", "").replace(".", "").isalnum()):
            raise CommandError("--tag may only hold letters, digits, '-', '_' and '.' (at most 100)")
        try:
            if init and services.initialize_repository():
                self.stdout.write(f"Created the restic repository at {services.repository().location}.")
        except ResticError as exc:
            raise CommandError(str(exc)) from exc
        last_percent = [-10.0]

        def progress(message, _proc):
            if message.get("message_type") != "status":
                return
            percent = float(message.get("percent_done", 0)) * 100
            if percent - last_percent[0] >= 10 or percent >= 100:
                last_percent[0] = percent
                done, total = message.get("bytes_done", 0) / 1e6, message.get("total_bytes", 0) / 1e6
                self.stdout.write(f"  {percent:5.1f}%  {done:,.1f} MB of {total:,.1f} MB")

        try:
            run = services.run_backup(tag=tag, on_progress=progress)
        except services.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if run.status != "succeeded":
            raise CommandError(f"Backup failed: {run.error}")
        self.stdout.write(
            f"Snapshot {run.snapshot_id}: {run.files} files, {run.bytes_total / 1e6:,.1f} MB read, "
            f"{run.bytes_added / 1e6:,.1f} MB added to the repository, {run.duration_ms / 1000:.1f} s "
            f"(site lock held {run.site_lock_ms} ms)."
        )
