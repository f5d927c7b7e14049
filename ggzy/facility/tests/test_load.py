"""Rooms and sensors from a TOML file; bad input refused in English, nothing written."""

import pytest
from django.core.management import CommandError, call_command

from ggzy.audit.models import AuditEvent
from ggzy.facility.models import Room, Sensor

pytestmark = pytest.mark.django_db

GOOD = """
[[room]]
name = "一号机房"
kind = "machine_room"
room_class = "A"
commissioned_on = 2019-06-01
temp_max = 26
[[room.sensor]]
name = "UPS-1"
kind = "ups"
host = "10.0.8.21"
[[room.sensor]]
name = "温湿度-1"
kind = "environment"
host = "10.0.8.22"
temperature_oid = "1.3.6.1.4.1.99999.1.1.0"
scale = 10

[[room]]
name = "监控室"
kind = "monitoring_room"
"""


def test_rooms_and_sensors_are_loaded_once(center, tmp_path, capsys):
    path = tmp_path / "rooms.toml"
    path.write_text(GOOD, encoding="utf-8")
    call_command("facility_load", file=str(path))
    room = Room.objects.get(name="一号机房")
    assert (room.temp_min, room.temp_max, room.humidity_min) == (18, 26, 20)
    assert Sensor.objects.filter(room=room).count() == 2
    assert AuditEvent.objects.filter(action="facility.sensor.created").count() == 2
    call_command("facility_load", file=str(path))
    assert "0 created" in capsys.readouterr().out
    assert Room.objects.count() == 2 and Sensor.objects.count() == 2


def test_bad_input_is_refused_in_english_and_nothing_written(center, tmp_path):
    path = tmp_path / "rooms.toml"
    path.write_text(GOOD.replace('kind = "ups"', 'kind = "toaster"'), encoding="utf-8")
    with pytest.raises(CommandError, match="kind must be one of"):
        call_command("facility_load", file=str(path))
    path.write_text(GOOD.replace('temperature_oid = "1.3.6.1.4.1.99999.1.1.0"\n', ""), encoding="utf-8")
    with pytest.raises(CommandError, match="needs temperature_oid or humidity_oid"):
        call_command("facility_load", file=str(path))
    assert not Room.objects.exists() and not Sensor.objects.exists()
