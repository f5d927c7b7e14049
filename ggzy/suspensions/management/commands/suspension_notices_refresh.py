from django.core.management.base import BaseCommand

from ggzy.suspensions.services import suspension_notices_refresh


class Command(BaseCommand):
    help = (
        "Re-render the static home page if the suspension notices it should show changed "
        "since the last render (the periodic task refresh_suspension_notices)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")

    def handle(self, *args, dry_run=False, **options):
        result = suspension_notices_refresh(dry_run=dry_run)
        visible = ", ".join(map(str, result.visible)) or "none"
        self.stdout.write(f"visible notices: {visible}")
        if result.recomputed:
            self.stdout.write(f"display times recomputed: {result.recomputed}")
        if not result.changed:
            self.stdout.write("unchanged since the last render: nothing to do")
        elif dry_run:
            self.stdout.write("changed: the home page would be re-rendered (dry run)")
        elif result.rendered:
            self.stdout.write("changed: home page re-rendered")
        else:
            self.stdout.write(f"changed, but the home page was not re-rendered: {result.skipped}")
