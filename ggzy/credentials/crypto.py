"""Envelope encryption of the vault's secrets (密码、口令管理制度 一).

Each secret is sealed with its own random data key (AES-256-GCM, or SM4-GCM
for 国密 deployments, ``CREDENTIALS_CIPHER``); the data key is wrapped with a
key derived from the master key (``CREDENTIALS_MASTER_KEY``, from the
environment, never in the database). The wrapped key carries the master key's
id, so a master key can be rotated by re-wrapping the data keys alone
(:func:`rewrap`): the secrets' ciphertext, and their plaintext, are untouched.

Both ciphers are authenticated: a wrong master key, or any change to the
ciphertext, the nonce, the tag, the wrapped key or its key id, raises
:class:`VaultIntegrityError` (or :class:`VaultKeyUnknown`), never garbage. The
associated data binds each ciphertext to its own record (``sealed_id``), so a
ciphertext copied onto another credential does not open either.

gmssl (the audit chain's SM3) offers SM4 in ECB and CBC only; SM4-GCM (RFC
8998) comes from OpenSSL through ``cryptography``, the same library as AES.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = [
    "AES_256_GCM",
    "CIPHERS",
    "SM4_GCM",
    "Keyring",
    "Sealed",
    "VaultError",
    "VaultIntegrityError",
    "VaultKeyUnknown",
    "decode_master_key",
    "key_id",
    "keyring",
    "open_sealed",
    "rewrap",
    "seal",
]

AES_256_GCM = "aes-256-gcm"
SM4_GCM = "sm4-gcm"
# cipher → (data key length, hash of the key derivation)
CIPHERS = {AES_256_GCM: (32, hashes.SHA256), SM4_GCM: (16, hashes.SM3)}
NONCE_BYTES = 12
TAG_BYTES = 16
FORMAT = b"ggzy-credentials/v1"


class VaultError(Exception):
    """A sealed secret cannot be opened. The message names the record, never a secret."""


class VaultKeyUnknown(VaultError):
    pass


class VaultIntegrityError(VaultError):
    pass


def decode_master_key(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) != 32:
        raise ValueError("a master key is 32 bytes")
    return raw


def key_id(master: bytes) -> str:
    """A public fingerprint of a master key, stored beside each wrapped data key."""
    return hmac.new(master, b"ggzy-credentials master key id", hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    """The current master key and the retired ones still accepted for unwrapping."""

    current_id: str
    keys: dict[str, bytes]

    def __repr__(self) -> str:  # never the keys
        return f"Keyring(current={self.current_id}, ids={sorted(self.keys)})"

    @classmethod
    def from_texts(cls, current: str, retired: list[str] | tuple[str, ...] = ()) -> Keyring:
        master = decode_master_key(current)
        keys = {key_id(decode_master_key(text)): decode_master_key(text) for text in retired}
        keys[key_id(master)] = master
        return cls(current_id=key_id(master), keys=keys)

    def wrapping_key(self, kid: str, cipher: str) -> bytes:
        master = self.keys.get(kid)
        if master is None:
            raise VaultKeyUnknown(
                f"the data key was wrapped with master key {kid}, which is not configured "
                "(CREDENTIALS_MASTER_KEY / CREDENTIALS_RETIRED_MASTER_KEYS)"
            )
        length, digest = CIPHERS[cipher]
        return HKDF(
            algorithm=digest(), length=length, salt=None, info=FORMAT + b"/wrap/" + cipher.encode()
        ).derive(master)


def keyring() -> Keyring:
    return Keyring.from_texts(settings.CREDENTIALS_MASTER_KEY, settings.CREDENTIALS_RETIRED_MASTER_KEYS)


@dataclass(frozen=True)
class Sealed:
    """What is stored: cipher, master key id, wrapped data key, and the sealed secret
    (each a 12-byte nonce followed by ciphertext and 16-byte tag)."""

    cipher: str
    key_id: str
    wrapped_key: bytes
    ciphertext: bytes

    def __repr__(self) -> str:
        return f"Sealed({self.cipher}, key={self.key_id}, {len(self.ciphertext)} bytes)"


def _encrypt(cipher: str, key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    if cipher == AES_256_GCM:
        return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def _decrypt(cipher: str, key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise InvalidTag
    nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    if cipher == AES_256_GCM:
        return AESGCM(key).decrypt(nonce, body, aad)
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, body[-TAG_BYTES:])).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body[:-TAG_BYTES]) + decryptor.finalize()


def _secret_aad(cipher: str, sealed_id: str) -> bytes:
    return b"|".join([FORMAT, b"secret", cipher.encode(), sealed_id.encode()])


def _key_aad(cipher: str, kid: str, sealed_id: str) -> bytes:
    return b"|".join([FORMAT, b"key", cipher.encode(), kid.encode(), sealed_id.encode()])


def seal(plaintext: str, *, sealed_id: str, ring: Keyring | None = None, cipher: str | None = None) -> Sealed:
    """Encrypt ``plaintext`` under a fresh data key wrapped by the current master key."""
    ring = ring or keyring()
    cipher = cipher or settings.CREDENTIALS_CIPHER
    if cipher not in CIPHERS:
        raise VaultError(f"unknown cipher {cipher!r}")
    data_key = os.urandom(CIPHERS[cipher][0])
    ciphertext = _encrypt(cipher, data_key, plaintext.encode(), _secret_aad(cipher, sealed_id))
    wrapped = _encrypt(
        cipher,
        ring.wrapping_key(ring.current_id, cipher),
        data_key,
        _key_aad(cipher, ring.current_id, sealed_id),
    )
    return Sealed(cipher=cipher, key_id=ring.current_id, wrapped_key=wrapped, ciphertext=ciphertext)


def _unwrap(sealed: Sealed, *, sealed_id: str, ring: Keyring) -> bytes:
    if sealed.cipher not in CIPHERS:
        raise VaultIntegrityError(f"secret {sealed_id}: unknown cipher {sealed.cipher!r}")
    wrapping = ring.wrapping_key(sealed.key_id, sealed.cipher)
    try:
        return _decrypt(
            sealed.cipher,
            wrapping,
            bytes(sealed.wrapped_key),
            _key_aad(sealed.cipher, sealed.key_id, sealed_id),
        )
    except InvalidTag:
        raise VaultIntegrityError(
            f"secret {sealed_id}: the data key does not authenticate (wrong master key, or the wrapped "
            "key or its key id was altered)"
        ) from None


def open_sealed(sealed: Sealed, *, sealed_id: str, ring: Keyring | None = None) -> str:
    """The plaintext; VaultKeyUnknown / VaultIntegrityError instead of anything unauthenticated."""
    ring = ring or keyring()
    data_key = _unwrap(sealed, sealed_id=sealed_id, ring=ring)
    try:
        plaintext = _decrypt(
            sealed.cipher, data_key, bytes(sealed.ciphertext), _secret_aad(sealed.cipher, sealed_id)
        )
    except InvalidTag:
        raise VaultIntegrityError(
            f"secret {sealed_id}: the ciphertext does not authenticate (altered ciphertext, nonce or tag, "
            "or it belongs to another record)"
        ) from None
    return plaintext.decode()


def rewrap(sealed: Sealed, *, sealed_id: str, ring: Keyring | None = None) -> Sealed:
    """The same sealed secret with its data key wrapped by the current master key.
    Only the data key is unwrapped; the secret's ciphertext is kept as it is."""
    ring = ring or keyring()
    data_key = _unwrap(sealed, sealed_id=sealed_id, ring=ring)
    wrapped = _encrypt(
        sealed.cipher,
        ring.wrapping_key(ring.current_id, sealed.cipher),
        data_key,
        _key_aad(sealed.cipher, ring.current_id, sealed_id),
    )
    return Sealed(
        cipher=sealed.cipher, key_id=ring.current_id, wrapped_key=wrapped, ciphertext=sealed.ciphertext
    )
