"""The chain's digest: SHA-256 by default, SM3 (GB/T 32905) with AUDIT_HASH=sm3.

The chain is versioned per event (``chain_version``, issue 14 item 9):

- version 1, the events written before the chain was keyed: a plain digest.
  Anyone with write access to the database could recompute it and append
  well-formed events after the last checkpoint;
- version 2, every event written since: HMAC-SHA256 (or HMAC-SM3 with
  AUDIT_HASH=sm3) keyed with AUDIT_HMAC_KEY, which never lives in the
  database, over the same fields plus ``chain_version``. A version-1 event
  after a version-2 one is a forgery (the verifier refuses the downgrade).
"""

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from ggzy.core.validators import storable_text

ALGORITHMS = ("sha256", "sm3")

# Fields the hash covers, in the order they are serialised.
HASHED_FIELDS = (
    "seq",
    "time",
    "actor_username",
    "ip",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "before",
    "after",
    "extra",
    "hash_alg",
    "prev_hash",
)

# Secrets are never recorded: keys that look like credentials are dropped.
_SECRET_KEY = re.compile(
    r"passw|passwd|pwd|token|secret|otp|api_?key|private_?key|salt|hmac|credential|session_?key|sessionid",
    re.IGNORECASE,
)


def scrub(value: Any) -> Any:
    """JSON-safe copy of ``value`` without secret-looking keys, at any depth."""
    if isinstance(value, dict):
        return {storable_text(str(k)): scrub(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [scrub(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    plain = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return storable_text(plain) if isinstance(plain, str) else plain


def time_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any], extra: tuple[str, ...] = ()) -> bytes:
    payload = {name: fields[name] for name in (*HASHED_FIELDS, *extra)}
    payload["time"] = time_text(payload["time"]) if isinstance(payload["time"], datetime) else payload["time"]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(data: bytes, alg: str) -> str:
    if alg == "sha256":
        return hashlib.sha256(data).hexdigest()
    if alg == "sm3":
        from gmssl import func, sm3

        return sm3.sm3_hash(func.bytes_to_list(data))
    raise ValueError(f"unknown audit hash algorithm {alg!r}")


CHAIN_PLAIN = 1
CHAIN_KEYED = 2
CURRENT_CHAIN_VERSION = CHAIN_KEYED
_BLOCK = 64  # SHA-256 and SM3 both hash 64-byte blocks


def keyed_digest(key: bytes, data: bytes, alg: str) -> str:
    """HMAC (RFC 2104) with SHA-256 or SM3 (GB/T 15852.2 names HMAC-SM3 the same way)."""
    if alg == "sha256":
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    if alg != "sm3":
        raise ValueError(f"unknown audit hash algorithm {alg!r}")
    if len(key) > _BLOCK:
        key = bytes.fromhex(digest(key, "sm3"))
    key = key.ljust(_BLOCK, b"\0")
    inner = bytes.fromhex(digest(bytes(b ^ 0x36 for b in key) + data, "sm3"))
    return digest(bytes(b ^ 0x5C for b in key) + inner, "sm3")


def chain_version(fields: dict[str, Any]) -> int:
    return int(fields.get("chain_version") or CHAIN_PLAIN)


def event_hash(fields: dict[str, Any], key: str | None = None) -> str:
    """The event's digest for its chain version (keyed with ``key``, default AUDIT_HMAC_KEY)."""
    if chain_version(fields) == CHAIN_PLAIN:
        return digest(canonical(fields), fields["hash_alg"])
    data = canonical(fields, extra=("chain_version",))
    return keyed_digest((key or settings.AUDIT_HMAC_KEY).encode(), data, fields["hash_alg"])


def event_hash_valid(fields: dict[str, Any]) -> bool:
    """The stored hash is right: plain for version 1, keyed with the current or a retired key."""
    stored = fields.get("hash") or ""
    if chain_version(fields) == CHAIN_PLAIN:
        return hmac.compare_digest(event_hash(fields), stored)
    keys = [settings.AUDIT_HMAC_KEY, *getattr(settings, "AUDIT_HMAC_RETIRED_KEYS", [])]
    return any(hmac.compare_digest(event_hash(fields, key), stored) for key in keys)


def current_algorithm() -> str:
    return getattr(settings, "AUDIT_HASH", "sha256")


def sign(message: str, key: str | None = None) -> str:
    """HMAC-SHA256 with the key kept outside the database (AUDIT_HMAC_KEY)."""
    key = key or settings.AUDIT_HMAC_KEY
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def signature_valid(message: str, mac: str) -> bool:
    """Signed with the current key or a retired one (key rotation)."""
    keys = [settings.AUDIT_HMAC_KEY, *getattr(settings, "AUDIT_HMAC_RETIRED_KEYS", [])]
    return any(hmac.compare_digest(sign(message, key), mac or "") for key in keys)
