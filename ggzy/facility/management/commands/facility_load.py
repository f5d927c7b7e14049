"""Load rooms and their sensors from a TOML file (idempotent: existing rooms and
sensors, by name, are left as they are and reported).

    [[room]]
    name = "一号机房"
    kind = "machine_room"          # or monitoring_room
    room_class = "B"               # GB 50174-2017 A/B/C: the default thresholds
    commissioned_on = 2019-06-01
    # temp_max = 26                # optional overrides
    [[room.sensor]]
    name = "UPS-1"
    kind = "ups"                   # or environment
    host = "10.0.8.21"
    community = "public"
    [[room.sensor]]
    name = "温湿度-1"
    kind = "environment"
    host = "10.0.8.22"
    temperature_oid = "1.3.6.1.4.1.99999.1.1.0"
    humidity_oid = "1.3.6.1.4.1.99999.1.2.0"
    scale = 10
"""

import tomllib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ggzy.facility import services
from ggzy.facility.choices import RoomClass, RoomKind, SensorKind
from ggzy.facility.models import Room

ROOM_KEYS = {
    "name",
    "kind",
    "room_class",
    "commissioned_on",
    "temp_min",
    "temp_max",
    "humidity_min",
    "humidity_max",
}
SENSOR_KEYS = {
    "name",
    "kind",
    "host",
    "port",
    "community",
    "temperature_oid",
    "humidity_oid",
    "scale",
    "enabled",
}


class Command(BaseCommand):
    help = "Create the rooms and sensors listed in a TOML file (网络机房管理制度, 监控管理制度)."

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True)

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        rooms = data.get("room", [])
        self._validate(rooms)
        created = []
        try:
            with transaction.atomic():  # all or nothing
                for spec in rooms:
                    sensors = spec.pop("sensor", [])
                    room = Room.objects.filter(name=spec["name"]).first()
                    if room is None:
                        room = services.room_create(actor=None, **spec)
                        created.append(f"room {room.name}")
                    for sensor in sensors:
                        if room.sensors.filter(name=sensor["name"]).exists():
                            continue
                        services.sensor_create(room=room, actor=None, **sensor)
                        created.append(f"sensor {room.name}/{sensor['name']}")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{len(created)} created" + "".join(f"\n  {line}" for line in created))

    def _validate(self, rooms):
        problems = []
        for i, spec in enumerate(rooms, 1):
            where = f"room #{i} ({spec.get('name', '?')})"
            if not spec.get("name"):
                problems.append(f"{where}: name is required")
            if spec.get("kind") not in RoomKind.values:
                problems.append(f"{where}: kind must be one of {RoomKind.values}")
            if spec.get("room_class", "C") not in RoomClass.values:
                problems.append(f"{where}: room_class must be one of {RoomClass.values}")
            if unknown := set(spec) - ROOM_KEYS - {"sensor"}:
                problems.append(f"{where}: unknown keys {sorted(unknown)}")
            for j, sensor in enumerate(spec.get("sensor", []), 1):
                at = f"{where} sensor #{j}"
                if not sensor.get("name") or not sensor.get("host"):
                    problems.append(f"{at}: name and host are required")
                if sensor.get("kind") not in SensorKind.values:
                    problems.append(f"{at}: kind must be one of {SensorKind.values}")
                if sensor.get("kind") == SensorKind.ENVIRONMENT and not (
                    sensor.get("temperature_oid") or sensor.get("humidity_oid")
                ):
                    problems.append(f"{at}: an environment sensor needs temperature_oid or humidity_oid")
                if unknown := set(sensor) - SENSOR_KEYS:
                    problems.append(f"{at}: unknown keys {sorted(unknown)}")
        if problems:
            raise CommandError("\n".join(problems))
