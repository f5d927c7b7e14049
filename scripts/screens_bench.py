"""Measure the hall screens' cost (issue 20, ggzy.screens; docs/screens.md).

500 screens, each fetching its data.json every 30 s (16.7 requests/s), against the
embedded stack (gunicorn running config.wsgi: the screens' file layer in front of
Django, which writes the heartbeat line); then the app's side: reading a minute of
heartbeats, rewriting the files when nothing changed and when everything changed
(the day boundary). Then the same screens behind the shipped nginx
(deploy/nginx.conf rendered by ggzy.sitebuild.deploy.render_site, gunicorn with
GGZY_SERVE_PUBLISHED=false behind it): nginx's CPU, the heartbeat lines nginx wrote,
and the requests the app saw (its access log: none expected); with wrk where it is
installed (make wrk), nginx's ceiling on one screen's data.json revalidated (304).
A throw-away database and SCREENS_ROOT in a temporary directory.

    python scripts/screens_bench.py [--screens 500] [--period 30] [--seconds 60] [--no-embedded]
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
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


def poll(base: str, keys: list[str], *, period: float, seconds: float) -> dict:
    """Each screen fetches its data.json every ``period`` seconds (random phase),
    revalidating with the ETag it was given, as the page does."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    etags: dict[str, str | None] = {}
    lock = threading.Lock()
    schedule = sorted(
        (random.uniform(0, period) + k * period, key)  # noqa: S311
        for key in keys
        for k in range(int(seconds / period) + 1)
    )
    schedule = [(t, key) for t, key in schedule if t < seconds]

    def one(key: str) -> None:
        status, etag, took = fetch(f"{base}/screens/{key}/data.json", etags.get(key))
        with lock:
            etags[key] = etag
            latencies.append(took)
            statuses[status] = statuses.get(status, 0) + 1

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        for at, key in schedule:
            delay = at - (time.perf_counter() - t0)
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, key)
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "elapsed": elapsed,
        "requests": len(latencies),
        "statuses": statuses,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
    }


def saturate(url: str, *, clients: int = 16, seconds: float = 10.0) -> float:
    """As fast as ``clients`` Python threads can ask (If-None-Match → 304); requests/s."""
    t0 = time.perf_counter()

    def burst(_: int) -> int:
        done, etag = 0, None
        while time.perf_counter() - t0 < seconds:
            _, etag, _ = fetch(url, etag)
            done += 1
        return done

    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        count = sum(pool.map(burst, range(clients)))
    return count / (time.perf_counter() - t0)


def wrk(url: str, etag: str, *, seconds: int = 10, connections: int = 64) -> str | None:
    """wrk's summary on ``url`` revalidated with ``etag`` (keep-alive, as a browser), or
    None without wrk."""
    binary = os.environ.get("WRK", "/usr/bin/wrk")
    if not os.access(binary, os.X_OK):
        return None
    command = [
        binary,
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"If-None-Match: {etag}",
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return f"{float(rate):.0f} req/s, p50 {p50}, p99 {p99}, non-2xx/3xx {bad.group(1) if bad else 0}"


def gunicorn(port: int, workers: int, *, serve_published: bool, access_log: Path | None = None):
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
    if access_log is not None:
        command += ["--access-logfile", str(access_log)]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GGZY_SERVE_PUBLISHED": "true" if serve_published else "false",
    }
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603


def wait_for(url: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} does not answer")


def report(name: str, args, result: dict, cpu: float) -> None:
    rate = args.screens / args.period
    elapsed = result["elapsed"]
    print(
        f"{name}: {args.screens} screens every {args.period:.0f} s ({rate:.1f} req/s), {elapsed:.0f} s: "
        f"{result['requests']} requests, {result['requests'] / elapsed:.1f} req/s served, "
        f"statuses {result['statuses']}, p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms"
    )
    print(
        f"{name}: server CPU {cpu:.2f} s in {elapsed:.0f} s = {cpu / elapsed * 100:.1f} % of one core, "
        f"{cpu / max(1, result['requests']) * 1e6:.0f} µs per request"
    )


