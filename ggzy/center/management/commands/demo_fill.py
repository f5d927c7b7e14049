from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ggzy.center.demo import DEFAULT_SCALE, AlreadyFilled, DemoFailed, DemoRefused, demo_fill


class Command(BaseCommand):
    help = (
        "Fill a fresh state (after setup_center) with demo content: staff of every role, notices "
        "of every kind through the intake API, articles through the real approval chains, then "
        "build the site. Refused with GGZY_ENV=production and on a database with real content; "
        "`make demo` runs it on its own state (GGZY_VAR_DIR=var/demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=DEFAULT_SCALE,
            help=f"size: about 50 items per unit (default {DEFAULT_SCALE}: about 290 items)",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="the port the demo is served on (the site identity's address)",
        )

    def handle(self, *args, scale: int, port: int, **options):
        try:
            result = demo_fill(scale=scale, port=port, log=lambda line: self.stdout.write(line))
        except AlreadyFilled as exc:
            self.stdout.write(f"demo_fill: nothing to do: {exc}")
            return
        except DemoRefused as exc:
            raise CommandError(f"demo_fill refused: {exc}") from exc
        except (DemoFailed, ValidationError, PermissionDenied) as exc:
            raise CommandError(
                f"demo_fill failed: {exc}. The state is half filled: delete it (rm -rf {settings.VAR_DIR}) "
                "and run `make demo` again."
            ) from exc
        lines = [
            f"demo_fill: {result.live_items} items published in {result.seconds:.1f} s "
            f"({result.waiting} waiting at an approval step, {result.rejected} sent back)",
            f"  people: {result.users} demo staff (passwords, mode 0600: {result.password_file})",
            f"  intake API: {result.tokens} tokens, {result.api_calls} calls",
            "  notices: " + ", ".join(f"{kind} {n}" for kind, n in sorted(result.notices.items())),
            "  articles: " + ", ".join(f"{column} {n}" for column, n in sorted(result.articles.items())),
            f"  media: {result.images} images, {result.documents} documents; "
            f"{result.screens} hall screens; {result.site_files} files in {settings.PUBLISH_ROOT}",
            f"  {result.mails} notification e-mails of the chains kept in memory, not sent "
            "(the demo staff's addresses are example.invalid)",
        ]
        self.stdout.write("\n".join(lines))
