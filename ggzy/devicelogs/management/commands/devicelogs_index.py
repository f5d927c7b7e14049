from django.core.management.base import BaseCommand

from ggzy.devicelogs import services


class Command(BaseCommand):
    help = "Index the device log files the collector wrote since the last run (网络安全管理办法 五(一))."

    def handle(self, *args, **options):
        result = services.index_and_alert()
        self.stdout.write(
            f"indexed {result.lines} lines from {result.files} files ({result.malformed} malformed)"
        )
