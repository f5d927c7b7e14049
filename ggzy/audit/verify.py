"""Checking the chain: in the database (``verify_chain``) or in one archive
file on its own (``verify_archive``). Both stream; memory stays flat."""

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime

from .choices import CheckpointKind
from .hashing import CHAIN_PLAIN, HASHED_FIELDS, chain_version, event_hash_valid, signature_valid
from .models import GENESIS_HASH, AuditChainHead, AuditCheckpoint, AuditEvent

CHUNK = 5000
ROW_FIELDS = ("id", *HASHED_FIELDS, "chain_version", "hash")


@dataclass
class VerifyResult:
    ok: bool
    count: int
    message: str = ""
    broken_id: int | None = None
    broken_time: Any = None
    broken_seq: int | None = None


class _Broken(Exception):
    def __init__(self, row: dict[str, Any] | None, message: str):
        super().__init__(message)
        self.row = row
        self.message = message


def checkpoint_message(seq: int, hash_: str) -> str:
    return f"ggzy-audit-checkpoint:{seq}:{hash_}"


def _check_rows(
    rows: Iterable[dict[str, Any]],
    *,
    prev_seq: int,
    prev_hash: str,
    anchors: dict[int, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield each row after checking it follows its predecessor and hashes right."""
    prev_id = None
    prev_version = CHAIN_PLAIN
    for row in rows:
        if row["seq"] != prev_seq + 1:
            raise _Broken(row, f"序号不连续：期望 {prev_seq + 1}，实际 {row['seq']}（事件被删除或插入）")
        if row["prev_hash"] != prev_hash:
            raise _Broken(row, "前一摘要不匹配（前一事件被修改、删除或插入）")
        if prev_id is not None and row.get("id") is not None and row["id"] <= prev_id:
            raise _Broken(row, "事件ID顺序与序号不一致（乱序插入）")
        version = chain_version(row)
        if version < prev_version:
            # Keyed events are never followed by plain ones: a plain event after a keyed
            # one was written by someone without the key (issue 14 item 9).
            raise _Broken(row, "链版本回退：带密钥的事件之后出现无密钥事件（事件被伪造）")
        if not event_hash_valid(row):
            raise _Broken(row, "摘要不匹配（事件内容被修改或伪造）")
        if anchors and row["seq"] in anchors and anchors[row["seq"]] != row["hash"]:
            raise _Broken(row, "与签名检查点不一致")
        prev_seq, prev_hash, prev_id, prev_version = row["seq"], row["hash"], row.get("id"), version
        yield row


def _describe(row: dict[str, Any] | None) -> tuple[int | None, Any, int | None]:
    if row is None:
        return None, None, None
    return row.get("id"), row.get("time"), row.get("seq")


def verify_chain(*, since: datetime | None = None, chunk_size: int = CHUNK) -> VerifyResult:
    """Walk events by seq; the first one that does not follow is reported.

    Signed checkpoints anchor the chain: each one whose seq is still present
    must match, a purge checkpoint vouches for the first remaining event's
    predecessor, and the newest one must not be beyond the last event.
    """
    checkpoints = list(AuditCheckpoint.objects.order_by("seq", "id").values("seq", "hash", "kind", "mac"))
    for cp in checkpoints:
        if not signature_valid(checkpoint_message(cp["seq"], cp["hash"]), cp["mac"]):
            return VerifyResult(False, 0, f"检查点 #{cp['seq']} 的签名无效（检查点被篡改或密钥不符）")
    anchors = {cp["seq"]: cp["hash"] for cp in checkpoints}

    events = AuditEvent.objects.order_by("seq")
    first = (events.filter(time__gte=since) if since else events).values(*ROW_FIELDS).first()
    if first is None:
        head = AuditChainHead.objects.filter(pk=1).values("seq", "hash").first()
        if since is None and head and head["seq"] > 0:
            purged_to = max(
                (cp["seq"] for cp in checkpoints if cp["kind"] == CheckpointKind.PURGE), default=0
            )
            if purged_to < head["seq"]:
                return VerifyResult(False, 0, f"链头为 #{head['seq']}，但事件表为空（事件被删除）")
        return VerifyResult(True, 0, "没有需要校验的事件")

    start_seq = first["seq"]
    # The first event of the log (seq 1) follows the genesis hash, whether or not
    # a date range was given: there is no event 0 to look for (issue 14 item 8).
    if start_seq > 1:
        # Predecessor: the row before (when verifying from a date) or a signed purge checkpoint.
        before = events.filter(seq=start_seq - 1).values("hash").first()
        if before is not None:
            prev_hash = before["hash"]
        elif anchors.get(start_seq - 1) == first["prev_hash"] and any(
            cp["seq"] == start_seq - 1 and cp["kind"] == CheckpointKind.PURGE for cp in checkpoints
        ):
            prev_hash = first["prev_hash"]
        else:
            id_, time, seq = _describe(first)
            return VerifyResult(
                False, 0, "首个事件之前的事件缺失且无清理检查点（事件被删除）", id_, time, seq
            )
    else:
        prev_hash = GENESIS_HASH

    count = 0
    last: dict[str, Any] | None = None
    rows = events.filter(seq__gte=start_seq).values(*ROW_FIELDS).iterator(chunk_size=chunk_size)
    try:
        for row in _check_rows(rows, prev_seq=start_seq - 1, prev_hash=prev_hash, anchors=anchors):
            count += 1
            last = row
    except _Broken as broken:
        id_, time, seq = _describe(broken.row)
        return VerifyResult(False, count, broken.message, id_, time, seq)

    head = AuditChainHead.objects.filter(pk=1).values("seq", "hash").first()
    if head and (head["seq"], head["hash"]) != (last["seq"], last["hash"]):
        return VerifyResult(
            False,
            count,
            f"最后事件 #{last['seq']} 与链头 #{head['seq']} 不一致（末尾事件被删除或链头被改）",
            last["id"],
            last["time"],
            last["seq"],
        )
    newest = max(anchors, default=0)
    if newest > last["seq"]:
        return VerifyResult(
            False,
            count,
            f"签名检查点 #{newest} 晚于最后事件 #{last['seq']}（末尾事件被删除）",
            last["id"],
            last["time"],
            last["seq"],
        )
    return VerifyResult(True, count, f"已校验 {count} 条事件，链完整")


# --------------------------------------------------------------------------- archives


def manifest_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".manifest.json")


def manifest_message(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "mac"}
    return "ggzy-audit-manifest:" + json.dumps(body, sort_keys=True, separators=(",", ":"))


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def read_archive(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            row["time"] = parse_datetime(row["time"])
            yield row


def verify_archive(path: Path) -> VerifyResult:
    """An archive and its manifest, on their own: file hash, signature, chain, ends."""
    mpath = manifest_path(path)
    if not path.exists() or not mpath.exists():
        return VerifyResult(False, 0, f"归档文件或清单不存在：{path}")
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    if not signature_valid(manifest_message(manifest), manifest.get("mac", "")):
        return VerifyResult(False, 0, "清单签名无效（清单被篡改或密钥不符）")
    if file_sha256(path) != manifest["sha256"]:
        return VerifyResult(False, 0, "归档文件的 SHA-256 与清单不符（文件被修改）")
    count = 0
    last = None
    try:
        for row in _check_rows(
            read_archive(path), prev_seq=manifest["first_seq"] - 1, prev_hash=manifest["first_prev_hash"]
        ):
            count += 1
            last = row
    except _Broken as broken:
        id_, time, seq = _describe(broken.row)
        return VerifyResult(False, count, broken.message, id_, time, seq)
    if count != manifest["count"] or (last and last["hash"] != manifest["last_hash"]):
        return VerifyResult(False, count, "归档条数或末尾摘要与清单不符（事件被删除）")
    return VerifyResult(True, count, f"已校验归档中 {count} 条事件，链完整")
