"""Measure audit recording (events/s) and chain verification throughput.

Runs against a throw-away database in a temporary directory (never the real
one): ``make bench`` or ``python scripts/audit_bench.py --events 100000``.
Set DATABASE_URL to a scratch PostgreSQL database to measure there instead.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1, help="events per transaction")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="ggzy-audit-bench-")
    os.environ.setdefault("GGZY_ENV", "local")
    os.environ["GGZY_VAR_DIR"] = scratch
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from ggzy.audit.services import checkpoint_create, record
    from ggzy.audit.verify import verify_chain

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    written = 0
    while written < args.events:
        with transaction.atomic():
            for _ in range(min(args.batch, args.events - written)):
                record(
                    action="bench.thing.done",
                    actor_username="bench",
                    object_type="bench.thing",
                    object_id=str(written),
                    object_repr=f"条目 {written}",
                    after={"n": written, "title": "焦作市公共资源交易中心"},
                )
                written += 1
    write_s = time.perf_counter() - started
    checkpoint_create()
    started = time.perf_counter()
    result = verify_chain()
    verify_s = time.perf_counter() - started
    print(f"database: {os.environ['DATABASE_URL'].split(':', 1)[0]}, events: {written}, batch: {args.batch}")
    print(f"record: {written / write_s:,.0f} events/s ({write_s * 1000 / written:.2f} ms/event)")
    print(f"verify: {result.count / verify_s:,.0f} events/s ({verify_s:.1f} s, ok={result.ok})")


if __name__ == "__main__":
    main()
