"""Rebuild the public search index from the database (ggzy.search)."""

from django.core.management.base import BaseCommand, CommandError

from ggzy.search.services import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the public search index (jieba-segmented) from every live, public article and notice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=None, help="segmenting processes (default: one per core)"
        )

    def handle(self, *args, workers=None, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        rebuild_search_index(stdout=self.stdout, workers=workers)
