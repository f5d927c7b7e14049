"""The vault's envelope encryption (密码、口令管理制度 一): authenticated, so a
wrong key or any tampering fails loudly; master key rotation re-wraps data keys."""

import secrets
import uuid

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ggzy.credentials import crypto
from ggzy.credentials.crypto import (
    AES_256_GCM,
    SM4_GCM,
    Keyring,
    Sealed,
    VaultIntegrityError,
    VaultKeyUnknown,
    open_sealed,
    rewrap,
    seal,
)

PASSWORD = "Srv#2026-Core!Switch-9x"


def new_key() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture
def ring():
    return Keyring.from_texts(new_key())


def flip(blob: bytes, index: int) -> bytes:
    data = bytearray(blob)
    data[index] ^= 0x01
    return bytes(data)


@pytest.mark.parametrize("cipher", [AES_256_GCM, SM4_GCM])
def test_round_trip_with_each_cipher(ring, cipher):
    sid = str(uuid.uuid4())
    sealed = seal(PASSWORD, sealed_id=sid, ring=ring, cipher=cipher)
    assert sealed.cipher == cipher and sealed.key_id == ring.current_id
    assert PASSWORD.encode() not in sealed.ciphertext and PASSWORD.encode() not in sealed.wrapped_key
    assert open_sealed(sealed, sealed_id=sid, ring=ring) == PASSWORD
    # A fresh data key and nonce each time: the same password never seals the same way.
    assert seal(PASSWORD, sealed_id=sid, ring=ring, cipher=cipher).ciphertext != sealed.ciphertext


def test_sm4_gcm_is_the_standard_cipher():
    """RFC 8998 appendix A.2 (SM4-GCM test vector): the 国密 option is real SM4-GCM."""
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    iv = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plain = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(iv)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plain) + encryptor.finalize()
    assert body.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    assert encryptor.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"
    # ... and the vault's own helper produces what decrypts with it.
    blob = iv + body + encryptor.tag
    assert crypto._decrypt(SM4_GCM, key, blob, aad) == plain


@pytest.mark.parametrize("cipher", [AES_256_GCM, SM4_GCM])
def test_wrong_master_key_fails_loudly(ring, cipher):
    sid = str(uuid.uuid4())
    sealed = seal(PASSWORD, sealed_id=sid, ring=ring, cipher=cipher)
    other = Keyring.from_texts(new_key())
    # Another key under the same id (as if the environment held the wrong value).
    impostor = Keyring(current_id=ring.current_id, keys={ring.current_id: other.keys[other.current_id]})
    with pytest.raises(VaultIntegrityError, match="wrong master key"):
        open_sealed(sealed, sealed_id=sid, ring=impostor)
    with pytest.raises(VaultKeyUnknown, match="not configured"):
        open_sealed(sealed, sealed_id=sid, ring=other)


@pytest.mark.parametrize("cipher", [AES_256_GCM, SM4_GCM])
@pytest.mark.parametrize(
    "part,index",
    [
        ("ciphertext", 0),  # the nonce
        ("ciphertext", 14),  # the body
        ("ciphertext", -1),  # the tag
        ("wrapped_key", 3),  # the wrapped key's nonce
        ("wrapped_key", 20),  # the wrapped data key
        ("wrapped_key", -2),  # its tag
    ],
)
def test_any_tampering_fails_loudly(ring, cipher, part, index):
    sid = str(uuid.uuid4())
    sealed = seal(PASSWORD, sealed_id=sid, ring=ring, cipher=cipher)
    tampered = Sealed(**{**sealed.__dict__, part: flip(getattr(sealed, part), index)})
    with pytest.raises(VaultIntegrityError, match="does not authenticate"):
        open_sealed(tampered, sealed_id=sid, ring=ring)


def test_tampered_key_id_cipher_truncation_or_another_record_fail(ring):
    sid = str(uuid.uuid4())
    sealed = seal(PASSWORD, sealed_id=sid, ring=ring)
    with pytest.raises(VaultKeyUnknown):
        open_sealed(Sealed(**{**sealed.__dict__, "key_id": "0" * 16}), sealed_id=sid, ring=ring)
    with pytest.raises(VaultIntegrityError):
        open_sealed(Sealed(**{**sealed.__dict__, "cipher": SM4_GCM}), sealed_id=sid, ring=ring)
    with pytest.raises(VaultIntegrityError):
        open_sealed(Sealed(**{**sealed.__dict__, "cipher": "rot13"}), sealed_id=sid, ring=ring)
    with pytest.raises(VaultIntegrityError):
        open_sealed(
            Sealed(**{**sealed.__dict__, "ciphertext": sealed.ciphertext[:10]}), sealed_id=sid, ring=ring
        )
    # The ciphertext is bound to its record: copied onto another one, it does not open.
    with pytest.raises(VaultIntegrityError):
        open_sealed(sealed, sealed_id=str(uuid.uuid4()), ring=ring)


@pytest.mark.parametrize("cipher", [AES_256_GCM, SM4_GCM])
def test_rewrap_moves_the_data_key_to_the_new_master_key_only(cipher):
    old_text, new_text = new_key(), new_key()
    old = Keyring.from_texts(old_text)
    sid = str(uuid.uuid4())
    sealed = seal(PASSWORD, sealed_id=sid, ring=old, cipher=cipher)
    rotated = Keyring.from_texts(new_text, [old_text])
    moved = rewrap(sealed, sealed_id=sid, ring=rotated)
    assert moved.key_id == rotated.current_id != sealed.key_id
    assert moved.ciphertext == sealed.ciphertext  # the secret itself is not re-encrypted
    assert moved.wrapped_key != sealed.wrapped_key
    # Once re-wrapped, the old key is no longer needed.
    assert open_sealed(moved, sealed_id=sid, ring=Keyring.from_texts(new_text)) == PASSWORD
    with pytest.raises(VaultKeyUnknown):
        open_sealed(sealed, sealed_id=sid, ring=Keyring.from_texts(new_text))


def test_nothing_secret_in_repr(ring):
    sealed = seal(PASSWORD, sealed_id="x", ring=ring)
    for text in (repr(sealed), repr(ring), str(ring)):
        assert PASSWORD not in text
        assert all(key.hex() not in text for key in ring.keys.values())
    assert "bytes" in repr(sealed)


def test_a_master_key_must_be_32_bytes():
    with pytest.raises(ValueError):
        crypto.decode_master_key(secrets.token_urlsafe(16))
