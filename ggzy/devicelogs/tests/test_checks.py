"""Live checks of 网络安全管理办法 五(一)(二)(四) and the review obligation (五(三))."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ggzy.compliance.registry import all_checks, all_obligations
from ggzy.devicelogs import archive, services
from ggzy.devicelogs.checks import logs_arriving, retention_met

from .factories import device

pytestmark = pytest.mark.django_db


def test_logs_arriving_fails_for_a_silent_key_device_and_is_met_when_all_send(collector, settings):
    today = timezone.localdate()
    assert logs_arriving(today=today).status == "no_data"
    device("核心交换机", "127.0.0.1")
    device("边界防火墙", "127.0.0.2")
    device("备用交换机", "192.0.2.9", key=False)  # not a key device: not required
    now = timezone.now().astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    collector.send_udp(f"<14>1 {now} sw app - - - alive")
    collector.wait_for_lines(1)
    services.index_and_alert()
    result = logs_arriving(today=today)
    assert result.status == "failing" and "边界防火墙" in result.detail and "核心交换机" not in result.detail
    assert "127.0.0.2" not in result.detail  # addresses are confidential (四(三))

    collector.send_udp(f"<14>1 {now} fw app - - - alive", source="127.0.0.2")
    collector.wait_for_lines(2)
    services.index_and_alert()
    assert logs_arriving(today=today).status == "met"
    later = timezone.now() + dt.timedelta(hours=settings.DEVICELOG_SILENCE_HOURS + 1)
    with time_machine.travel(later):
        assert logs_arriving(today=timezone.localdate()).status == "failing"


def test_retention_met_until_a_closed_day_is_left_unarchived(collector, settings):
    assert retention_met(today=timezone.localdate()).status == "no_data"
    device("核心交换机", "127.0.0.1")
    collector.send_udp("<14>1 2026-12-04T02:00:00Z sw app - - - x")
    collector.wait_for_lines(1)
    services.index_and_alert()
    assert retention_met(today=timezone.localdate()).status == "met"
    in_two_days = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(in_two_days):
        assert retention_met(today=timezone.localdate()).status == "overdue"
        archive.archive_closed_days()
        assert retention_met(today=timezone.localdate()).status == "met"
    settings.DEVICELOG_RETENTION_DAYS = 60
    assert retention_met(today=timezone.localdate()).status == "failing"
    # Lowering retention and purging would delete days still inside the 183 days: failing.
    with time_machine.travel(timezone.now() + dt.timedelta(days=100)):
        archive.purge_expired()
    settings.DEVICELOG_RETENTION_DAYS = 183
    with time_machine.travel(timezone.now() + dt.timedelta(days=100)):
        result = retention_met(today=timezone.localdate())
    assert result.status == "failing" and "已被清理" in result.detail


def test_checks_and_obligation_are_registered_for_their_clauses():
    checks = all_checks()
    assert set(checks["devicelogs.logs_arriving"].clause_keys) == {"wlaq.5.1", "wlaq.5.2"}
    assert checks["devicelogs.retention_met"].clause_keys == ("wlaq.5.4",)
    spec = all_obligations()["devicelogs-review"]
    assert spec.clauses == ("wlaq.5.3",) and spec.owner_role == "network_admin"
