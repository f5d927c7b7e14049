from django.core.management.base import BaseCommand, CommandError

from ggzy.credentials.crypto import VaultError, keyring
from ggzy.credentials.services import master_key_rewrap


class Command(BaseCommand):
    help = (
        "Re-wrap the credential vault's data keys with the current master key (after a master key "
        "rotation: the new key in CREDENTIALS_MASTER_KEY, the old one in CREDENTIALS_RETIRED_MASTER_KEYS). "
        "Secrets are not decrypted; nothing secret is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="check every data key unwraps; write nothing"
        )

    def handle(self, *args, dry_run: bool, **options):
        try:
            counts = master_key_rewrap(dry_run=dry_run)
        except VaultError as exc:
            raise CommandError(f"nothing was re-wrapped: {exc}") from None
        self.stdout.write(
            f"{counts['versions']} secret version(s) and {counts['pending']} pending change(s) "
            f"{'would be ' if dry_run else ''}re-wrapped with master key {keyring().current_id}"
        )
