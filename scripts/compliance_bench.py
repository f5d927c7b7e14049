"""Measure the compliance backbone at scale (issue 21, Performance).

The catalogue (~300 clauses), 100 obligations homing as many clauses, ten years
of occurrences (~60,000, most of them done) and a year of daily clause
snapshots, on a throw-away database in a temporary directory (never the real
one). Prints: the dashboard's p50/p95 over repeated requests (target p95 <
300 ms), ``manage.py compliance --format json`` (< 5 s), generating a year of
occurrences for all obligations (< 10 s), and the peak resident memory after
each phase (flat: the reads do not grow with the occurrences).

    make bench    or    python scripts/compliance_bench.py [--requests 50]

Set DATABASE_URL to a scratch PostgreSQL database to measure there instead.
"""

import argparse
import contextlib
import datetime as dt
import io
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# 100 obligations: how many of each schedule (about 6,000 occurrences a year).
SCHEDULES = [
    (12, "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "same"),
    (40, "FREQ=WEEKLY;BYDAY=TU", "previous"),
    (28, "FREQ=MONTHLY;BYMONTHDAY=-1", "previous"),
    (14, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "previous"),
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50, help="dashboard requests to time")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="profile 5 dashboard requests")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (path printed)")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="ggzy-compliance-bench-")
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
    from ggzy.compliance.choices import Home, OccurrenceState
    from ggzy.compliance.models import Clause, ClauseSnapshot, Obligation, Occurrence
    from ggzy.compliance.registry import ObligationSpec
    from ggzy.compliance.services import obligation_ensure, occurrences_generate

    setup_test_environment()  # the test client's host and a fast password hasher
    call_command("migrate", verbosity=0)
    setup_center(data=load_center_data(), create_admin=False)
    today = timezone.localdate()
    start = today.replace(year=today.year - args.years)

    # 100 obligations, each homing one clause that is not homed yet.
    free = list(Clause.objects.filter(home=Home.UNHOMED).order_by("sort_order")[:100])
    existing = Obligation.objects.count()
    n = 0
    for count, rule, policy in SCHEDULES:
        for _ in range(count):
            if existing + n >= 100:
                break
            clause = free[n % len(free)]
            obligation_ensure(
                spec=ObligationSpec(
                    key=f"bench-{n:03d}",
                    title=f"基准义务 {n:03d}",
                    clauses=(clause.key,),
                    owner_role=RoleKey.MACHINE_ROOM_ADMIN if n % 2 else RoleKey.NETWORK_ADMIN,
                    rrule=rule,
                    starts_on=start,
                    non_working_day=policy,
                    evidence="none",
                    checklist=({"key": "ok", "label": "正常", "type": "yes_no", "expected": True},),
                )
            )
            clause.home, clause.home_refs = Home.EVIDENCED, [*clause.home_refs, f"bench-{n:03d}"]
            clause.save(update_fields=["home", "home_refs"])
            n += 1
    print(f"clauses: {Clause.objects.count()}, obligations: {Obligation.objects.count()}")

    started = time.perf_counter()
    Occurrence.objects.all().delete()
    created = occurrences_generate(today=start, horizon_days=(today - start).days - 1)
    history_s = time.perf_counter() - started
    # The past is mostly done, one in a hundred waived, one in five hundred with findings.
    worker = make_user(RoleKey.NETWORK_ADMIN, username="bench-worker")
    now = timezone.now()
    Occurrence.objects.filter(due_on__lt=today).update(
        state=OccurrenceState.DONE, done_by=worker, done_at=now
    )
    past = list(Occurrence.objects.filter(due_on__lt=today).values_list("pk", flat=True))
    Occurrence.objects.filter(pk__in=past[::100]).update(state=OccurrenceState.WAIVED)
    Occurrence.objects.filter(pk__in=past[50::500]).update(state=OccurrenceState.DONE_WITH_FINDINGS)
    print(
        f"history: {created:,} occurrences over {args.years} years generated in {history_s:.1f} s;"
        f" peak RSS {peak_mb():.0f} MB"
    )

    started = time.perf_counter()
    year = occurrences_generate(today=today, horizon_days=365)
    year_s = time.perf_counter() - started
    print(
        f"generation: a year of all obligations, {year:,} occurrences in {year_s:.2f} s (target < 10 s);"
        f" peak RSS {peak_mb():.0f} MB"
    )

    # A year of daily snapshots for the trend (bulk, as snapshot_take would leave them).
    clause_ids = list(Clause.objects.values_list("pk", flat=True))
    statuses = ["met", "met", "met", "due_soon", "overdue", "unhomed"]
    batch = []
    for back in range(365):
        day = today - dt.timedelta(days=back + 1)
        batch += [
            ClauseSnapshot(clause_id=pk, day=day, status=statuses[(pk + back) % 6]) for pk in clause_ids
        ]
        if len(batch) > 20_000:
            ClauseSnapshot.objects.bulk_create(batch)
            batch = []
    ClauseSnapshot.objects.bulk_create(batch)
    total = Occurrence.objects.count()
    print(f"data: {total:,} occurrences, {ClauseSnapshot.objects.count():,} snapshots")

    # The admin's CSS/JS links without a collectstatic manifest (the scratch has none).
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client(HTTP_HOST="localhost")
    login_as(client, make_user(RoleKey.SECURITY_ADMIN, username="bench-security"))
    # Each dashboard request is paired with one of the baseline: the 合规报告 form, the
    # same Wagtail admin page (menu, chrome, session, middleware) with no data read.
    # Interleaved, both see the same load on a shared machine; their difference is
    # what the dashboard's reads and rows cost.
    pages = {"dashboard": "/admin/compliance/", "baseline": "/admin/compliance/report/"}
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.requests + 3):
        for name, url in pages.items():
            started = time.perf_counter()
            response = client.get(url)
            timings[name].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
    figures = {}
    for name, runs in timings.items():
        runs = sorted(runs[3:])  # the first requests warm the caches
        figures[name] = (statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)])
    (p50, p95), (base50, base95) = figures["dashboard"], figures["baseline"]
    print(
        f"dashboard: {args.requests} requests, p50 {p50:.0f} ms, p95 {p95:.0f} ms (target < 300 ms);"
        f" peak RSS {peak_mb():.0f} MB"
    )
    print(
        f"  baseline (report form, same admin chrome, interleaved): p50 {base50:.0f} ms, p95 {base95:.0f} ms;"
        f" the dashboard's own share: p50 {p50 - base50:.0f} ms, p95 {p95 - base95:.0f} ms"
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(pages["dashboard"])
    print(f"  queries per dashboard request: {len(captured)}")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(pages["dashboard"])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        from ggzy.compliance.selectors import clause_statuses

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            clause_statuses(today=today)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("ggzy", 40)
        with CaptureQueriesContext(connection) as captured:
            clause_statuses(today=today)
        for query in captured.captured_queries:
            print(f"  {query['time']} {query['sql'][:160]}")

    # Where the time goes: the two reads behind the page, without the admin chrome.
    from ggzy.compliance.dashboard import overview, trend

    for label, read in (("overview", lambda: overview(today=today)), ("trend", lambda: trend(today=today))):
        runs = []
        for _ in range(10):
            started = time.perf_counter()
            read()
            runs.append((time.perf_counter() - started) * 1000)
        print(f"  {label}: median {statistics.median(runs):.0f} ms")

    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.suppress(SystemExit):  # exit status 1: some clause is failing or overdue
        call_command("compliance", format="json", stdout=out)
    json_s = time.perf_counter() - started
    print(
        f"compliance --format json: {json_s:.2f} s (target < 5 s), {len(out.getvalue()):,} bytes;"
        f" peak RSS {peak_mb():.0f} MB"
    )
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(f"database: {database}, Python {sys.version.split()[0]}")
    if args.keep:
        print(f"kept: {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
