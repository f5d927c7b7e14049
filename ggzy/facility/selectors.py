"""Reads of the facility records for the screens."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .choices import SensorKind, VisitState
from .models import DutyLog, Reading, ReadingAggregate, Room, ViewingRequest

CHART_WIDTH, CHART_HEIGHT = 600, 160
CHART_MAX_POINTS = 720  # a polyline of at most this many points (the series is bucketed)


def rooms():
    """The rooms a visit can enter, for choosers."""
    return Room.objects.order_by("kind", "name")


def still_inside(visits):
    """Of a visitor-register queryset, the entries whose visitor has not left yet."""
    return visits.filter(state=VisitState.INSIDE).select_related("room")


def rooms_overview() -> list[dict]:
    """Every room with its latest reading per sensor and whether today's log exists."""
    today = timezone.localdate()
    rooms = list(Room.objects.prefetch_related("sensors"))
    logged = set(DutyLog.objects.filter(day=today).values_list("room_id", flat=True))
    out = []
    for room in rooms:
        latest = []
        for sensor in room.sensors.all():
            reading = Reading.objects.filter(sensor=sensor).order_by("-taken_at").first()
            latest.append((sensor, reading))
        out.append({"room": room, "latest": latest, "logged_today": room.pk in logged})
    return out


def room_chart(*, room: Room, days: int = 1, now: dt.datetime | None = None) -> dict:
    """An inline SVG polyline of the room's temperature over the last ``days``
    (day 1, week 7, month 30), averaged into at most CHART_MAX_POINTS buckets."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    rows = list(
        Reading.objects.filter(
            sensor__room=room,
            sensor__kind=SensorKind.ENVIRONMENT,
            taken_at__gte=since,
            temperature__isnull=False,
        )
        .order_by("taken_at")
        .values_list("taken_at", "temperature")
    )
    # Beyond the raw window the series is the 15-minute averages (services.readings_downsample).
    rows += list(
        ReadingAggregate.objects.filter(
            sensor__room=room, bucket_start__gte=since, temperature_avg__isnull=False
        ).values_list("bucket_start", "temperature_avg")
    )
    if not rows:
        return {"points": "", "count": 0}
    span = (now - since).total_seconds()
    buckets: dict[int, list[float]] = {}
    for taken_at, value in rows:
        index = int((taken_at - since).total_seconds() / span * (CHART_MAX_POINTS - 1))
        buckets.setdefault(index, []).append(float(value))
    low = min(float(room.temp_min), *(min(v) for v in buckets.values())) - 1
    high = max(float(room.temp_max), *(max(v) for v in buckets.values())) + 1

    def y(value):
        return round(CHART_HEIGHT - (value - low) / (high - low) * CHART_HEIGHT, 1)

    points = " ".join(
        f"{round(i / (CHART_MAX_POINTS - 1) * CHART_WIDTH, 1)},{y(sum(v) / len(v))}"
        for i, v in sorted(buckets.items())
    )
    return {
        "points": points,
        "count": len(rows),
        "low": round(low, 1),
        "high": round(high, 1),
        "max_line": y(float(room.temp_max)),
        "min_line": y(float(room.temp_min)),
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
    }


def viewings():
    return ViewingRequest.objects.select_related("requested_by", "decided_by")[:500]
