"""Alert rules over newly indexed lines, raised into ``ggzy.incidents``
(网络安全管理办法 五(三) 发现异常情况要及时处理和报告).

- repeated failed logins on one device (or one unregistered source) within
  DEVICELOG_FAILED_LOGIN_WINDOW_MINUTES: DEVICELOG_FAILED_LOGIN_THRESHOLD or more;
- a configuration-change message from a device with no change record of the
  network module (四(四)) planned within DEVICELOG_CHANGE_WINDOW_HOURS of it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.incidents.alerts import raise_alert
from ggzy.incidents.choices import IncidentType, Severity
from ggzy.network.choices import ChangeState
from ggzy.network.selectors import devices

from .choices import LineKind
from .ingest import IndexResult
from .models import LogLine

SOURCE = "devicelogs"


def _name(device_id: int | None, host: str, names: dict[int, str]) -> str:
    return names.get(device_id, "") if device_id else _("未登记的来源 %(host)s") % {"host": host}


def _stamp(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S")


def _failed_login_bursts(
    device_id: int | None, host: str, times: list[dt.datetime]
) -> tuple[int, dt.datetime] | None:
    """The largest count of failed logins in one window that ends at a new line's time."""
    window = dt.timedelta(minutes=settings.DEVICELOG_FAILED_LOGIN_WINDOW_MINUTES)
    scope = {"device_id": device_id} if device_id else {"device__isnull": True, "host": host}
    seen = sorted(
        LogLine.objects.filter(
            kind=LineKind.LOGIN_FAILED, time__gte=min(times) - window, time__lte=max(times), **scope
        ).values_list("time", flat=True)[:100_000]
    )
    best: tuple[int, dt.datetime] | None = None
    start = 0
    for end, when in enumerate(seen):
        while seen[start] <= when - window:
            start += 1
        count = end - start + 1
        if count >= settings.DEVICELOG_FAILED_LOGIN_THRESHOLD and (best is None or count > best[0]):
            best = (count, when)
    return best


def _unrecorded_changes(device_id: int, times: list[dt.datetime]) -> list[dt.datetime]:
    window = dt.timedelta(hours=settings.DEVICELOG_CHANGE_WINDOW_HOURS)
    device = devices().filter(pk=device_id).first()
    if device is None:
        return []
    planned = list(
        device.changes.filter(planned_at__gte=min(times) - window, planned_at__lte=max(times) + window)
        .exclude(state=ChangeState.REJECTED)
        .values_list("planned_at", flat=True)
    )
    return [t for t in times if not any(abs(t - p) <= window for p in planned)]


def raise_for(result: IndexResult) -> int:
    """Evaluate the rules on what one indexing run added; the number of alerts raised."""
    ids = {key[0] for key in (*result.login_failed, *result.config_change) if key[0]}
    names = dict(devices().filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    link = [(_("设备日志"), reverse("devicelogs_search"))]
    raised = 0
    for (device_id, host), times in result.login_failed.items():
        burst = _failed_login_bursts(device_id, host, times)
        if burst is None:
            continue
        raise_alert(
            source=SOURCE,
            key=f"failed-logins:{device_id or host}",
            title=_("设备多次登录失败：%(device)s") % {"device": _name(device_id, host, names)},
            incident_type=IncidentType.ATTACK,
            severity=Severity.GENERAL,
            detail=_("%(minutes)s 分钟内登录失败 %(count)s 次（截至 %(when)s）")
            % {
                "minutes": settings.DEVICELOG_FAILED_LOGIN_WINDOW_MINUTES,
                "count": burst[0],
                "when": _stamp(burst[1]),
            },
            links=link,
            occurred_at=burst[1],
        )
        raised += 1
    for (device_id, host), times in result.config_change.items():
        if not device_id:
            continue  # no device in the register, so no change record can exist: the register check says so
        unrecorded = _unrecorded_changes(device_id, times)
        if not unrecorded:
            continue
        raise_alert(
            source=SOURCE,
            key=f"unrecorded-change:{device_id}",
            title=_("设备日志显示配置变更但无变更记录：%(device)s")
            % {"device": _name(device_id, host, names)},
            incident_type=IncidentType.NETWORK,
            severity=Severity.GENERAL,
            detail=_(
                "%(count)s 条配置变更日志（最早 %(first)s）前后 %(hours)s 小时内"
                "没有变更记录（网络安全管理办法 四(四)）"
            )
            % {
                "count": len(unrecorded),
                "first": _stamp(min(unrecorded)),
                "hours": settings.DEVICELOG_CHANGE_WINDOW_HOURS,
            },
            links=link,
            occurred_at=max(unrecorded),
        )
        raised += 1
    return raised
