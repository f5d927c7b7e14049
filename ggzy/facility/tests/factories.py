"""Test data for facility: real services, real users in the center's roles."""

from __future__ import annotations

import datetime as dt

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.facility import services
from ggzy.facility.choices import RoomKind, SensorKind

from .snmpsim_agent import ENV_HUMIDITY_OID, ENV_TEMPERATURE_OID


def keeper(**kw):
    return make_user(RoleKey.MACHINE_ROOM_ADMIN, **kw)


def machine_room(actor, name="一号机房"):
    return services.room_create(
        name=name,
        kind=RoomKind.MACHINE_ROOM,
        room_class="B",
        commissioned_on=dt.date(2020, 5, 1),
        actor=actor,
    )


def sensors(room, agent, actor):
    """The room's UPS and temperature/humidity unit, served by the snmpsim agent."""
    ups = services.sensor_create(
        room=room,
        name="UPS-1",
        kind=SensorKind.UPS,
        host=agent.host,
        port=agent.port,
        community="ups",
        actor=actor,
    )
    env = services.sensor_create(
        room=room,
        name="温湿度-1",
        kind=SensorKind.ENVIRONMENT,
        host=agent.host,
        port=agent.port,
        community="env",
        temperature_oid=ENV_TEMPERATURE_OID,
        humidity_oid=ENV_HUMIDITY_OID,
        scale=10,
        actor=actor,
    )
    return ups, env


DUTY = {
    "weather": "晴",
    "network_status": "网络和服务器运行正常，无故障",
    "equipment_use": "",
    "other_people": "",
    "user_requests": "",
    "power_normal": True,
    "power_interruptions": "",
    "lights_checked": True,
    "doors_checked": True,
    "windows_checked": True,
    "locks_checked": True,
}
