"""Measure audit recording (events/s) and chain verification throughput.

Runs against a throw-away database in a temporary directory (never the real
one): ``make bench`` or ``python scripts/audit_bench.py --events 100000``.
Set DATABASE_URL to a scratch PostgreSQL database to measure there instead.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1, help="events per transaction")
    parser.add_argument(
        "--bulk",
        type=int,
        default=0,
        help="first add this many correctly chained events with bulk_create (fast), to verify at scale",
    )
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

    call_command("migrate", "audit", verbosity=0)
    if args.bulk:
        bulk_started = time.perf_counter()
        _bulk_chain(args.bulk)
        print(f"bulk: {args.bulk:,} chained events in {time.perf_counter() - bulk_started:.0f} s")
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
    print(
        f"verify: {result.count:,} events, {result.count / verify_s:,.0f} events/s"
        f" ({verify_s:.1f} s, ok={result.ok})"
    )
    shutil.rmtree(scratch, ignore_errors=True)


def _bulk_chain(n: int, chunk: int = 20_000) -> None:
    """Append n events the way record() would hash them, but in bulk."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from ggzy.audit.hashing import event_hash
    from ggzy.audit.models import AuditChainHead, AuditEvent

    head, _ = AuditChainHead.objects.get_or_create(pk=1)
    seq, prev = head.seq, head.hash
    start = timezone.now() - timedelta(days=30)
    done = 0
    while done < n:
        rows = []
        for _ in range(min(chunk, n - done)):
            seq += 1
            fields = {
                "seq": seq,
                "time": start + timedelta(milliseconds=seq),
                "actor_username": "bench",
                "ip": "10.0.0.1",
                "request_id": f"r{seq}",
                "action": "bench.thing.done",
                "object_type": "bench.thing",
                "object_id": str(seq),
                "object_repr": f"条目 {seq}",
                "outcome": "success",
                "before": None,
                "after": {"n": seq, "title": "焦作市公共资源交易中心"},
                "extra": {},
                "hash_alg": "sha256",
                "prev_hash": prev,
            }
            fields["hash"] = prev = event_hash(fields)
            rows.append(AuditEvent(**fields))
        with transaction.atomic():
            AuditEvent.objects.bulk_create(rows)
            AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        done += len(rows)


if __name__ == "__main__":
    main()
