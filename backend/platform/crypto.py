"""Field encryption (Fernet, rotatable), keyed hashes for lookups, and bearer credentials."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


def _cipher() -> MultiFernet:
    cached = current_app.extensions.get("field_cipher")
    if cached is None:
        keys = [k.strip() for k in current_app.config["KEY_ENCRYPTION_KEY"].split(",") if k.strip()]
        cached = current_app.extensions["field_cipher"] = MultiFernet([Fernet(k) for k in keys])
    return cached


def encrypt(plaintext: str | bytes) -> str:
    """Encrypt with the newest key-encryption key."""
    data = plaintext.encode() if isinstance(plaintext, str) else plaintext
    return _cipher().encrypt(data).decode("ascii")


def decrypt(token: str) -> bytes:
    """Decrypt with any configured key; raises cryptography.fernet.InvalidToken."""
    return _cipher().decrypt(token.encode("ascii"))


def reencrypt(token: str) -> str:
    """Re-encrypt under the newest key (key-encryption-key rotation)."""
    return _cipher().rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 with ID_HASH_KEY: equal ids match, the table alone reveals nothing."""
    key = current_app.config["ID_HASH_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_credential(prefix: str) -> str:
    """A bearer credential with 256 bits of entropy, e.g. op_xxx or dev_xxx."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def credential_hash(token: str) -> str:
    """SHA-256 suffices for high-entropy random tokens (no password stretching needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


__all__ = ["InvalidToken", "credential_hash", "decrypt", "encrypt", "keyed_hash", "new_credential", "reencrypt"]
