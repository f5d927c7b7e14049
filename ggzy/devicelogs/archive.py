"""Archive, verify and purge (网络安全管理办法 五(四) 定期对日志文件进行备份。日志文件保存
时间应在3个月以上).

Each closed day of each source is gzip-compressed into DEVICELOG_ARCHIVE_DIR
and appended to a hash chain like the audit archive: the archive's description
(seq, source, day, file digest, size, lines, prev_hash) is HMAC-ed with
AUDIT_HMAC_KEY through ``ggzy.audit.hashing`` (SHA-256, or SM3 with AUDIT_HASH).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ggzy.audit import services as audit
from ggzy.audit.hashing import current_algorithm, keyed_digest
from ggzy.audit.models import GENESIS_HASH
from ggzy.audit.verify import file_sha256

from .models import DayArchive, LogFile, LogLine


def archive_message(fields: dict) -> bytes:
    payload = {
        "seq": fields["seq"],
        "host": fields["host"],
        "day": fields["day"].isoformat() if isinstance(fields["day"], dt.date) else fields["day"],
        "file_name": fields["file_name"],
        "sha256": fields["sha256"],
        "size": fields["size"],
        "lines": fields["lines"],
        "hash_alg": fields["hash_alg"],
        "prev_hash": fields["prev_hash"],
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def archive_hash(fields: dict, key: str | None = None) -> str:
    return keyed_digest(
        (key or settings.AUDIT_HMAC_KEY).encode(), archive_message(fields), fields["hash_alg"]
    )


def _hash_valid(fields: dict) -> bool:
    keys = [settings.AUDIT_HMAC_KEY, *getattr(settings, "AUDIT_HMAC_RETIRED_KEYS", [])]
    return any(hmac.compare_digest(archive_hash(fields, key), fields["hash"]) for key in keys)


# --------------------------------------------------------------------------- archive


@dataclass
class ArchiveResult:
    archived: list[DayArchive] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _compress(source: Path, target: Path) -> tuple[int, int]:
    """gzip ``source`` into ``target`` (via a .part file); (bytes, lines) of the source."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    size = lines = 0
    with open(source, "rb") as src, gzip.open(tmp, "wb", compresslevel=6) as dst:
        for block in iter(lambda: src.read(1 << 20), b""):
            dst.write(block)
            size += len(block)
            lines += block.count(b"\n")
    os.replace(tmp, target)
    return size, lines


def _append(log_file: LogFile, source: Path, out_dir: Path) -> DayArchive:
    name = f"{log_file.host}/{log_file.day:%Y-%m-%d}.log.gz"
    size, lines = _compress(source, out_dir / name)
    last = DayArchive.objects.select_for_update().order_by("-seq").values("seq", "hash").first()
    fields = {
        "seq": (last["seq"] if last else 0) + 1,
        "host": log_file.host,
        "day": log_file.day,
        "file_name": name,
        "sha256": file_sha256(out_dir / name),
        "size": size,
        "lines": lines,
        "hash_alg": current_algorithm(),
        "prev_hash": last["hash"] if last else GENESIS_HASH,
    }
    fields["hash"] = archive_hash(fields)
    return DayArchive.objects.create(device_id=log_file.device_id, **fields)


def archive_closed_days(
    *, root: Path | None = None, out_dir: Path | None = None, now: dt.datetime | None = None
) -> ArchiveResult:
    """Index what is left of every day before today, then compress and chain it; the
    collector's file is removed once its archive is committed."""
    root = Path(root or settings.DEVICELOG_DIR)
    out_dir = Path(out_dir or settings.DEVICELOG_ARCHIVE_DIR)
    today = timezone.localdate(now or timezone.now())
    from .services import index_and_alert

    index_and_alert(root=root)
    result = ArchiveResult()
    for log_file in LogFile.objects.filter(archived_at__isnull=True, day__lt=today).order_by("day", "host"):
        source = root / log_file.relpath
        if not source.is_file():
            result.missing.append(log_file.relpath)
            continue
        with transaction.atomic():
            archive = _append(log_file, source, out_dir)
            log_file.archived_at = timezone.now()
            log_file.save(update_fields=["archived_at"])
            audit.record(
                action="devicelogs.log.archived",
                obj=archive,
                host=log_file.host,
                day=log_file.day.isoformat(),
                lines=archive.lines,
                sha256=archive.sha256,
                seq=archive.seq,
            )
            transaction.on_commit(lambda path=source: path.unlink(missing_ok=True))
        result.archived.append(archive)
    return result


