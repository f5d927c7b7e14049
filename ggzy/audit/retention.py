"""Archive and retention (网络安全管理办法 五(四): back logs up regularly; keep
them more than 3 months — ggzy keeps 180 days by default, the Cybersecurity
Law's six months)."""

import gzip
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .choices import CheckpointKind
from .guard import allow_purge
from .hashing import sign, time_text
from .models import AuditChainHead, AuditCheckpoint, AuditEvent
from .services import checkpoint_create, record
from .verify import CHUNK, ROW_FIELDS, checkpoint_message, file_sha256, manifest_message, manifest_path


@dataclass
class ArchiveResult:
    path: Path | None
    count: int
    first_seq: int | None = None
    last_seq: int | None = None


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """``YYYY-MM`` in the center's time zone, as [start, end)."""
    try:
        year, mon = (int(part) for part in month.split("-"))
        first = date(year, mon, 1)
    except ValueError as exc:
        raise ValueError(f"month must be YYYY-MM, got {month!r}") from exc
    following = date(year + (mon == 12), mon % 12 + 1, 1)
    tz = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(first, datetime.min.time()), tz),
        timezone.make_aware(datetime.combine(following, datetime.min.time()), tz),
    )


def _write_archive(events: QuerySet, out: Path) -> ArchiveResult:
    """Stream events (by seq) into gzip JSON lines plus a signed manifest."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    count = 0
    first: dict[str, Any] | None = None
    last: dict[str, Any] | None = None
    with gzip.open(tmp, "wt", encoding="utf-8") as handle:
        for row in events.order_by("seq").values(*ROW_FIELDS).iterator(chunk_size=CHUNK):
            row["time"] = time_text(row["time"])
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder) + "\n")
            first = first or row
            last = row
            count += 1
    if count == 0:
        tmp.unlink()
        return ArchiveResult(None, 0)
    os.replace(tmp, out)
    head = AuditChainHead.objects.filter(pk=1).values("seq", "hash").first() or {"seq": 0, "hash": ""}
    manifest = {
        "file": out.name,
        "sha256": file_sha256(out),
        "count": count,
        "first_seq": first["seq"],
        "last_seq": last["seq"],
        "first_prev_hash": first["prev_hash"],
        "last_hash": last["hash"],
        "chain_head_seq": head["seq"],
        "chain_head_hash": head["hash"],
        "created_at": time_text(timezone.now()),
    }
    manifest["mac"] = sign(manifest_message(manifest))
    manifest_path(out).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return ArchiveResult(out, count, first["seq"], last["seq"])


def audit_export(*, month: str, out_dir: Path, actor=None) -> ArchiveResult:
    """One month of events into ``audit-YYYY-MM.jsonl.gz`` (+ manifest); recorded."""
    start, end = month_bounds(month)
    result = _write_archive(
        AuditEvent.objects.filter(time__gte=start, time__lt=end), Path(out_dir) / f"audit-{month}.jsonl.gz"
    )
    with transaction.atomic():
        checkpoint_create(kind=CheckpointKind.EXPORT)
        record(
            action="audit.log.exported",
            actor=actor,
            object_type="audit.archive",
            object_repr=str(result.path or ""),
            month=month,
            count=result.count,
            first_seq=result.first_seq,
            last_seq=result.last_seq,
        )
    return result


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def audit_purge(
    *, out_dir: Path | None = None, dry_run: bool = False, now: datetime | None = None
) -> ArchiveResult:
    """Archive, checkpoint, then delete events older than retention, oldest first.

    Only a prefix of the chain is removed (every seq up to the newest expired
    event), so the first remaining event's predecessor is vouched for by the
    purge checkpoint signed just before the delete.
    """
    cutoff = retention_cutoff(now)
    out_dir = Path(out_dir or settings.AUDIT_ARCHIVE_DIR)
    with transaction.atomic():
        last_seq = (
            AuditEvent.objects.filter(time__lt=cutoff).order_by("-seq").values_list("seq", flat=True).first()
        )
        if last_seq is None:
            return ArchiveResult(None, 0)
        doomed = AuditEvent.objects.filter(seq__lte=last_seq)
        first_seq = doomed.order_by("seq").values_list("seq", flat=True).first()
        if dry_run:
            return ArchiveResult(None, doomed.count(), first_seq, last_seq)
        archive = _write_archive(doomed, out_dir / f"audit-purge-{first_seq:012d}-{last_seq:012d}.jsonl.gz")
        # The purge checkpoint names the last purged event (the anchor of what remains).
        last_hash = AuditEvent.objects.values_list("hash", flat=True).get(seq=last_seq)
        AuditCheckpoint.objects.create(
            seq=last_seq,
            hash=last_hash,
            kind=CheckpointKind.PURGE,
            mac=sign(checkpoint_message(last_seq, last_hash)),
        )
        checkpoint_create(kind=CheckpointKind.PERIODIC)
        with allow_purge():
            deleted = 0
            low = first_seq
            while low <= last_seq:
                high = min(low + CHUNK - 1, last_seq)
                deleted += AuditEvent.objects.filter(seq__gte=low, seq__lte=high).delete()[0]
                low = high + 1
        record(
            action="audit.log.purged",
            object_type="audit.archive",
            object_repr=str(archive.path),
            count=deleted,
            first_seq=first_seq,
            last_seq=last_seq,
            retention_days=settings.AUDIT_RETENTION_DAYS,
        )
    return ArchiveResult(archive.path, deleted, first_seq, last_seq)
