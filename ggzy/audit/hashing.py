"""The chain's digest: SHA-256 by default, SM3 (GB/T 32905) with AUDIT_HASH=sm3."""

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

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
        return {str(k): scrub(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [scrub(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def time_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> bytes:
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["time"] = time_text(payload["time"]) if isinstance(payload["time"], datetime) else payload["time"]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(data: bytes, alg: str) -> str:
    if alg == "sha256":
        return hashlib.sha256(data).hexdigest()
    if alg == "sm3":
        from gmssl import func, sm3

        return sm3.sm3_hash(func.bytes_to_list(data))
    raise ValueError(f"unknown audit hash algorithm {alg!r}")


def event_hash(fields: dict[str, Any]) -> str:
    return digest(canonical(fields), fields["hash_alg"])


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
