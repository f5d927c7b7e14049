"""Reads of device logs that depend on who asks (网络安全管理办法 五(五), 四(三))."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.audit import grants

from .models import DeviceLogGrant, LogLine

# Who may ask to read device logs: the 网络管理员 (五(三): 定期查看所管设备的日志) and the
# 审计管理员; the 安全管理员 approves (五(五)) and does not read under their own approval.
READER_ROLES = (RoleKey.NETWORK_ADMIN, RoleKey.AUDIT_ADMIN)
FTS_TABLE = "devicelogs_logline_fts"
FTS_MATCH = "SELECT rowid FROM devicelogs_logline_fts WHERE devicelogs_logline_fts MATCH %s"
TRIGRAM = 3  # both indexes match substrings of at least three characters


def _has(user, role: str) -> bool:
    return bool(user and user.is_authenticated and user.has_role(role))


def is_reader(user) -> bool:
    # Roles, not has_perm: the bootstrap superuser is a 系统管理员 (三权分立).
    return any(_has(user, role) for role in READER_ROLES)


def is_security_admin(user) -> bool:
    return _has(user, RoleKey.SECURITY_ADMIN)


def active_grant(user, now: dt.datetime | None = None) -> DeviceLogGrant | None:
    return grants.active_grant(DeviceLogGrant.objects.select_related("scope_device"), user, now)


def reading_grant(user) -> DeviceLogGrant:
    """The grant under which ``user`` reads now, or PermissionDenied."""
    if not is_reader(user):
        raise PermissionDenied(_("只有网络管理员和审计管理员可以查阅设备日志。"))
    grant = active_grant(user)
    if grant is None:
        raise PermissionDenied(
            _("没有有效的设备日志查阅授权：请先申请，并经安全管理员批准（网络安全管理办法 五(五)）。")
        )
    return grant


@dataclass
class LineFilters:
    device: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    severity: int | None = None  # this severity or more severe (a lower number)
    text: str = ""

    def as_dict(self) -> dict:
        return {
            k: (v.isoformat() if isinstance(v, dt.datetime) else v)
            for k, v in self.__dict__.items()
            if v not in (None, "")
        }


def _text_filter(qs: QuerySet[LogLine], text: str) -> QuerySet[LogLine]:
    """Substring match. SQLite: the FTS5 trigram index answers for three characters or
    more; PostgreSQL: icontains (UPPER(text) LIKE), served by the pg_trgm GIN index over
    UPPER(text) (migration 0002)."""
    if connection.vendor == "sqlite" and len(text) >= TRIGRAM:
        phrase = '"' + text.replace('"', '""') + '"'
        return qs.filter(id__in=RawSQL(FTS_MATCH, [phrase]))  # noqa: S611 - a constant, the phrase bound
    return qs.filter(text__icontains=text)


def lines_visible(*, grant: DeviceLogGrant, filters: LineFilters) -> QuerySet[LogLine]:
    """Lines in the grant's scope, filtered; newest first."""
    qs = LogLine.objects.all()
    if grant.scope_device_id:
        qs = qs.filter(device_id=grant.scope_device_id)
    if grant.scope_since:
        qs = qs.filter(time__gte=grant.scope_since)
    if grant.scope_until:
        qs = qs.filter(time__lt=grant.scope_until)
    if filters.device:
        qs = qs.filter(device_id=filters.device)
    if filters.since:
        qs = qs.filter(time__gte=filters.since)
    if filters.until:
        qs = qs.filter(time__lt=filters.until)
    if filters.severity is not None:
        qs = qs.filter(severity__lte=filters.severity)
    if filters.text:
        qs = _text_filter(qs, filters.text)
    return qs.order_by("-time", "-id")


def page_of(
    qs: QuerySet[LogLine], *, before: tuple[dt.datetime, int] | None, size: int
) -> tuple[list[LogLine], tuple[dt.datetime, int] | None]:
    """Keyset pagination on (time, id): rows older than ``before``; the next key or None."""
    if before is not None:
        time, pk = before
        qs = qs.filter(Q(time__lt=time) | Q(time=time, id__lt=pk))
    rows = list(qs.select_related("device")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, ((rows[-1].time, rows[-1].pk) if more and rows else None)
