from django.core.management.base import BaseCommand

from ggzy.screens.services import screens_tick


class Command(BaseCommand):
    help = (
        "Read the hall screens' heartbeats from SCREENS_BEAT_LOG, rewrite their files under "
        "SCREENS_ROOT and raise/resolve offline alerts (网络设备管理制度 第三、九条). Every minute."
    )

    def handle(self, *args, **options):
        result = screens_tick()
        files = result.files
        self.stdout.write(
            f"beats: {result.beats.beats} read, {result.beats.updated} screens seen; "
            f"files: {files.screens} screens, {len(files.written)} written, "
            f"{len(files.repaired)} repaired, {len(files.removed)} removed; "
            f"offline: {len(result.offline.offline)} "
            f"({len(result.offline.alerted)} new, {len(result.offline.recovered)} back)"
        )
        for name in files.repaired:
            self.stdout.write(f"repaired: {name}")
        for name in result.offline.offline:
            self.stdout.write(f"offline: {name}")
