"""Readings rolled up into 15-minute aggregates as each bucket closes (the week and month
charts read them), then the raw readings folded away after 30 days without counting
anything twice (网络机房管理制度 一(三)1: the environment series kept ≥ 1 year)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ggzy.facility import selectors, services
from ggzy.facility.models import Reading, ReadingAggregate, Sensor

from .factories import keeper, machine_room

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 7, tzinfo=dt.UTC)


@pytest.fixture
def env():
    room = machine_room(keeper())
    return Sensor.objects.create(room=room, name="温湿度-1", kind="environment", host="127.0.0.1")


def _readings(sensor, start, minutes, temperature=Decimal("22.0")):
    Reading.objects.bulk_create(
        Reading(sensor=sensor, taken_at=start + dt.timedelta(minutes=m), temperature=temperature + m % 3)
        for m in range(minutes)
    )


def test_closed_buckets_roll_up_once_and_the_open_one_waits(env):
    _readings(env, NOW - dt.timedelta(minutes=67), 67)  # 09:00 .. 10:06
    assert services.readings_rollup(now=NOW) == 4  # 09:00, 09:15, 09:30, 09:45; 10:00 is open
    first = ReadingAggregate.objects.order_by("bucket_start").first()
    assert first.samples == 15 and first.temperature_max == Decimal("24.0")
    # The newest closed bucket is recomputed (a late reading), the open one still waits.
    Reading.objects.create(sensor=env, taken_at=NOW - dt.timedelta(minutes=10), temperature=Decimal("30"))
    assert services.readings_rollup(now=NOW) == 1
    assert ReadingAggregate.objects.order_by("bucket_start").last().samples == 16
    assert services.readings_rollup(now=NOW + dt.timedelta(minutes=10)) == 2  # 09:45 again, 10:00 closed
    assert ReadingAggregate.objects.count() == 5


def test_downsampling_after_the_rollup_counts_nothing_twice(env):
    old = NOW - dt.timedelta(days=31)
    _readings(env, old.replace(minute=0), 30)
    services.readings_rollup(now=old + dt.timedelta(hours=1))
    before = {a.bucket_start: (a.samples, a.temperature_avg) for a in ReadingAggregate.objects.all()}
    folded, _dropped = services.readings_downsample(now=NOW)
    assert folded == 30 and not Reading.objects.exists()
    after = {a.bucket_start: (a.samples, a.temperature_avg) for a in ReadingAggregate.objects.all()}
    assert after == before and sum(s for s, _avg in after.values()) == 30


def test_the_month_chart_reads_aggregates_then_the_raw_tail(env):
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=3)
    _readings(env, start, 3 * 24 * 60)
    services.readings_rollup()
    Reading.objects.filter(taken_at__lt=timezone.now() - dt.timedelta(hours=1)).delete()  # proves the source
    chart = selectors.room_chart(room=env.room, days=30)
    assert chart["count"] >= 3 * 24 * 4 - 2  # ≥ the closed buckets of three days
    assert chart["count"] < 3 * 24 * 4 + 60  # not the raw minutes
    day = selectors.room_chart(room=env.room, days=1)
    assert day["count"] <= 60  # the day view is raw: only the last hour is left
