from django.core.management.base import BaseCommand

from ggzy.facility.services import readings_downsample


class Command(BaseCommand):
    help = "Fold raw room readings older than 30 days into 15-minute averages; drop expired ones."

    def handle(self, *args, **options):
        folded, dropped = readings_downsample()
        self.stdout.write(f"{folded} raw reading(s) folded, {dropped} expired aggregate(s) deleted")
