from pathlib import Path

from django.core.management.base import BaseCommand

from ggzy.sitebuild.services import site_build


class Command(BaseCommand):
    help = "Render the whole public site from the database into the publish root, with a signed manifest."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="build into DIR instead of PUBLISH_ROOT")

    def handle(self, *args, out: Path | None, **options):
        result = site_build(root=out)
        self.stdout.write(
            f"Built {result.pages} pages ({result.html_files} HTML files, {result.assets} assets) "
            f"into {result.root} in {result.seconds:.2f} s: {result.pages_per_second:.0f} pages/s; "
            f"removed {result.removed} stale files; manifest {result.manifest}"
        )
