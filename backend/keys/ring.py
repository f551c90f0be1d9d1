"""Signing keys: encrypted at rest, rotated on demand, served as a key ring to sign and verify.

Each key also has a code secret (qr.pseudonym): the seal key of its format-2 pseudonyms and the
scenario keys trust bundles carry derive from it. It outlives the key's signing half, so codes the
key signed stay readable until they expire; a compromised key is dropped from the ring at once.
"""

from __future__ import annotations

import functools
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import qr
from backend.keys.card_keyring import forget as forget_card_keys
from backend.keys.models import SigningKey
from backend.platform import audit, caching
from backend.platform.clock import now_ts, utcnow
from backend.platform.crypto import decrypt, encrypt
from backend.platform.db import db, in_use_case, on_commit, use_case
from backend.platform.errors import Unavailable
from backend.platform.web.http import etag_of


def _code_secret(row: SigningKey) -> bytes | None:
    """The key's code secret: stored, or (keys from before format 2) derived from its private half."""
    if row.code_secret_enc:
        return decrypt(row.code_secret_enc)
    if row.private_key_enc:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"sw-code/secret-of-signing-key").derive(decrypt(row.private_key_enc))
    return None


def _to_ring_key(row: SigningKey) -> qr.RingKey:
    private = None
    if row.is_signer and row.private_key_enc:
        private = Ed25519PrivateKey.from_private_bytes(decrypt(row.private_key_enc))
    return qr.RingKey(
        kid=row.kid, public=Ed25519PublicKey.from_public_bytes(row.public_key), private=private,
        retired_at=int(row.retired_at.timestamp()) if row.retired_at else None, code_secret=_code_secret(row),
    )


def _new_key_row() -> SigningKey:
    key = qr.generate_signing_key()
    return SigningKey(kid=key.kid, public_key=key.public.public_bytes_raw(),
                      private_key_enc=encrypt(key.private_bytes()), code_secret_enc=encrypt(os.urandom(32)),
                      activated_at=utcnow(), is_signer=True)


@functools.lru_cache(maxsize=256)
def _derived(secret: bytes, purpose: str) -> bytes:
    return qr.seal_key(secret) if purpose == "seal" else qr.scenario_key(secret, purpose)


def seal_key(ring: qr.KeyRing, kid: str) -> bytes | None:
    """The key that seals and opens pseudonyms of codes signed by kid (None: that key has no code secret)."""
    secret = ring.code_secret(kid)
    return _derived(secret, "seal") if secret is not None else None


def scenario_key(ring: qr.KeyRing, kid: str, scenario: str) -> bytes | None:
    """The key unmasking a scenario's nibble of codes signed by kid (trust bundles carry it)."""
    secret = ring.code_secret(kid)
    return _derived(secret, scenario) if secret is not None else None


def _load_ring() -> qr.KeyRing | None:
    """Every key that may still verify a live code; None while the database has no signing key."""
    horizon = utcnow().timestamp() - qr.MAX_CODE_TTL - 3600
    rows = db.session.execute(select(SigningKey).where(SigningKey.compromised_at.is_(None))
                              .order_by(SigningKey.id)).scalars().all()
    if not any(r.is_signer for r in rows):
        return None
    live = [r for r in rows if r.retired_at is None or r.retired_at.timestamp() > horizon]
    return qr.KeyRing([_to_ring_key(r) for r in live], max_code_ttl=qr.MAX_CODE_TTL)


def _rings() -> caching.TTLCache:
    return caching.cache("keyring", ttl_setting="KEYRING_REFRESH_SECONDS", max_entries=1, shared=caching.REVOCATIONS)


def keyring() -> qr.KeyRing:
    """The worker's ring, re-read every KEYRING_REFRESH_SECONDS (a rotation elsewhere shows up then, or at once
    with REDIS_URL set).

    A new database has no key until `flask ensure-signing-key` (or seed-demo, or a rotation) makes
    one; met before that, the first key is made by the ensure_signing_key use case: its own
    transaction when called from a read (only use cases write, so nothing of the caller's is
    pending), the caller's inside a use case (committed or rolled back with it). Raises Unavailable
    when another worker made it at the same moment inside a use case (retry).
    """
    ring = _rings().get("ring", _load_ring)
    if ring is None:
        try:
            ensure_signing_key()
        except IntegrityError:  # another worker made the first key at the same moment
            if in_use_case():  # this transaction is spoiled; the retry will find that key
                raise Unavailable("签名密钥正在创建，请稍后重试。", code="signing_key_race", retry_after=1) from None
        ring = _load_ring()  # not cached: inside a use case it is uncommitted until on_commit drops the cache
    return ring


def _activate_new_key(actor: str, *, compromised: bool = False) -> SigningKey:
    """Retire the signer (wiping its private half, keeping its code secret) and make a new key the signer,
    in the caller's transaction. compromised: the old key verifies nothing from now on."""
    now = utcnow()
    # Lock the active row(s) so two concurrent rotations cannot both leave a signer behind.
    active = db.session.execute(
        select(SigningKey).where(SigningKey.is_signer.is_(True)).with_for_update()
    ).scalars().all()
    for row in active:
        if row.code_secret_enc is None and not compromised:
            row.code_secret_enc = encrypt(_code_secret(row))  # its codes stay readable until they expire
        row.retired_at, row.private_key_enc, row.is_signer = now, None, None
        if compromised:
            row.compromised_at, row.code_secret_enc = now, None
    db.session.flush()
    new = _new_key_row()
    db.session.add(new)
    db.session.flush()
    audit.record(actor, "signing_key.rotate", "signing_key", new.kid,
                 details={"retired": [r.kid for r in active], "compromised": compromised})
    on_commit(_rings().forget)
    on_commit(forget_card_keys)
    return new


@use_case
def rotate(*, actor: str, compromised: bool = False) -> SigningKey:
    """Make a new key the signer at once; the old one is retired and its private half wiped. Compromised:
    the old key is dropped at once (JWKS, online and offline verification), not kept for its codes' lifetime."""
    return _activate_new_key(actor, compromised=compromised)


@use_case
def ensure_signing_key(*, actor: str = "system:first-key") -> bool:
    """Create the first signing key unless one exists; True when it made one. Raises IntegrityError when
    another worker made it at the same moment (the unique is_signer column decides)."""
    if db.session.execute(select(SigningKey.id).where(SigningKey.is_signer.is_(True))).first() is not None:
        return False
    _activate_new_key(actor)
    return True


def jwks() -> tuple[dict, str]:
    """The JWK Set of every key that may have signed a live code, with a strong ETag."""
    body = {"keys": keyring().published(now_ts())}
    return body, etag_of(body)


def sign_page(typ: str, claims: dict) -> str:
    """A signed document (compact JWS, EdDSA) of the current key, e.g. a page of the change feed."""
    return qr.sign_document(keyring().signer, typ, claims)
