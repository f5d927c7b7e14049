"""Back up device configurations now: ``manage.py network_pull [--device NAME]``."""

from django.core.management.base import BaseCommand, CommandError

from ggzy.network import services
from ggzy.network.choices import PullOutcome
from ggzy.network.models import Device


class Command(BaseCommand):
    help = "Pull the running and saved configurations of every device (or one) over SSH."

    def add_arguments(self, parser):
        parser.add_argument("--device", help="the register name of one device")

    def handle(self, *args, device=None, **options):
        if device is not None and not Device.objects.filter(name=device).exists():
            raise CommandError(f"no device named {device!r} in the register")
        attempts = services.pull_all(name=device)
        failed = 0
        for attempt in attempts:
            if attempt.outcome == PullOutcome.OK:
                self.stdout.write(f"{attempt.device.name}: ok, {attempt.new_versions} new version(s)")
            else:
                failed += 1
                self.stdout.write(f"{attempt.device.name}: {attempt.outcome}: {attempt.reason}")
        self.stdout.write(f"{len(attempts) - failed} of {len(attempts)} device(s) pulled")
        if failed:
            raise CommandError(f"{failed} device(s) failed")
