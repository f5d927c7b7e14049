"""Alert rules raised into ggzy.incidents (网络安全管理办法 五(三)), from lines received
through the real collector."""

import datetime as dt

import pytest

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.devicelogs import services
from ggzy.incidents.models import Alert
from ggzy.network.models import ChangeRecord

from .factories import device

pytestmark = pytest.mark.django_db


def _at(minutes: float) -> str:
    when = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    return when.isoformat().replace("+00:00", "Z")


def _failed(minutes: float) -> str:
    return f"<38>1 {_at(minutes)} core-sw sshd 1 - - Failed password for admin from 10.9.9.9 port 22 ssh2"


def test_repeated_failed_logins_within_the_window_raise_one_alert(collector, settings):
    settings.DEVICELOG_FAILED_LOGIN_THRESHOLD = 5
    settings.DEVICELOG_FAILED_LOGIN_WINDOW_MINUTES = 10
    core = device("核心交换机", "127.0.0.1")
    # Four within ten minutes, then a pause: no alert.
    collector.send_tcp([_failed(m) for m in (0, 1, 2, 3)])
    collector.wait_for_lines(4)
    services.index_and_alert()
    assert not Alert.objects.exists()
    # The fifth, still inside the window of the first: an alert naming the device.
    collector.send_udp(_failed(9))
    collector.wait_for_lines(5)
    services.index_and_alert()
    alert = Alert.objects.get(source="devicelogs")
    assert alert.key == f"failed-logins:{core.pk}" and core.name in alert.title
    assert alert.incident_type == "attack" and "5 次" in alert.detail


def test_failed_logins_spread_beyond_the_window_raise_nothing(collector, settings):
    settings.DEVICELOG_FAILED_LOGIN_THRESHOLD = 3
    settings.DEVICELOG_FAILED_LOGIN_WINDOW_MINUTES = 10
    device("核心交换机", "127.0.0.1")
    collector.send_tcp([_failed(m) for m in (0, 11, 22, 33)])
    collector.wait_for_lines(4)
    services.index_and_alert()
    assert not Alert.objects.exists()


def _change_message(minutes: float) -> str:
    return (
        f"<189>1 {_at(minutes)} core-sw SHELL 1 - - %%10SHELL/5/SHELL_CMD: Configuration changed by netadmin"
    )


def test_a_config_change_without_a_change_record_raises_an_alert(collector):
    core = device("核心交换机", "127.0.0.1")
    collector.send_tcp([_change_message(0)])
    collector.wait_for_lines(1)
    services.index_and_alert()
    alert = Alert.objects.get(source="devicelogs")
    assert alert.key == f"unrecorded-change:{core.pk}" and alert.incident_type == "network"


def test_a_config_change_covered_by_a_change_record_raises_nothing(collector):
    core = device("核心交换机", "127.0.0.1")
    ChangeRecord.objects.create(
        device=core,
        summary="调整 ACL",
        reason="新增业务网段",
        planned_at=dt.datetime(2026, 12, 4, 1, 30, tzinfo=dt.UTC),
        requested_by=make_user(RoleKey.NETWORK_ADMIN),
        state="approved",
    )
    collector.send_tcp([_change_message(0)])
    collector.wait_for_lines(1)
    services.index_and_alert()
    assert not Alert.objects.exists()
    # A rejected change is no record of this change.
    ChangeRecord.objects.update(state="rejected")
    collector.send_tcp([_change_message(5)])
    collector.wait_for_lines(2)
    services.index_and_alert()
    assert Alert.objects.filter(key=f"unrecorded-change:{core.pk}").exists()
