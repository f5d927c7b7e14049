"""The signed manifest of the publish root (网页防篡改).

Every published file with its SHA-256, size and source (the page or asset it
comes from), signed with HMAC-SHA256. Key and manifest live outside the publish
root (网络安全管理办法 二(十一), 网络信息安全故障应急预案 第六条): whoever can
write the public files can neither forge the manifest nor learn the key.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .files import atomic_write

VERSION = 1


class ManifestError(Exception):
    """The manifest is missing, unreadable or its signature does not match."""


class ManifestMissing(ManifestError):
    """No manifest yet: the site was never built into this root."""


@dataclass
class Manifest:
    files: dict[str, dict] = field(default_factory=dict)  # relative path -> {sha256, size, source}
    generated_at: str = ""

    def paths_by_page(self) -> dict[int, set[str]]:
        """Page id → the files it publishes (its list pages and, for a column, its feed)."""
        result: dict[int, set[str]] = {}
        for path, entry in self.files.items():
            kind, _, rest = entry["source"].partition(":")
            if kind in ("page", "feed"):
                result.setdefault(int(rest.split(":")[0]), set()).add(path)
        return result


def manifest_path(root: Path) -> Path:
    """The configured manifest for PUBLISH_ROOT; for another root (build_site
    --out DIR) a sibling ``DIR-manifest.json``, likewise outside the root."""
    root = Path(root)
    if root.resolve() == Path(settings.PUBLISH_ROOT).resolve():
        return Path(settings.SITE_MANIFEST_PATH)
    return root.resolve().parent / f"{root.resolve().name}-manifest.json"


def lock_path(root: Path) -> Path:
    path = manifest_path(root)
    return path.with_name(path.name + ".lock")


def _canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sign(data: bytes) -> str:
    return hmac.new(settings.SITE_MANIFEST_KEY.encode("utf-8"), data, hashlib.sha256).hexdigest()


def save_manifest(root: Path, manifest: Manifest) -> Path:
    manifest.generated_at = timezone.now().isoformat()
    body = _canonical({"version": VERSION, "generated_at": manifest.generated_at, "files": manifest.files})
    signature = _sign(body)
    path = manifest_path(root)
    atomic_write(path, b'{"hmac_sha256":"' + signature.encode() + b'","manifest":' + body + b"}", mode=0o600)
    return path


def load_manifest(root: Path) -> Manifest:
    path = manifest_path(root)
    try:
        raw = json.loads(path.read_bytes())
        signature = raw["hmac_sha256"]
        body = raw["manifest"]
    except FileNotFoundError as exc:
        raise ManifestMissing(f"manifest missing: {path}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"manifest unreadable: {path}") from exc
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _sign(_canonical(body))):
        raise ManifestError(f"manifest signature does not match: {path}")
    if body.get("version") != VERSION:
        raise ManifestError(f"manifest version {body.get('version')!r} unknown: {path}")
    return Manifest(files=body["files"], generated_at=body.get("generated_at", ""))


def entry(data: bytes, source: str) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "source": source}
