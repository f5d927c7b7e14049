"""Measure device log ingest (rsyslog → file → index) and search (网络安全管理办法 五).

Runs against a throw-away database in a temporary directory (never the real one):
``python scripts/devicelogs_bench.py``; set DATABASE_URL to a scratch PostgreSQL
database to measure there instead.

1. ingest: Debian's rsyslog runs deploy/rsyslog-devicelogs.conf on a loopback port;
   a sender process pushes ``--messages`` RFC 5424 messages over TCP from
   ``--devices`` source addresses (127.0.0.x) as fast as it can, while this process
   indexes in a loop until every message is in the database. Reported: messages/s end
   to end (first send → last row committed), and per CPU-second of the indexer (it runs
   on one core), and the indexer's peak memory at a quarter and at the end (flat = the
   same).
2. search: ``--day-lines`` lines of one day (written in the collector's format,
   spread over the devices), indexed, then searched by device + text through the
   same selector the admin screen uses: a rare term, a common term and a two-character
   Chinese term, the newest 100 rows each.
"""

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"
WORDS = [
    "interface",
    "link",
    "ospf",
    "neighbor",
    "acl",
    "permit",
    "deny",
    "vlan",
    "port",
    "session",
    "状态",
    "变化",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sender(port: int, messages: int, devices: int) -> None:
    """A separate process: one TCP connection per source address, round robin."""
    socks = [
        socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.0.{2 + d}", 0))
        for d in range(devices)
    ]
    batch = 500
    for start in range(0, messages, batch):
        sock = socks[(start // batch) % devices]
        payload = "".join(
            f"<14>1 2026-12-04T02:00:00.{n % 1000:03d}Z sw{n % devices} IFNET {n} - - "
            f"Interface GE0/0/{n % 48} link state changed, seq {n}\n"
            for n in range(start, min(start + batch, messages))
        )
        sock.sendall(payload.encode())
    for sock in socks:
        sock.close()


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ingest(args, scratch: Path) -> None:
    from ggzy.devicelogs import services
    from ggzy.devicelogs.models import LogLine

    incoming = Path(os.environ["DEVICELOG_DIR"])
    work = scratch / "rsyslog"
    work.mkdir()
    port = _free_port()
    conf = work / "rsyslog.conf"
    conf.write_text(
        f'global(workDirectory="{work}")\ninclude(file="{ROOT / "deploy" / "rsyslog-devicelogs.conf"}")\n'
    )
    env = {
        **os.environ,
        "GGZY_DEVICELOG_DIR": str(incoming),
        "GGZY_DEVICELOG_ADDRESS": "127.0.0.1",
        "GGZY_DEVICELOG_PORT": str(port),
    }
    rsyslog = subprocess.Popen([RSYSLOGD, "-n", "-f", str(conf), "-i", str(work / "pid")], env=env)  # noqa: S603 - our own command line
    try:
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        sender = subprocess.Popen(  # noqa: S603 - this script, re-run as the sender
            [sys.executable, __file__, "--send", str(port), str(args.messages), str(args.devices)]
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        indexed, quarter_rss, idle = 0, None, 0.0
        while indexed < args.messages:
            indexed += services.index_and_alert().lines
            if quarter_rss is None and indexed >= args.messages // 4:
                quarter_rss = _maxrss_mb()
            if sender.poll() is not None and indexed < args.messages:
                idle += 0.01
                time.sleep(0.01)
                if idle > 60:
                    raise SystemExit(f"only {indexed} of {args.messages} messages arrived")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        sender.wait()
    finally:
        rsyslog.terminate()
        _pid, _status, usage = os.wait4(rsyslog.pid, 0)
        rsyslog.returncode = 0
    collector_cpu = usage.ru_utime + usage.ru_stime
    if LogLine.objects.count() != args.messages:
        raise SystemExit(f"{LogLine.objects.count()} rows for {args.messages} messages")
    print(
        f"ingest: {args.messages:,} messages from {args.devices} devices: "
        f"{args.messages / elapsed:,.0f} msg/s "
        f"end to end ({elapsed:.1f} s); indexer {args.messages / cpu:,.0f} msg per CPU-second; "
        f"rsyslog {args.messages / collector_cpu:,.0f} msg per CPU-second; both together "
        f"{args.messages / (cpu + collector_cpu):,.0f} msg per CPU-second (one core); "
        f"indexer peak RSS {quarter_rss or 0:.0f} MB at 1/4, {_maxrss_mb():.0f} MB at the end"
    )


def bench_search(args, scratch: Path) -> None:
    from django.db import connection

    from ggzy.devicelogs import ingest
    from ggzy.devicelogs.models import DeviceLogGrant, LogLine
    from ggzy.devicelogs.selectors import LineFilters, lines_visible, page_of
    from ggzy.network.models import Device

    incoming = Path(os.environ["DEVICELOG_DIR"]) / "search"
    day = dt.date(2026, 11, 30)
    rng = random.Random(7)  # noqa: S311 - test data
    started = time.perf_counter()
    files = {}
    for d in range(args.devices):
        host = f"127.0.0.{2 + d}"
        (incoming / host).mkdir(parents=True, exist_ok=True)
        files[d] = open(incoming / host / f"{day:%Y-%m-%d}.log", "w", encoding="utf-8")  # noqa: SIM115
    base = dt.datetime(2026, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for n in range(args.day_lines):
        d = n % args.devices
        words = " ".join(rng.choice(WORDS) for _ in range(6))
        # A handful of lines of the day, all on the device searched below (127.0.0.7: d == 5).
        rare = " rarecode-7731" if d == 5 and n // args.devices % 10_000 == 42 else ""
        when = (base + dt.timedelta(seconds=n * 86400 / args.day_lines)).isoformat()
        files[d].write(f"{when}\t127.0.0.{2 + d}\t23\t5\tsw{d}\tIFNET\t{words} seq {n}{rare}\n")
    for handle in files.values():
        handle.close()
    print(f"search: wrote {args.day_lines:,} lines in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    result = ingest.index_all(root=incoming)
    elapsed = time.perf_counter() - started
    print(
        f"search: indexed {result.lines:,} lines from files in {elapsed:.0f} s "
        f"({result.lines / elapsed:,.0f} lines/s)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE devicelogs_logline")
    device = Device.objects.get(mgmt_address="127.0.0.7")
    grant = DeviceLogGrant()  # unscoped: the selector reads only the scope fields
    for label, text in (("rare", "rarecode-7731"), ("common", "interface"), ("chinese 2 chars", "状态")):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            rows, _next = page_of(
                lines_visible(grant=grant, filters=LineFilters(device=device.pk, text=text)),
                before=None,
                size=100,
            )
            times.append(time.perf_counter() - t0)
        if not rows:
            sys.exit(f"bench failed: the search for {text!r} found nothing")
        print(
            f"search device + {label} text {text!r}: {len(rows)} rows, "
            f"best {min(times):.3f} s, worst {max(times):.3f} s"
        )
    print(f"search: {LogLine.objects.count():,} rows in the table")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--send":
        _sender(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--day-lines", type=int, default=1_000_000)
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="ggzy-devicelogs-bench-"))
    os.environ.setdefault("GGZY_ENV", "local")
    os.environ["GGZY_VAR_DIR"] = str(scratch)
    os.environ["DEVICELOG_DIR"] = str(scratch / "incoming")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from ggzy.network.models import Device

    call_command("migrate", verbosity=0)
    Device.objects.bulk_create(
        Device(name=f"交换机{d:02d}", kind="switch", platform="huawei_vrp", mgmt_address=f"127.0.0.{2 + d}")
        for d in range(args.devices)
    )
    print(f"database: {os.environ['DATABASE_URL'].split(':', 1)[0]}; load average {os.getloadavg()}")
    try:
        bench_ingest(args, scratch)
        if not args.skip_search:
            bench_search(args, scratch)
    finally:
        print(f"load average at the end {os.getloadavg()}")
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
