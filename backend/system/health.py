"""What /healthz reports beyond the database: can this process open the key that signs codes?"""

from __future__ import annotations

import enum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from backend.keys import SigningKey
from backend.platform.crypto import InvalidToken, decrypt
from backend.platform.db import db


class SigningKeyState(enum.StrEnum):
    OK = "ok"
    MISSING = "missing"  # a new database: the first code, JWKS or `flask ensure-signing-key` creates it
    UNDECRYPTABLE = "undecryptable"  # KEY_ENCRYPTION_KEY is not the key this database was encrypted with
    UNKNOWN = "unknown"  # the database is unreachable or not migrated


def signing_key_state() -> SigningKeyState:
    """Decrypt the active signer's private half and check it against its public half (no key is created);
    raises SQLAlchemyError when the database cannot be asked."""
    row = db.session.execute(
        select(SigningKey.public_key, SigningKey.private_key_enc).where(SigningKey.is_signer.is_(True))
    ).first()
    if row is None:
        return SigningKeyState.MISSING
    try:
        private = Ed25519PrivateKey.from_private_bytes(decrypt(row.private_key_enc or ""))
    except (InvalidToken, ValueError):  # wrong key, or a KEY_ENCRYPTION_KEY that is no Fernet key at all
        return SigningKeyState.UNDECRYPTABLE
    if private.public_key().public_bytes_raw() != row.public_key:
        return SigningKeyState.UNDECRYPTABLE
    return SigningKeyState.OK
