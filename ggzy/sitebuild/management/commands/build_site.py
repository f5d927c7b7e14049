from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ggzy.sitebuild.services import site_build


class Command(BaseCommand):
    help = "Render the whole public site from the database into the publish root, with a signed manifest."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="build into DIR instead of PUBLISH_ROOT")
        parser.add_argument(
            "--workers", type=int, default=None, help="processes rendering in parallel (default: one per CPU)"
        )

    def handle(self, *args, out: Path | None, workers: int | None, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        result = site_build(root=out, workers=workers)
        self.stdout.write(
            f"Built {result.pages} pages ({result.html_files} HTML files, {result.assets} assets) "
            f"into {result.root} in {result.seconds:.2f} s with {result.workers} worker(s): "
            f"{result.pages_per_second:.0f} pages/s; "
            f"removed {result.removed} stale files; manifest {result.manifest}"
        )
