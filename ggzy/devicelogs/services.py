"""Writes of the devicelogs app: indexing (with its alert rules), grants, searches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ggzy.audit import grants
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.core.snapshots import snapshot

from . import alerts, ingest, selectors
from .models import DeviceLogGrant

GRANT_MAX_PERIOD = dt.timedelta(days=31)


# --------------------------------------------------------------------------- indexing


def index_and_alert(*, root: Path | None = None) -> ingest.IndexResult:
    """Index what the collector wrote since the last run, then run the alert rules
    over the new lines (each alert is audited by ``ggzy.incidents``)."""
    result = ingest.index_all(root=root)
    with transaction.atomic():
        alerts.raise_for(result)
    return result


# --------------------------------------------------------------------------- grants (五(五))


def _grant_data(grant: DeviceLogGrant) -> dict[str, Any]:
    return snapshot(
        grant,
        (
            "grantee",
            "purpose",
            "scope_device",
            "scope_since",
            "scope_until",
            "valid_from",
            "valid_until",
            "status",
        ),
    )


@transaction.atomic
def grant_request(
    *,
    actor,
    purpose: str,
    valid_from: dt.datetime,
    valid_until: dt.datetime,
    scope_device=None,
    scope_since: dt.datetime | None = None,
    scope_until: dt.datetime | None = None,
) -> DeviceLogGrant:
    """A 网络管理员 or 审计管理员 asks to read device logs for a purpose and a period."""
    if not selectors.is_reader(actor):
        raise PermissionDenied(_("只有网络管理员和审计管理员可以申请查阅设备日志。"))
    if not (purpose or "").strip():
        raise ValidationError(_("请填写查阅目的。"))
    if valid_until <= valid_from:
        raise ValidationError(_("授权失效时间必须晚于生效时间。"))
    if valid_until - valid_from > GRANT_MAX_PERIOD:
        raise ValidationError(_("单次授权期限不得超过 %(days)s 天。") % {"days": GRANT_MAX_PERIOD.days})
    if scope_since and scope_until and scope_until <= scope_since:
        raise ValidationError(_("日志截止时间必须晚于起始时间。"))
    grant = DeviceLogGrant.objects.create(
        grantee=actor,
        purpose=purpose.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        scope_device=scope_device,
        scope_since=scope_since,
        scope_until=scope_until,
    )
    audit.record(action="devicelogs.grant.requested", actor=actor, obj=grant, after=_grant_data(grant))
    return grant


@transaction.atomic
def grant_decide(*, grant: DeviceLogGrant, actor, approve: bool, note: str = "") -> DeviceLogGrant:
    """网络安全管理办法 五(五): the 安全管理员 approves (or refuses), never their own request."""
    if not selectors.is_security_admin(actor):
        raise PermissionDenied(_("只有安全管理员可以审批设备日志查阅申请。"))
    return grants.grant_decide(
        grant=grant, actor=actor, approve=approve, note=note, action="devicelogs.grant", data=_grant_data
    )


def grant_revoke(*, grant: DeviceLogGrant, actor) -> DeviceLogGrant:
    if not selectors.is_security_admin(actor):
        raise PermissionDenied(_("只有安全管理员可以撤销授权。"))
    return grants.grant_revoke(grant=grant, actor=actor, action="devicelogs.grant", data=_grant_data)


# --------------------------------------------------------------------------- searching


def search(*, actor, filters: selectors.LineFilters, before=None, size: int = 100):
    """One page of the search, under the actor's grant; every search is audited, and so
    is every refusal (PermissionDenied re-raised for the view)."""
    try:
        grant = selectors.reading_grant(actor)
    except PermissionDenied:
        refusal_record(actor=actor, what="search")
        raise
    rows, next_key = selectors.page_of(
        selectors.lines_visible(grant=grant, filters=filters), before=before, size=size
    )
    audit.record(
        action="devicelogs.log.searched",
        actor=actor,
        obj=grant,
        filters=filters.as_dict(),
        page_before=None if before is None else [before[0].isoformat(), before[1]],
        rows=len(rows),
    )
    return grant, rows, next_key


def refusal_record(*, actor, what: str) -> None:
    audit.record(action="devicelogs.log.access_denied", actor=actor, outcome=Outcome.FAILURE, attempted=what)


__all__ = [
    "GRANT_MAX_PERIOD",
    "grant_decide",
    "grant_request",
    "grant_revoke",
    "index_and_alert",
    "refusal_record",
    "search",
]
