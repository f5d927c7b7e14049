"""Measure the hall screens' cost (issue 20, ggzy.screens; docs/screens.md).

500 screens, each fetching its data.json every 30 s (16.7 requests/s), against the
embedded stack (gunicorn running config.wsgi: the screens' file layer in front of
Django, which writes the heartbeat line); then the app's side: reading a minute of
heartbeats, rewriting the files when nothing changed and when everything changed
(the day boundary). A throw-away database and SCREENS_ROOT in a temporary directory.

    python scripts/screens_bench.py [--screens 500] [--period 30] [--seconds 60]
"""

import argparse
import concurrent.futures
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (Linux /proc), in seconds."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
    return [pid, *(int(p) for p in out.split())]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, etag: str | None) -> tuple[int, str | None, float]:
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
            return response.status, response.headers.get("ETag"), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, etag, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screens", type=int, default=500)
    parser.add_argument("--period", type=float, default=30.0, help="seconds between a screen's fetches")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the simulated run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="ggzy-screens-bench-")
    os.environ.setdefault("GGZY_ENV", "local")
    os.environ["GGZY_VAR_DIR"] = scratch
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from ggzy.center.services import load_center_data, setup_center
    from ggzy.portal.tests.factories import column, publish_article
    from ggzy.screens.beats import beats_ingest
    from ggzy.screens.models import Screen
    from ggzy.screens.publish import screens_publish
    from ggzy.screens.services import screens_tick
    from ggzy.screens.serving import append_beat, beat_line

    setup_test_environment()
    call_command("migrate", verbosity=0)
    setup_center(data=load_center_data(), create_admin=False)
    for n in range(10):
        publish_article(column("zytz"), f"关于开标室使用安排的第{n + 1}号通知")
    Screen.objects.bulk_create(
        Screen(name=f"屏{n:04d}", location=f"大厅{n}", show_publicity=True, show_notices=True)
        for n in range(args.screens)
    )
    keys = list(Screen.objects.values_list("key", flat=True))

    started = time.perf_counter()
    first = screens_publish()
    everything = time.perf_counter() - started
    started = time.perf_counter()
    again = screens_publish()
    nothing = time.perf_counter() - started
    size = (Path(settings.SCREENS_ROOT) / keys[0] / "data.json").stat().st_size
    print(f"screens: {args.screens}; data.json {size} bytes")
    print(f"publish, all files new: {everything * 1000:.0f} ms ({len(first.written)} files written)")
    print(
        f"publish, nothing changed (the minute tick): {nothing * 1000:.0f} ms ({len(again.written)} written)"
    )

    # ---- the embedded stack under 500 polling screens
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/screens/{keys[0]}/data.json", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        Path(settings.SCREENS_BEAT_LOG).unlink(missing_ok=True)
        pids = children(server.pid)
        cpu_before = cpu_seconds(pids)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        etags: dict[str, str | None] = {}
        lock = threading.Lock()
        rate = args.screens / args.period
        schedule = sorted(
            (random.uniform(0, args.period) + k * args.period, key)  # noqa: S311
            for key in keys
            for k in range(int(args.seconds / args.period) + 1)
        )
        schedule = [(t, key) for t, key in schedule if t < args.seconds]

        def one(key: str) -> None:
            status, etag, seconds = fetch(f"{base}/screens/{key}/data.json", etags.get(key))
            with lock:
                etags[key] = etag
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
            for at, key in schedule:
                delay = at - (time.perf_counter() - t0)
                if delay > 0:
                    time.sleep(delay)
                pool.submit(one, key)
        elapsed = time.perf_counter() - t0
        cpu = cpu_seconds(pids) - cpu_before
        latencies.sort()
        p50, p95 = statistics.median(latencies) * 1000, latencies[int(len(latencies) * 0.95)] * 1000
        per_request = cpu / max(1, len(latencies)) * 1e6
        print(
            f"{args.screens} screens every {args.period:.0f} s ({rate:.1f} req/s), {elapsed:.0f} s: "
            f"{len(latencies)} requests, {len(latencies) / elapsed:.1f} req/s served, statuses {statuses}, "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )
        print(
            f"gunicorn CPU (master + {args.workers} workers): {cpu:.2f} s in {elapsed:.0f} s = "
            f"{cpu / elapsed * 100:.1f} % of one core, {per_request:.0f} µs per request"
        )
        lines = Path(settings.SCREENS_BEAT_LOG).read_text().count("\n")
        print(f"heartbeat lines written by the file layer: {lines}")

        # Saturation: as fast as 16 threads can ask (If-None-Match → 304, as the screens do).
        count, t0 = 0, time.perf_counter()
        cpu_before = cpu_seconds(pids)

        def burst(n: int) -> int:
            done, etag = 0, None
            while time.perf_counter() - t0 < 10:
                _, etag, _ = fetch(f"{base}/screens/{keys[n % len(keys)]}/data.json", etag)
                done += 1
            return done

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            count = sum(pool.map(burst, range(16)))
        elapsed = time.perf_counter() - t0
        print(
            f"saturation (16 clients, 10 s): {count / elapsed:.0f} req/s, "
            f"gunicorn CPU {(cpu_seconds(pids) - cpu_before) / elapsed * 100:.0f} % of one core"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

    # ---- the app's side, once a minute
    log = Path(settings.SCREENS_BEAT_LOG)
    log.unlink(missing_ok=True)
    now = time.time()
    minute = b"".join(
        beat_line(f"/screens/{key}/data.json", 304, now - random.uniform(0, 60))  # noqa: S311
        for key in keys
        for _ in range(2)
    )
    append_beat(log, minute)
    started = time.perf_counter()
    result = beats_ingest()
    took = (time.perf_counter() - started) * 1000
    print(f"ingest one minute of heartbeats ({result.lines} lines): {took:.0f} ms")
    append_beat(log, minute * 60)
    started = time.perf_counter()
    result = beats_ingest()
    print(f"ingest an hour's backlog ({result.lines} lines): {(time.perf_counter() - started) * 1000:.0f} ms")
    append_beat(log, minute)
    started = time.perf_counter()
    screens_tick()
    print(f"screens_tick (ingest + publish + offline check): {(time.perf_counter() - started) * 1000:.0f} ms")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
