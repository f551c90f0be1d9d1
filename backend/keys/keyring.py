"""Signing keys: encrypted at rest, rotated on demand, served as a key ring to sign and verify."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import qr
from backend.platform.clock import now_ts, utcnow
from backend.platform.extensions import db
from backend.models import SigningKey
from backend.platform import audit
from backend.platform.crypto import decrypt, encrypt


@dataclass(frozen=True)
class LoadedRing:
    ring: qr.KeyRing
    loaded_at: float


def _to_ring_key(row: SigningKey) -> qr.RingKey:
    private = None
    if row.is_signer and row.private_key_enc:
        private = Ed25519PrivateKey.from_private_bytes(decrypt(row.private_key_enc))
    return qr.RingKey(
        kid=row.kid, public=Ed25519PublicKey.from_public_bytes(row.public_key), private=private,
        retired_at=int(row.retired_at.timestamp()) if row.retired_at else None,
    )


def _new_key_row() -> SigningKey:
    key = qr.generate_signing_key()
    return SigningKey(kid=key.kid, public_key=key.public.public_bytes_raw(),
                      private_key_enc=encrypt(key.private_bytes()), activated_at=utcnow(), is_signer=True)


def _load_ring() -> qr.KeyRing:
    """Every key that may still verify a live code; creates the first key on a fresh database."""
    horizon = utcnow().timestamp() - qr.MAX_CODE_TTL - 3600
    rows = db.session.execute(select(SigningKey).order_by(SigningKey.id)).scalars().all()
    if not any(r.is_signer for r in rows):
        try:
            rotate(actor="system:first-key")
        except IntegrityError:  # another worker created it first
            db.session.rollback()
        return _load_ring()
    live = [r for r in rows if r.retired_at is None or r.retired_at.timestamp() > horizon]
    return qr.KeyRing([_to_ring_key(r) for r in live], max_code_ttl=qr.MAX_CODE_TTL)


def keyring() -> qr.KeyRing:
    """The process's cached ring, re-read every KEYRING_REFRESH_SECONDS (rotation elsewhere shows up)."""
    cache: LoadedRing | None = current_app.extensions.get("keyring")
    refresh = current_app.config["KEYRING_REFRESH_SECONDS"]
    if cache is None or time.monotonic() - cache.loaded_at >= refresh:
        cache = LoadedRing(_load_ring(), time.monotonic())
        current_app.extensions["keyring"] = cache
    return cache.ring


def rotate(*, actor: str) -> SigningKey:
    """Make a new key the signer at once; the old one is retired and its private half wiped."""
    now = utcnow()
    # Lock the active row(s) so two concurrent rotations cannot both leave a signer behind.
    active = db.session.execute(
        select(SigningKey).where(SigningKey.is_signer.is_(True)).with_for_update()
    ).scalars().all()
    for row in active:
        row.retired_at, row.private_key_enc, row.is_signer = now, None, None
    db.session.flush()
    new = _new_key_row()
    db.session.add(new)
    db.session.flush()
    audit.record(actor, "signing_key.rotate", "signing_key", new.kid,
                 details={"retired": [r.kid for r in active]})
    db.session.commit()
    current_app.extensions.pop("keyring", None)
    return new


def jwks() -> tuple[dict, str]:
    """The JWK Set of every key that may have signed a live code, with a strong ETag."""
    body = {"keys": keyring().published(now_ts())}
    etag = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
    return body, etag
