"""Reads of the facility records for the screens."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Exists, Max, OuterRef, Subquery
from django.utils import timezone

from .choices import SensorKind, ViewingState, VisitState
from .models import DutyLog, DutyShift, Reading, ReadingAggregate, Recording, Room, Sensor, ViewingRequest

CHART_WIDTH, CHART_HEIGHT = 600, 160
CHART_MAX_POINTS = 720  # a polyline of at most this many points (the series is bucketed)


def rooms():
    """The rooms a visit can enter, for choosers."""
    return Room.objects.order_by("kind", "name")


def still_inside(visits):
    """Of a visitor-register queryset, the entries whose visitor has not left yet."""
    return visits.filter(state=VisitState.INSIDE).select_related("room")


def on_duty(*, day: dt.date) -> dict[int, list]:
    """The duty roster for ``day``: room id → the people on duty (one query)."""
    out: dict[int, list] = {}
    for shift in DutyShift.objects.filter(starts_on__lte=day, ends_on__gte=day).select_related("person"):
        out.setdefault(shift.room_id, []).append(shift.person)
    return out


def rooms_overview() -> list[dict]:
    """Every room with its latest reading per sensor, today's people on duty and whether
    today's log exists — a fixed number of queries whatever the sensors (the latest
    reading of each sensor is read through the (sensor, taken_at) index)."""
    today = timezone.localdate()
    rooms = list(Room.objects.prefetch_related("sensors"))
    logged = set(DutyLog.objects.filter(day=today).values_list("room_id", flat=True))
    latest_at = Reading.objects.filter(sensor=OuterRef("pk")).order_by("-taken_at").values("pk")[:1]
    newest = Sensor.objects.annotate(reading_pk=Subquery(latest_at)).values_list("reading_pk", flat=True)
    readings = {r.sensor_id: r for r in Reading.objects.filter(pk__in=[pk for pk in newest if pk])}
    duty = on_duty(day=today)
    return [
        {
            "room": room,
            "latest": [(sensor, readings.get(sensor.pk)) for sensor in room.sensors.all()],
            "logged_today": room.pk in logged,
            "on_duty": duty.get(room.pk, []),
        }
        for room in rooms
    ]


def room_chart(*, room: Room, days: int = 1, now: dt.datetime | None = None) -> dict:
    """An inline SVG polyline of the room's temperature over the last ``days``
    (day 1, week 7, month 30), averaged into at most CHART_MAX_POINTS buckets."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    raw_since = since
    rows = []
    if days > 1:
        # The week and month read the 15-minute aggregates (rolled up as each bucket
        # closes, kept beyond the raw window), then raw readings after the newest one.
        aggregates = ReadingAggregate.objects.filter(
            sensor__room=room, sensor__kind=SensorKind.ENVIRONMENT, bucket_start__gte=since
        )
        # The room's units averaged per bucket in the database: one row per 15 minutes.
        rows = list(
            aggregates.filter(temperature_avg__isnull=False)
            .values("bucket_start")
            .annotate(t=Avg("temperature_avg"))
            .values_list("bucket_start", "t")
        )
        newest = aggregates.aggregate(m=Max("bucket_start"))["m"]
        if newest is not None:
            raw_since = newest + dt.timedelta(minutes=15)
    # A poll reads every unit at one instant: averaged per instant, one row a minute.
    rows += list(
        Reading.objects.filter(
            sensor__room=room,
            sensor__kind=SensorKind.ENVIRONMENT,
            taken_at__gte=raw_since,
            temperature__isnull=False,
        )
        .values("taken_at")
        .annotate(t=Avg("temperature"))
        .order_by("taken_at")
        .values_list("taken_at", "t")
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
    return ViewingRequest.objects.select_related("requested_by", "decided_by").prefetch_related("recordings")[
        :500
    ]


def recordings_of(project_code: str):
    return Recording.objects.filter(project_code=project_code).order_by("session_date", "pk")


def lendable_by_code() -> dict[str, list]:
    """Project code → its archived recordings not lent now, for the approved requests'
    lending forms (one query)."""
    codes = ViewingRequest.objects.filter(state=ViewingState.APPROVED).values("project_code")
    out: dict[str, list] = {}
    lent = Recording.objects.filter(viewings__state=ViewingState.VIEWED).values("pk")
    for recording in Recording.objects.filter(project_code__in=codes).exclude(pk__in=lent):
        out.setdefault(recording.project_code, []).append(recording)
    return out


def recordings():
    """The archive with whether each recording is out now (one annotated query)."""
    out_now = Exists(
        ViewingRequest.recordings.through.objects.filter(
            recording=OuterRef("pk"), viewingrequest__state=ViewingState.VIEWED
        )
    )
    return Recording.objects.select_related("archived_by").annotate(lent=out_now)[:500]
