"""Import an existing device inventory (CSV or xlsx, Chinese headers):
``manage.py network_import FILE --as USERNAME [--update-existing] [--dry-run]``."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ggzy.accounts.models import User
from ggzy.network import importing


class Command(BaseCommand):
    help = (
        "Import devices into the network register from a CSV (UTF-8, BOM allowed, or GBK) or "
        ".xlsx file; all or nothing. Audited as the given 网络管理员."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", required=True, help="the 网络管理员 importing")
        parser.add_argument(
            "--update-existing", action="store_true", help="update devices already registered (by name)"
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    def handle(self, *args, file, username, update_existing, dry_run, **options):
        actor = User.objects.filter(username__iexact=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {username!r}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            with path.open("rb") as upload:
                result = importing.import_inventory(
                    upload=upload, actor=actor, update_existing=update_existing, dry_run=dry_run
                )
        except PermissionDenied as exc:
            raise CommandError(f"{username} may not import devices (only the 网络管理员 may)") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(importing.refusal_in_english(exc)) + "; nothing imported") from exc
        for device in result.created:
            self.stdout.write(f"create {device.name}")
        for change in result.changed:
            fields = ", ".join(f"{column}: {old!r} -> {new!r}" for column, old, new in change.changes)
            self.stdout.write(f"update {change.device.name}: {fields}")
        for name in result.new_segments:
            self.stdout.write(f"create segment {name}")
        counts = result.counts()
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{counts['created']} device(s) {verb} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['segments_created']} segment(s) created"
            + (" (dry run, nothing written)" if dry_run else "")
        )