# --------------------------------------------------------------------------- verify


@dataclass
class VerifyResult:
    ok: bool
    count: int
    message: str = ""


def verify_archives(*, out_dir: Path | None = None) -> VerifyResult:
    """Walk the chain by seq: each archive follows its predecessor and hashes right,
    and each file not yet purged is there with its recorded digest."""
    out_dir = Path(out_dir or settings.DEVICELOG_ARCHIVE_DIR)
    prev_seq, prev_hash, count = 0, GENESIS_HASH, 0
    columns = ("seq", "host", "day", "file_name", "sha256", "size", "lines", "hash_alg", "prev_hash", "hash")
    for row in DayArchive.objects.order_by("seq").values(*columns, "purged_at").iterator(chunk_size=2000):
        where = f"{row['file_name']} (#{row['seq']})"
        if row["seq"] != prev_seq + 1:
            return VerifyResult(
                False, count, f"{where}: seq gap, expected {prev_seq + 1} (an archive was removed)"
            )
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, count, f"{where}: prev_hash does not match the previous archive")
        if not _hash_valid(row):
            return VerifyResult(False, count, f"{where}: hash mismatch (the record was altered)")
        if row["purged_at"] is None:
            path = out_dir / row["file_name"]
            if not path.is_file():
                return VerifyResult(False, count, f"{where}: archive file is missing")
            if file_sha256(path) != row["sha256"]:
                return VerifyResult(
                    False, count, f"{where}: archive file digest differs (file replaced or edited)"
                )
        prev_seq, prev_hash = row["seq"], row["hash"]
        count += 1
    return VerifyResult(True, count, f"OK: verified {count} archives")


# --------------------------------------------------------------------------- purge


@dataclass
class PurgeResult:
    cutoff: dt.date
    files: int = 0
    lines: int = 0
    archives: int = 0


def retention_cutoff(now: dt.datetime | None = None) -> dt.date:
    """Days before this one are past retention (DEVICELOG_RETENTION_DAYS)."""
    return timezone.localdate(now or timezone.now()) - dt.timedelta(days=settings.DEVICELOG_RETENTION_DAYS)


def purge_expired(
    *,
    root: Path | None = None,
    out_dir: Path | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> PurgeResult:
    """Delete index rows, collector files and archive files of days past retention;
    the archive rows stay (marked purged) so the chain stays verifiable."""
    root = Path(root or settings.DEVICELOG_DIR)
    out_dir = Path(out_dir or settings.DEVICELOG_ARCHIVE_DIR)
    cutoff = retention_cutoff(now)
    files = list(LogFile.objects.filter(day__lt=cutoff).values_list("pk", "host", "day", "lines"))
    archives = list(
        DayArchive.objects.filter(day__lt=cutoff, purged_at__isnull=True).values_list("pk", "file_name")
    )
    result = PurgeResult(cutoff, files=len(files), lines=sum(f[3] for f in files), archives=len(archives))
    if dry_run or not (files or archives):
        return result
    doomed: list[Path] = []
    with transaction.atomic():
        for pk, host, day, _lines in files:
            LogLine.objects.filter(file_id=pk).delete()  # one DELETE (no dependants: fast delete)
            doomed.append(root / host / f"{day:%Y-%m-%d}.log")
        LogFile.objects.filter(pk__in=[f[0] for f in files]).delete()
        DayArchive.objects.filter(pk__in=[a[0] for a in archives]).update(purged_at=timezone.now())
        doomed += [out_dir / name for _pk, name in archives]
        audit.record(
            action="devicelogs.log.purged",
            object_type="devicelogs.archive",
            object_repr=f"< {cutoff.isoformat()}",
            cutoff=cutoff.isoformat(),
            files=result.files,
            lines=result.lines,
            archives=result.archives,
            retention_days=settings.DEVICELOG_RETENTION_DAYS,
        )
        transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in doomed])
    return result
