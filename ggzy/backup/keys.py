"""The keys ggzy keeps outside its database (SECRET_KEY, the site manifest key, the
audit HMAC key, the credential vault's master key), wrapped for the snapshot with a
key derived from BACKUP_PASSWORD (scrypt → AES-256-GCM, the ``cryptography``
package), so that the archive alone never exposes them (应急预案 第十二条)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

FORMAT = "ggzy-backup-keys-1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1

# Setting → the file name ``_local_key`` reads it from in local/test mode (config/settings.py).
KEY_SETTINGS = {
    "SECRET_KEY": "secret_key",
    "SITE_MANIFEST_KEY": "site_manifest_key",
    "AUDIT_HMAC_KEY": "audit_hmac_key",
    "CREDENTIALS_MASTER_KEY": "credentials_master_key",
}
LIST_SETTINGS = ("AUDIT_HMAC_RETIRED_KEYS", "CREDENTIALS_RETIRED_MASTER_KEYS")


class KeyUnwrapError(Exception):
    pass


def current_keys() -> dict[str, object]:
    keys: dict[str, object] = {name: getattr(settings, name) for name in KEY_SETTINGS}
    for name in LIST_SETTINGS:
        keys[name] = list(getattr(settings, name, []) or [])
    return keys


def _derive(password: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(password.encode("utf-8"))


def wrap(keys: dict[str, object], password: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(password, salt)).encrypt(
        nonce, json.dumps(keys, sort_keys=True).encode("utf-8"), FORMAT.encode()
    )
    envelope = {
        "format": FORMAT,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "cipher": "aes-256-gcm",
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(sealed).decode(),
        "names": sorted(keys),
    }
    return json.dumps(envelope, indent=1).encode("utf-8")


def unwrap(data: bytes, password: str) -> dict[str, object]:
    try:
        envelope = json.loads(data)
        if envelope.get("format") != FORMAT:
            raise KeyUnwrapError(f"unknown key envelope format {envelope.get('format')!r}")
        kdf = envelope["kdf"]
        key = Scrypt(
            salt=base64.b64decode(envelope["salt"]), length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]
        ).derive(password.encode("utf-8"))
        plain = AESGCM(key).decrypt(
            base64.b64decode(envelope["nonce"]), base64.b64decode(envelope["ciphertext"]), FORMAT.encode()
        )
    except InvalidTag as exc:
        raise KeyUnwrapError("the wrapped keys do not open with this BACKUP_PASSWORD") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyUnwrapError(f"the wrapped keys file is damaged ({exc})") from exc
    return json.loads(plain)


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def write_restored(keys: dict[str, object], var_dir: Path) -> None:
    """The keys as ggzy reads them: one file per key in ``var/`` (local mode) and
    ``keys.env`` (environment lines for production), all mode 0600."""
    var_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    lines = []
    for name, filename in KEY_SETTINGS.items():
        if keys.get(name):
            _write_secret(var_dir / filename, str(keys[name]))
            lines.append(f"{name}={keys[name]}")
    for name in LIST_SETTINGS:
        if keys.get(name):
            lines.append(f"{name}={','.join(keys[name])}")
    _write_secret(var_dir / "keys.env", "\n".join(lines) + "\n")


def environment(keys: dict[str, object]) -> dict[str, str]:
    env = {name: str(keys[name]) for name in KEY_SETTINGS if keys.get(name)}
    for name in LIST_SETTINGS:
        env[name] = ",".join(keys.get(name) or [])
    return env
