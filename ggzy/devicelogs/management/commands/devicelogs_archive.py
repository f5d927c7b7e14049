from django.core.management.base import BaseCommand

from ggzy.devicelogs import archive


class Command(BaseCommand):
    help = "Compress and hash-chain every closed day of device logs (网络安全管理办法 五(四))."

    def handle(self, *args, **options):
        result = archive.archive_closed_days()
        for item in result.archived:
            self.stdout.write(f"archived #{item.seq} {item.file_name} ({item.lines} lines)")
        for name in result.missing:
            self.stderr.write(f"missing collector file {name}: not archived")
        self.stdout.write(f"{len(result.archived)} archived")
