"""Suspension notices made through the service, as the 网站管理员 would."""

import datetime as dt
import zoneinfo

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.suspensions.services import suspension_schedule

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    """A Beijing time: at(2026, 11, 30, 9) → 2026-11-30 09:00 +08:00."""
    return dt.datetime(*args, tzinfo=SH)


def website_admin():
    return make_user(RoleKey.WEBSITE_ADMIN, department="xinxi")


def schedule_notice(*, starts_at, ends_at, actor=None, **fields):
    values = {
        "reason_kind": "maintenance",
        "title": "系统维护暂停交易服务的通知",
        "body": "因系统升级维护，暂停网上交易服务。",
        "affected_services": "网上开标、CA 证书办理",
        "urgent_reason": "",
        **fields,
    }
    return suspension_schedule(starts_at=starts_at, ends_at=ends_at, actor=actor or website_admin(), **values)
