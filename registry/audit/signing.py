"""Ed25519 signatures of audit entries and checkpoints, with a key held outside the database.

The key comes from settings.AUDIT_SIGNING_KEY (base64 of the 32-byte Ed25519 private key, read
from the environment or a file; see registry/settings.py). Whoever can write to the database but
does not hold the key cannot make a signature that verifies, so a forged or recomputed entry, and
a forged checkpoint, are detected. Format: docs/audit.md, "Signatures and checkpoints".
"""

import base64
import binascii
import functools
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ENTRY_TYPE = "pmsc-registry/audit-entry"
CHECKPOINT_TYPE = "pmsc-registry/audit-checkpoint"
# Public on purpose (it is in the source): DEBUG only; settings refuse to start without a real key.
DEVELOPMENT_KEY: str = base64.b64encode(
    hashlib.sha256(b"pmsc-registry development audit signing key").digest()
).decode()


def parse_private_key(text: str) -> str:
    """The key as base64 of its 32 raw bytes, from base64 raw bytes or a PKCS#8 PEM (what
    `openssl genpkey -algorithm ed25519` writes). ValueError when it is neither."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    else:
        try:
            raw = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise ValueError("not base64") from None
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 private key has 32 bytes, not {len(raw)}")
    return base64.b64encode(raw).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    raw = base64.b64decode(text.strip(), validate=True)
    return Ed25519PublicKey.from_public_bytes(raw)


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """Lower-case hex SHA-256 of the 32 raw bytes of the public key (as Certificate Transparency
    names a log)."""
    return hashlib.sha256(public_bytes(key)).hexdigest()


@functools.cache
def _private_key(encoded: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded))


def private_key() -> Ed25519PrivateKey:
    return _private_key(settings.AUDIT_SIGNING_KEY)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """Key id -> public key: the signing key's, then AUDIT_PREVIOUS_PUBLIC_KEYS (after a rotation,
    so what the old key signed still verifies)."""
    keys = [public_key()] + [parse_public_key(k) for k in settings.AUDIT_PREVIOUS_PUBLIC_KEYS]
    return {key_id(k): k for k in keys}


def canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_message(seq: int, entry_hash: str) -> bytes:
    return canonical({"type": ENTRY_TYPE, "v": 1, "seq": seq, "hash": entry_hash})


def checkpoint_message(seq: int, head_hash: str, at: str, kid: str) -> bytes:
    return canonical(
        {"type": CHECKPOINT_TYPE, "v": 1, "seq": seq, "hash": head_hash, "at": at, "key_id": kid}
    )


def sign(message: bytes) -> str:
    return base64.b64encode(private_key().sign(message)).decode()


def verifies(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def entry_signed_by(
    signature: str, seq: int, entry_hash: str, keys: Iterable[Ed25519PublicKey]
) -> bool:
    message = entry_message(seq, entry_hash)
    return any(verifies(key, signature, message) for key in keys)
