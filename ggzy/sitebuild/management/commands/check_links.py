from django.core.management.base import BaseCommand, CommandError

from ggzy.sitebuild.links import link_check_run
from ggzy.sitebuild.manifest import ManifestError


class Command(BaseCommand):
    help = "Check every internal link of the published site; exit 1 when any is broken."

    def handle(self, *args, **options):
        try:
            record = link_check_run()
        except ManifestError as exc:
            raise CommandError(f"cannot read the site manifest: {exc}") from exc
        self.stdout.write(
            f"{record.pages_checked} page(s), {record.links_checked} internal link(s), "
            f"{record.broken_count} broken ({record.home_broken_count} on the home page) "
            f"in {record.duration_ms} ms"
        )
        for page, target in record.broken[:20]:
            self.stdout.write(f"  {page}: {target}")
        if record.broken_count:
            raise CommandError(f"{record.broken_count} broken internal link(s)")
