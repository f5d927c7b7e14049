"""SNMP polling against a real agent (snmpsim on loopback): readings, a breach
raises an alert in incidents, recovery resolves it (网络机房管理制度 一(三)1、2;
网络信息安全故障应急预案 第七条)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.choices import Status
from ggzy.facility import checks, selectors, services
from ggzy.facility.models import Reading, ReadingAggregate
from ggzy.incidents.choices import AlertStatus
from ggzy.incidents.models import Alert

from .factories import keeper, machine_room, sensors
from .snmpsim_agent import ENV_TEMPERATURE_OID, UPS_NORMAL

pytestmark = pytest.mark.django_db


def test_a_poll_reads_the_ups_and_the_environment_unit(center, agent):
    admin = keeper()
    room = machine_room(admin)
    ups, env = sensors(room, agent, admin)
    readings = services.poll_sensors()
    assert len(readings) == 2
    ups_reading = Reading.objects.get(sensor=ups)
    assert (ups_reading.on_battery, ups_reading.input_voltage, ups_reading.output_voltage) == (
        False,
        220,
        221,
    )
    assert (ups_reading.battery_minutes, ups_reading.battery_charge) == (45, 100)
    env_reading = Reading.objects.get(sensor=env)
    assert (env_reading.temperature, env_reading.humidity) == (Decimal("23.5"), Decimal("45.1"))
    assert not Alert.objects.exists()
    ups.refresh_from_db()
    assert ups.last_error == "" and ups.last_polled_at is not None


def test_a_temperature_breach_raises_one_alert_and_recovery_resolves_it(
    center, agent, django_capture_on_commit_callbacks
):
    admin = keeper()
    security = make_user(RoleKey.SECURITY_ADMIN, email="anquan@example.cn")
    room = machine_room(admin)
    _ups, _env = sensors(room, agent, admin)
    agent.set("env", {ENV_TEMPERATURE_OID: 312})  # 31.2 ℃ > 27 ℃ (GB 50174 B)
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_sensors()
    services.poll_sensors()  # grouped, not a second alert
    alert = Alert.objects.get(source="facility")
    assert alert.status == AlertStatus.OPEN
    assert alert.incident_type == "hardware"
    assert alert.count == 2
    assert "31.2" in alert.detail and "一号机房" in alert.title
    assert [m.to for m in mail.outbox] == [[security.email]], "a new alert is e-mailed"
    agent.set("env", {ENV_TEMPERATURE_OID: 240})
    services.poll_sensors()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RECOVERED


def test_a_ups_on_battery_raises_a_major_alert_until_mains_return(center, agent):
    admin = keeper()
    room = machine_room(admin)
    ups, _env = sensors(room, agent, admin)
    from ggzy.facility import snmp

    agent.set("ups", {snmp.UPS_OUTPUT_SOURCE: 5, snmp.UPS_INPUT_VOLTAGE: 0, snmp.UPS_MINUTES_REMAINING: 30})
    services.poll_sensors(sensors=[ups])
    alert = Alert.objects.get(source="facility", key=f"ups_on_battery:{ups.pk}")
    assert alert.severity == "major" and alert.status == AlertStatus.OPEN
    prefill = services.duty_log_prefill(room=room, day=timezone.localdate())
    assert prefill["power_normal"] is False and "UPS 电池供电" in prefill["power_interruptions"]
    agent.set("ups", dict(UPS_NORMAL))
    services.poll_sensors(sensors=[ups])
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RECOVERED


def test_an_unreachable_sensor_is_recorded_and_the_command_fails(center, agent, capsys):
    admin = keeper()
    room = machine_room(admin)
    services.sensor_create(
        room=room,
        name="坏的UPS",
        kind="ups",
        host="127.0.0.1",
        port=agent.port,
        community="nosuch",
        actor=admin,
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("facility_poll")
    assert exit_info.value.code == 1
    assert "坏的UPS" in capsys.readouterr().err
    assert not Reading.objects.exists()
    assert AuditEvent.objects.filter(action="facility.sensor.created").exists()


def test_the_sensor_check_has_no_data_then_met_then_failing(center, agent):
    today = timezone.localdate()
    assert checks.sensors_reporting(today=today).status == Status.NO_DATA
    admin = keeper()
    room = machine_room(admin)
    sensors(room, agent, admin)
    assert checks.sensors_reporting(today=today).status == Status.FAILING  # never read yet
    services.poll_sensors()
    assert checks.sensors_reporting(today=today).status == Status.MET
    services.sensor_create(
        room=room,
        name="坏的UPS",
        kind="ups",
        host="127.0.0.1",
        port=agent.port,
        community="nosuch",
        actor=admin,
    )
    services.poll_sensors()
    result = checks.sensors_reporting(today=today)
    assert result.status == Status.FAILING and "坏的UPS" in result.detail


def test_the_room_chart_draws_the_days_readings(center, agent):
    admin = keeper()
    room = machine_room(admin)
    sensors(room, agent, admin)
    services.poll_sensors()
    agent.set("env", {ENV_TEMPERATURE_OID: 255})
    services.poll_sensors(now=timezone.now() + dt.timedelta(minutes=1))
    chart = selectors.room_chart(room=room, days=1, now=timezone.now() + dt.timedelta(minutes=2))
    assert chart["count"] == 2 and len(chart["points"].split()) == 2


def test_old_readings_become_15_minute_averages_kept_a_year_then_dropped(center, agent):
    admin = keeper()
    room = machine_room(admin)
    _ups, env = sensors(room, agent, admin)
    old = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=31)
    services.poll_sensors(sensors=[env], now=old)
    agent.set("env", {ENV_TEMPERATURE_OID: 245})
    services.poll_sensors(sensors=[env], now=old + dt.timedelta(minutes=5))  # same bucket
    services.poll_sensors(sensors=[env], now=old + dt.timedelta(minutes=20))  # the next one
    services.poll_sensors(sensors=[env])  # recent: stays raw
    out = io.StringIO()
    call_command("facility_downsample", stdout=out)  # the daily task's command
    assert out.getvalue().strip() == "3 raw reading(s) folded, 0 expired aggregate(s) deleted"
    assert Reading.objects.count() == 1
    first, second = ReadingAggregate.objects.order_by("bucket_start")
    assert (first.samples, first.temperature_avg, first.temperature_max) == (
        2,
        Decimal("24.0"),
        Decimal("24.5"),
    )
    assert second.samples == 1 and second.humidity_avg == Decimal("45.1")
    assert services.readings_downsample() == (0, 0)  # idempotent
    # Kept FACILITY_READINGS_KEEP_DAYS (≥ 1 year), then dropped.
    assert services.readings_downsample(now=timezone.now() + dt.timedelta(days=360)) == (1, 0)
    assert services.readings_downsample(now=timezone.now() + dt.timedelta(days=372)) == (0, 2)
