"""Measure the machine-room readings at a year of 200 sensors (issue 16, Performance).

On a throw-away database in a temporary directory (never the real one): 4 machine
rooms with 50 sensors each (25 temperature/humidity units, 25 UPSes) = 200 sensors;
the last 30 days of raw one-minute readings (200 × 43,200 ≈ 8.6 M rows) and a year of
15-minute aggregates (200 × 96 × 365 ≈ 7 M rows), as the poller, the rollup and the
daily downsampling leave them. Prints the room page with its day, week and month
charts (p50/p95 over repeated requests, target p95 < 300 ms), interleaved with a
baseline — the same page drawing the month from the raw minutes, as the first release
did — then one rollup of a 15-minute interval for all 200 sensors, and the peak
resident memory after each phase.

    make bench    or    python scripts/facility_bench.py [--sensors 200] [--raw-days 30] [--requests 30]

Set DATABASE_URL to a scratch PostgreSQL database to measure there instead.
"""

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOMS = 4


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(runs: list[float]) -> tuple[float, float]:
    runs = sorted(runs)
    return statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sensors", type=int, default=200)
    parser.add_argument("--raw-days", type=int, default=30)
    parser.add_argument("--aggregate-days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="ggzy-facility-bench-")
    os.environ.setdefault("GGZY_ENV", "local")
    os.environ["GGZY_VAR_DIR"] = scratch
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import login_as, make_user
    from ggzy.center.services import load_center_data, setup_center
    from ggzy.facility import selectors, services
    from ggzy.facility.models import Reading, ReadingAggregate, Room, Sensor

    setup_test_environment()
    call_command("migrate", verbosity=0)
    setup_center(data=load_center_data(), create_admin=False)
    keeper = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="bench-keeper")
    per_room = args.sensors // ROOMS
    rooms = [
        services.room_create(name=f"机房{n + 1}", kind="machine_room", actor=keeper) for n in range(ROOMS)
    ]
    sensors = []
    for room in rooms:
        for n in range(per_room):
            kind = "environment" if n % 2 == 0 else "ups"
            sensors.append(Sensor(room=room, name=f"{kind}-{n:02d}", kind=kind, host="127.0.0.1"))
    Sensor.objects.bulk_create(sensors)
    sensors = list(Sensor.objects.all())
    now = timezone.now().replace(second=0, microsecond=0)
    rng = random.Random(16)  # noqa: S311 (bench data, not secrets)

    started = time.perf_counter()
    raw_start = now - dt.timedelta(days=args.raw_days)
    minutes = args.raw_days * 24 * 60
    batch: list[Reading] = []
    for sensor in sensors:
        env = sensor.kind == "environment"
        base = 20 + rng.random() * 4
        for m in range(minutes):
            at = raw_start + dt.timedelta(minutes=m)
            if env:
                batch.append(
                    Reading(
                        sensor_id=sensor.pk,
                        taken_at=at,
                        temperature=Decimal(f"{base + (m % 120) / 60:.1f}"),
                        humidity=Decimal("45.0"),
                    )
                )
            else:
                batch.append(Reading(sensor_id=sensor.pk, taken_at=at, on_battery=False, input_voltage=220))
            if len(batch) >= 20_000:
                Reading.objects.bulk_create(batch)
                batch = []
    Reading.objects.bulk_create(batch)
    raw_s = time.perf_counter() - started
    print(f"raw: {Reading.objects.count():,} readings in {raw_s:.0f} s; peak RSS {peak_mb():.0f} MB")

    started = time.perf_counter()
    agg: list[ReadingAggregate] = []
    first_bucket = services._bucket(now - dt.timedelta(days=args.aggregate_days))
    raw_floor = services._bucket(raw_start)
    buckets = int((raw_floor - first_bucket).total_seconds() // 900)
    for sensor in sensors:
        env = sensor.kind == "environment"
        for b in range(buckets):
            agg.append(
                ReadingAggregate(
                    sensor_id=sensor.pk,
                    bucket_start=first_bucket + dt.timedelta(minutes=15 * b),
                    samples=15,
                    temperature_avg=Decimal(f"{21 + (b % 8) / 4:.1f}") if env else None,
                    temperature_max=Decimal("24.0") if env else None,
                    humidity_avg=Decimal("45.0") if env else None,
                    on_battery_samples=0,
                    input_voltage_min=None if env else 219,
                )
            )
            if len(agg) >= 20_000:
                ReadingAggregate.objects.bulk_create(agg)
                agg = []
    ReadingAggregate.objects.bulk_create(agg)
    older_s = time.perf_counter() - started
    started = time.perf_counter()
    rolled = services.readings_rollup(now=now)
    rollup_all_s = time.perf_counter() - started
    print(
        f"aggregates: {ReadingAggregate.objects.count():,}"
        f" (older than the raw window: {older_s:.0f} s to write;"
        f" the raw window rolled up from scratch: {rolled:,} buckets in {rollup_all_s:.0f} s);"
        f" peak RSS {peak_mb():.0f} MB"
    )

    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client(HTTP_HOST="localhost")
    login_as(client, keeper)
    room = rooms[0]
    pages = {
        period: f"/admin/facility/rooms/{room.pk}/?period={period}" for period in ("day", "week", "month")
    }
    timings: dict[str, list[float]] = {name: [] for name in [*pages, "baseline"]}

    def month_from_raw():
        # The first release's month: every raw minute of the room's units, bucketed in Python.
        return list(
            Reading.objects.filter(
                sensor__room=room,
                sensor__kind="environment",
                taken_at__gte=now - dt.timedelta(days=30),
                temperature__isnull=False,
            ).values_list("taken_at", "temperature")
        )

    for _ in range(args.requests + 2):
        for name, url in pages.items():
            t = time.perf_counter()
            response = client.get(url)
            timings[name].append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
        t = time.perf_counter()
        client.get(pages["day"])
        rows = month_from_raw()
        timings["baseline"].append((time.perf_counter() - t) * 1000)
    for name, runs in timings.items():
        p50, p95 = percentiles(runs[2:])
        target = " (target < 300 ms)" if name != "baseline" else " (the day page + the month's raw rows)"
        print(f"room page {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms{target}")
    chart = selectors.room_chart(room=room, days=30, now=timezone.now())
    print(
        f"  month chart from {chart['count']:,} points (aggregates + the unrolled tail) instead of"
        f" {len(rows):,} raw readings; peak RSS {peak_mb():.0f} MB"
    )

    # One 15-minute interval of 200 sensors (the task every 15 minutes).
    later = now + dt.timedelta(minutes=15)
    Reading.objects.bulk_create(
        Reading(sensor_id=s.pk, taken_at=now + dt.timedelta(minutes=m), temperature=Decimal("22.0"))
        for s in sensors
        for m in range(15)
    )
    t = time.perf_counter()
    written = services.readings_rollup(now=later)
    print(
        f"rollup of one interval: {written} buckets in {(time.perf_counter() - t) * 1000:.0f} ms"
        f" ({len(sensors)} sensors); peak RSS {peak_mb():.0f} MB"
    )
    print(f"rooms: {Room.objects.count()}, sensors: {len(sensors)}; scratch {scratch}")


if __name__ == "__main__":
    main()
