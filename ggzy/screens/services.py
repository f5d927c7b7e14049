"""The screens' periodic work (网络设备管理制度 第三条: 电子屏等重要设施…发现问题及时处理):
read the heartbeats, rewrite the files (the day boundary, repairs), and alert on a
screen that stopped fetching. ``screens_tick`` runs every minute (tasks, command)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.incidents.alerts import raise_alert, resolve_alert
from ggzy.incidents.choices import IncidentType, Severity

from .beats import IngestResult, beats_ingest
from .choices import ScreenStatus
from .models import Screen
from .publish import PublishResult, screens_publish

ALERT_SOURCE = "screens"


def alert_key(screen: Screen) -> str:
    return f"offline:{screen.pk}"


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else _("从未")


@dataclass
class OfflineResult:
    offline: list[str] = field(default_factory=list)  # names, all offline now
    alerted: list[str] = field(default_factory=list)  # went offline in this run
    recovered: list[str] = field(default_factory=list)


def offline_sync(*, now: dt.datetime | None = None) -> OfflineResult:
    """An enabled screen that has not fetched for its N minutes is offline: the first
    run that sees it raises an alert in incidents (机房设备硬件故障, 应急预案 第七条);
    the first run that sees it fetch again resolves it. Only changes touch incidents."""
    now = now or timezone.now()
    result = OfflineResult()
    for screen in Screen.objects.select_related("room").order_by("name"):
        offline = screen.is_offline(now)
        if offline:
            result.offline.append(screen.name)
        if offline and screen.offline_since is None:
            with transaction.atomic():
                screen.offline_since = now
                screen.save(update_fields=["offline_since"])
                raise_alert(
                    source=ALERT_SOURCE,
                    key=alert_key(screen),
                    title=_("电子屏离线：%(name)s") % {"name": screen.name},
                    incident_type=IncidentType.HARDWARE,
                    severity=Severity.GENERAL,
                    detail=_("%(place)s的电子屏已超过 %(minutes)d 分钟未取数（最近一次：%(seen)s）。")
                    % {
                        "place": f"{screen.room} {screen.location}" if screen.room else screen.location,
                        "minutes": screen.offline_minutes,
                        "seen": _local(screen.last_seen_at),
                    },
                    links=[(_("电子屏登记"), "/admin/screens/registers/screens/")],
                    occurred_at=now,
                )
            result.alerted.append(screen.name)
        elif not offline and screen.offline_since is not None:
            with transaction.atomic():
                screen.offline_since = None
                screen.save(update_fields=["offline_since"])
                detail = (
                    _("电子屏已停用")
                    if screen.status_at(now) == ScreenStatus.DISABLED
                    else _("电子屏恢复取数（%(seen)s）") % {"seen": _local(screen.last_seen_at)}
                )
                resolve_alert(source=ALERT_SOURCE, key=alert_key(screen), detail=detail)
            result.recovered.append(screen.name)
    return result


@dataclass
class TickResult:
    beats: IngestResult
    files: PublishResult
    offline: OfflineResult


def screens_tick(*, now: dt.datetime | None = None) -> TickResult:
    """Every minute: heartbeats in, files out (today's data; repairs), offline alerts."""
    now = now or timezone.now()
    beats = beats_ingest()
    files = screens_publish(now=now)
    return TickResult(beats=beats, files=files, offline=offline_sync(now=now))
