"""Devices and grants for the device log tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.devicelogs import services
from ggzy.network.models import Device


def device(name: str, address: str, *, key: bool = True) -> Device:
    return Device.objects.create(
        name=name, kind="switch", platform="huawei_vrp", mgmt_address=address, key_device=key
    )


def granted_reader(role: str = RoleKey.NETWORK_ADMIN, **scope):
    """A reader with an approved grant of a day, and the 安全管理员 who approved it."""
    reader, security = make_user(role), make_user(RoleKey.SECURITY_ADMIN)
    now = timezone.now()
    grant = services.grant_request(
        actor=reader,
        purpose="排查登录失败",
        valid_from=now - dt.timedelta(minutes=1),
        valid_until=now + dt.timedelta(days=1),
        **scope,
    )
    services.grant_decide(grant=grant, actor=security, approve=True)
    return reader, security, grant
