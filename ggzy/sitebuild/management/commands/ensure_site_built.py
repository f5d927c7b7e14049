from django.core.management import call_command
from django.core.management.base import BaseCommand

from ggzy.sitebuild.manifest import ManifestMissing, manifest_path, open_manifest
from ggzy.sitebuild.services import publish_root


class Command(BaseCommand):
    help = (
        "Build the public site (build_site) if the publish root has never been built (no manifest), "
        "so that make run serves the first visit from files."
    )

    def handle(self, *args, **options):
        root = publish_root()
        try:
            open_manifest(root).close()
        except ManifestMissing:
            self.stdout.write(f"No manifest at {manifest_path(root)}: building the site into {root}")
            call_command("build_site", stdout=self.stdout)
            return
        except Exception as exc:
            self.stderr.write(f"Manifest of {root} not trusted ({exc}); verify_site --restore repairs it")
            return
        self.stdout.write(f"Site already built in {root}")
