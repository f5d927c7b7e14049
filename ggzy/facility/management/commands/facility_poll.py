from django.core.management.base import BaseCommand

from ggzy.facility.models import Sensor
from ggzy.facility.services import poll_sensors


class Command(BaseCommand):
    help = "Read every enabled room sensor and UPS over SNMP once (网络机房管理制度 一(三))."

    def handle(self, *args, **options):
        sensors = list(Sensor.objects.filter(enabled=True).select_related("room"))
        readings = poll_sensors(sensors=sensors)
        failed = [s for s in sensors if s.last_error]
        for sensor in failed:
            self.stderr.write(f"{sensor}: {sensor.last_error}")
        self.stdout.write(f"{len(readings)} reading(s) stored, {len(failed)} sensor(s) failed")
        if failed:
            raise SystemExit(1)
