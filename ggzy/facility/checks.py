"""Live checks and the periodic duties of 网络机房管理制度 and 监控管理制度, registered
with compliance (imported in FacilityConfig.ready())."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.compliance.choices import Status
from ggzy.compliance.obligations_builtin import register_file
from ggzy.compliance.registry import CheckResult, register_check

from .choices import ViewingState
from .models import DutyLog, Room, Sensor, ViewingRequest

register_file(Path(__file__).parent / "data" / "obligations.toml")

_LINK_ROOMS = "/admin/facility/"
# A sensor not read for this long is stale (the poller runs every minute).
STALE_MINUTES = 10


@register_check(
    "jf.1.3", "jf.1.3.1", "jf.1.3.2", "jf.1.3.3", "jf.1.3.4", "jf.1.3.5", "jf.1.3.6", "jf.1.6", "jk.2"
)
def duty_logs_kept(*, today: dt.date) -> CheckResult:
    """一(三)、一(六): every room has a duty log for every day; yesterday's missing is
    overdue, today's not yet written is due."""
    rooms = list(Room.objects.order_by("name"))
    if not rooms:
        return CheckResult(Status.NO_DATA, _("尚未登记机房"))
    yesterday = today - dt.timedelta(days=1)
    logged = set(DutyLog.objects.filter(day__in=[today, yesterday]).values_list("room_id", "day"))
    missed = [r.name for r in rooms if (r.pk, yesterday) not in logged]
    if missed:
        return CheckResult(
            Status.OVERDUE,
            _("%(day)s 无值班记录：%(rooms)s")
            % {"day": yesterday.isoformat(), "rooms": _("、").join(missed[:5])},
            [(_("机房值班"), _LINK_ROOMS)],
        )
    pending = [r.name for r in rooms if (r.pk, today) not in logged]
    if pending:
        return CheckResult(
            Status.DUE_SOON,
            _("今日值班记录待填写：%(rooms)s") % {"rooms": _("、").join(pending[:5])},
            [(_("机房值班"), _LINK_ROOMS)],
        )
    return CheckResult(
        Status.MET,
        _("%(count)s 个机房的值班记录齐全") % {"count": len(rooms)},
        [(_("机房值班"), _LINK_ROOMS)],
    )


@register_check("jf.1.3.1", "jf.1.3.2")
def sensors_reporting(*, today: dt.date) -> CheckResult:
    """一(三)1、2: the environment and power readings come from the sensors — every
    enabled sensor answered within the last minutes."""
    sensors = Sensor.objects.filter(enabled=True)
    if not sensors.exists():
        return CheckResult(Status.NO_DATA, _("尚未登记环境传感器或 UPS（值班记录手工填写）"))
    since = timezone.now() - dt.timedelta(minutes=STALE_MINUTES)
    silent = [
        str(s)
        for s in sensors.select_related("room").order_by("name")[:200]
        if s.last_error or s.last_polled_at is None or s.last_polled_at < since
    ]
    if silent:
        return CheckResult(
            Status.FAILING,
            _("传感器无读数：%(items)s") % {"items": _("、").join(silent[:5])},
            [(_("机房值班"), _LINK_ROOMS)],
        )
    return CheckResult(
        Status.MET,
        _("%(count)s 个传感器读数正常") % {"count": sensors.count()},
        [(_("机房值班"), _LINK_ROOMS)],
    )


@register_check("jk.4")
def viewings_approved(*, today: dt.date) -> CheckResult:
    """监控管理制度 四: every recording viewed or copied rests on an approved request."""
    viewed = ViewingRequest.objects.filter(state__in=[ViewingState.VIEWED, ViewingState.RETURNED])
    bad = viewed.filter(decided_by__isnull=True).count()
    if bad:
        return CheckResult(Status.FAILING, _("%(count)s 次调阅无审批记录") % {"count": bad})
    if not ViewingRequest.objects.exists():
        return CheckResult(Status.NO_DATA, _("尚无调阅申请"))
    return CheckResult(
        Status.MET,
        _("%(count)s 次调阅均经交易监督科负责人批准") % {"count": viewed.count()},
        [(_("录像调阅"), "/admin/facility/viewings/")],
    )
