"""The keys that verify printed resident cards (qr.cards): every key not compromised that signed, or may
have signed, a card still within its validity. A card lives up to a year, far longer than the key ring
keeps a retired key for phone codes (an hour past its codes), and only the public half is needed."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import or_, select

import qr
from backend.keys.models import SigningKey
from backend.platform import caching
from backend.platform.clock import utcnow
from backend.platform.db import db


def _cache() -> caching.TTLCache:
    return caching.cache("card_keys", ttl_setting="KEYRING_REFRESH_SECONDS", max_entries=1,
                         shared=caching.REVOCATIONS)


def forget() -> None:
    """Drop the cached card keys (a rotation, above all a compromised key, is committed)."""
    _cache().forget()


def _load() -> list[tuple[str, bytes]]:
    horizon = utcnow() - dt.timedelta(days=qr.MAX_CARD_DAYS, seconds=qr.LEEWAY)
    return [(r.kid, r.public_key) for r in db.session.execute(
        select(SigningKey.kid, SigningKey.public_key).where(
            SigningKey.compromised_at.is_(None),
            or_(SigningKey.retired_at.is_(None), SigningKey.retired_at > horizon)).order_by(SigningKey.id))]


def card_keys() -> dict[str, Ed25519PublicKey]:
    """kid -> public key of every key that may have signed a live card (cached like the ring)."""
    return {kid: Ed25519PublicKey.from_public_bytes(raw) for kid, raw in _cache().get("all", _load)}


def card_jwks() -> list[dict[str, str]]:
    """The same keys as JWKs, for the trust bundle."""
    return [qr.public_jwk(key) | {"kid": kid} for kid, key in card_keys().items()]
