from django.core.management.base import BaseCommand, CommandError

from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.devicelogs import archive


class Command(BaseCommand):
    help = "Verify the device log archive chain and every archive file's digest; exit 1 when broken."

    def handle(self, *args, **options):
        result = archive.verify_archives()
        audit.record(
            action="devicelogs.archive.verified",
            outcome=Outcome.SUCCESS if result.ok else Outcome.FAILURE,
            object_type="devicelogs.archive",
            count=result.count,
            message=result.message,
        )
        if not result.ok:
            raise CommandError(f"BROKEN: {result.message}")
        self.stdout.write(result.message)