def embedded_run(args, keys: list[str], settings) -> None:
    """make run: gunicorn running config.wsgi, the screens' file layer in front."""
    port = free_port()
    server = gunicorn(port, args.workers, serve_published=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/screens/{keys[0]}/data.json")
        Path(settings.SCREENS_BEAT_LOG).unlink(missing_ok=True)
        pids = children(server.pid)
        cpu_before = cpu_seconds(pids)
        result = poll(base, keys, period=args.period, seconds=args.seconds)
        report(f"embedded (gunicorn, {args.workers} workers)", args, result, cpu_seconds(pids) - cpu_before)
        lines = Path(settings.SCREENS_BEAT_LOG).read_text().count("\n")
        print(f"embedded: heartbeat lines written by the file layer: {lines}")
        cpu_before, t0 = cpu_seconds(pids), time.perf_counter()
        rate = saturate(f"{base}/screens/{keys[0]}/data.json")
        cpu = (cpu_seconds(pids) - cpu_before) / (time.perf_counter() - t0)
        print(
            f"embedded: saturation (16 Python clients, 10 s): {rate:.0f} req/s, server CPU {cpu * 100:.0f} %"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def nginx_run(args, keys: list[str], settings, scratch: str) -> None:
    """Production: the shipped nginx serves /screens/ and writes the heartbeat; the app
    behind it (gunicorn, GGZY_SERVE_PUBLISHED=false, access log on) should see nothing."""
    from ggzy.screens.beats import beats_ingest
    from ggzy.sitebuild import deploy

    nginx_port, app_port = deploy.free_port(), deploy.free_port()
    app_log = Path(scratch) / "gunicorn-access.log"
    log = Path(settings.SCREENS_BEAT_LOG)
    log.unlink(missing_ok=True)
    rendered = deploy.render_site(
        Path(scratch) / "nginx",
        root=Path(settings.PUBLISH_ROOT),
        upstream=f"127.0.0.1:{app_port}",
        http_port=nginx_port,
    )
    app = gunicorn(app_port, args.workers, serve_published=False, access_log=app_log)
    base = f"http://127.0.0.1:{nginx_port}"
    try:
        wait_for(f"http://127.0.0.1:{app_port}/api/v1/openapi.json")
        app_log.write_text("")  # the warm-up request is not the screens'
        app_pids = children(app.pid)
        app_cpu_before = cpu_seconds(app_pids)
        with deploy.nginx_running(rendered, nginx_port):
            pid_file = rendered.directory / "nginx.pid"
            for _ in range(100):  # written just after the port is bound
                if pid_file.exists() and pid_file.read_text().strip():
                    break
                time.sleep(0.05)
            master = int(pid_file.read_text())
            pids = children(master)
            cpu_before = cpu_seconds(pids)
            result = poll(base, keys, period=args.period, seconds=args.seconds)
            report("nginx", args, result, cpu_seconds(pids) - cpu_before)
            cpu_before, t0 = cpu_seconds(pids), time.perf_counter()
            rate = saturate(f"{base}/screens/{keys[0]}/data.json")
            cpu = (cpu_seconds(pids) - cpu_before) / (time.perf_counter() - t0)
            print(
                f"nginx: saturation (16 Python clients, 10 s): {rate:.0f} req/s, nginx CPU {cpu * 100:.0f} %"
            )
            _, etag, _ = fetch(f"{base}/screens/{keys[0]}/data.json", None)
            summary = wrk(f"{base}/screens/{keys[0]}/data.json", etag or "")
            print(
                f"nginx: wrk -t2 -c64 -d10s, If-None-Match (304): {summary or 'wrk not installed (make wrk)'}"
            )
        app_cpu = cpu_seconds(app_pids) - app_cpu_before
        app_requests = len(app_log.read_text().splitlines())
        print(f"nginx: requests that reached the app: {app_requests}; app CPU meanwhile {app_cpu:.2f} s")
        print(f"nginx: heartbeat lines nginx wrote: {log.read_text().count(chr(10))}")
        started = time.perf_counter()
        ingest = beats_ingest()
        took = (time.perf_counter() - started) * 1000
        print(f"nginx: ingest: {ingest.beats} beats, {ingest.updated} screens moved, {took:.0f} ms")
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screens", type=int, default=500)
    parser.add_argument("--period", type=float, default=30.0, help="seconds between a screen's fetches")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the simulated run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-embedded", action="store_true", help="only the nginx run")
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

    if not args.no_embedded:
        embedded_run(args, keys, settings)
    nginx_run(args, keys, settings, scratch)

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
