"""Encryption at rest: AES-256-GCM under keys that never touch the database.

Two uses, one key management:

- **Secrets** (an authenticator app's TOTP secret, the OIDC client secret): ``secret_encrypt``
  seals the text directly under the current master key and returns ``enc1:<key id>:<base64>``;
  ``secret_decrypt`` opens it with whichever master key made it.
- **Crypto-shredding** (intervision case text): each case and each session gets its own random
  data key, stored *wrapped* (``data_key_wrap``) in a table of its own. The text is sealed under
  the data key (``seal``/``unseal``); deleting the key row makes every copy of the ciphertext
  (dead tuples, WAL, backups) unreadable.

The master keys come from ``FIELD_ENCRYPTION_KEY`` (the current one) and
``FIELD_ENCRYPTION_KEY_FALLBACKS`` (older ones, still accepted for reading); without them they are
derived from ``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``. Every key string is stretched with
HKDF-SHA256, so any long random string will do. Rotation: put the new key first, the old one in
the fallbacks, run ``manage.py encryption_rotate`` (re-wraps and re-seals everything under the new
key), then drop the old one. The associated data (``purpose``) binds a ciphertext to its column,
so a value copied into another column does not open.
"""

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SECRET_PREFIX = "enc1:"  # noqa: S105 -- a marker, not a secret
NONCE_BYTES = 12
DATA_KEY_BYTES = 32
KEY_ID_BYTES = 4
# The associated data of allauth's MFA secrets (TOTP secret, recovery-code seed).
MFA_PURPOSE = "mfa secret"


class KeyUnavailable(Exception):
    """No configured master key made this ciphertext, or it was tampered with."""


@dataclass(frozen=True)
class MasterKey:
    key_id: bytes
    key: bytes


@lru_cache(maxsize=8)
def _stretch(material: str) -> MasterKey:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"kennisplein field encryption",
        info=b"master key v1",
    ).derive(material.encode())
    return MasterKey(key_id=hashlib.sha256(key).digest()[:KEY_ID_BYTES], key=key)


def master_keys() -> list[MasterKey]:
    """The master keys, current first (FIELD_ENCRYPTION_KEY, else derived from SECRET_KEY)."""
    current = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if current:
        materials = [current, *getattr(settings, "FIELD_ENCRYPTION_KEY_FALLBACKS", [])]
    else:
        materials = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_stretch(material) for material in materials if material]


def _key_for(key_id: bytes) -> MasterKey:
    for master in master_keys():
        if master.key_id == key_id:
            return master
    raise KeyUnavailable("no configured key made this ciphertext")


def _seal_under(master: MasterKey, plaintext: bytes, purpose: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return master.key_id + nonce + AESGCM(master.key).encrypt(nonce, plaintext, purpose.encode())


def _open(blob: bytes, purpose: str) -> bytes:
    master = _key_for(blob[:KEY_ID_BYTES])
    nonce = blob[KEY_ID_BYTES : KEY_ID_BYTES + NONCE_BYTES]
    try:
        return AESGCM(master.key).decrypt(
            nonce, blob[KEY_ID_BYTES + NONCE_BYTES :], purpose.encode()
        )
    except InvalidTag as error:
        raise KeyUnavailable("the ciphertext does not open with its key") from error


# --- secrets, sealed under the master key ------------------------------------------------------


def secret_encrypt(text: str, *, purpose: str) -> str:
    """``text`` sealed under the current master key, as ``enc1:<base64>`` (empty stays empty)."""
    if not text:
        return ""
    blob = _seal_under(master_keys()[0], text.encode(), purpose)
    return SECRET_PREFIX + base64.urlsafe_b64encode(blob).decode()


def secret_decrypt(value: str, *, purpose: str) -> str:
    """The text of ``secret_encrypt``'s output. A value without the prefix is returned as it is
    (a secret stored before encryption, until ``encryption_rotate`` seals it)."""
    if not value or not value.startswith(SECRET_PREFIX):
        return value
    blob = base64.urlsafe_b64decode(value[len(SECRET_PREFIX) :].encode())
    return _open(blob, purpose).decode()


def secret_is_current(value: str) -> bool:
    """Sealed under the current master key (nothing for rotation to do)."""
    if not value:
        return True
    if not value.startswith(SECRET_PREFIX):
        return False
    blob = base64.urlsafe_b64decode(value[len(SECRET_PREFIX) :].encode())
    return blob[:KEY_ID_BYTES] == master_keys()[0].key_id


def secret_rotate(value: str, *, purpose: str) -> str:
    """The same secret sealed under the current master key."""
    return secret_encrypt(secret_decrypt(value, purpose=purpose), purpose=purpose)


# --- data keys, wrapped by the master key ------------------------------------------------------

DATA_KEY_PURPOSE = "data key"


def data_key_new() -> tuple[bytes, bytes]:
    """A fresh random data key and its wrapped form (what the key table stores)."""
    key = AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)
    return key, data_key_wrap(key)


def data_key_wrap(key: bytes) -> bytes:
    return _seal_under(master_keys()[0], key, DATA_KEY_PURPOSE)


def data_key_unwrap(wrapped: bytes) -> bytes:
    return _open(bytes(wrapped), DATA_KEY_PURPOSE)


def data_key_is_current(wrapped: bytes) -> bool:
    return bytes(wrapped)[:KEY_ID_BYTES] == master_keys()[0].key_id


def seal(key: bytes, plaintext: str, *, purpose: str) -> bytes:
    """``plaintext`` encrypted under a data key: nonce + AES-GCM ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext.encode(), purpose.encode())


def unseal(key: bytes, blob: bytes, *, purpose: str) -> str:
    blob = bytes(blob)
    try:
        return (
            AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], purpose.encode()).decode()
        )
    except InvalidTag as error:
        raise KeyUnavailable("the text does not open with this key") from error


def mfa_data_rotate(data: dict) -> dict:
    """allauth's ``Authenticator.data`` with every secret in it (TOTP ``secret``, recovery
    ``seed``, migrated ``unused_codes``) sealed under the current master key."""
    data = dict(data)
    for name in ("secret", "seed"):
        if data.get(name):
            data[name] = secret_rotate(data[name], purpose=MFA_PURPOSE)
    if isinstance(data.get("unused_codes"), list):
        data["unused_codes"] = [
            secret_rotate(code, purpose=MFA_PURPOSE) for code in data["unused_codes"]
        ]
    return data


def mfa_data_is_current(data: dict) -> bool:
    values = [data.get(name) for name in ("secret", "seed")]
    if isinstance(data.get("unused_codes"), list):
        values.extend(data["unused_codes"])
    return all(secret_is_current(value) for value in values if value)
