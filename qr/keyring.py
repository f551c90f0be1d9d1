"""The set of keys a server signs and verifies with, including retired ones in grace."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from qr.codes import LEEWAY, MAX_CODE_TTL
from qr.keys import SigningKey, kid_for, public_jwk


@dataclass(frozen=True)
class RingKey:
    """One key of a ring; retired_at None marks the active signer; raises nothing.

    code_secret (32 bytes) seals and opens the key's format-2 pseudonyms (qr.pseudonym).
    """

    kid: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None
    retired_at: int | None = None
    code_secret: bytes | None = None

    def __repr__(self) -> str:  # never print key material in logs
        return f"RingKey(kid={self.kid!r}, retired_at={self.retired_at!r})"


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _check(key: RingKey) -> None:
    """Check one key's internal consistency; raises ValueError."""
    if not isinstance(key.public, Ed25519PublicKey):
        raise ValueError(f"key {key.kid!r}: public is not an Ed25519 key")
    if key.kid != kid_for(key.public):
        raise ValueError(f"key {key.kid!r}: kid is not kid_for(public)")
    if key.private is not None and _raw(key.private.public_key()) != _raw(key.public):
        raise ValueError(f"key {key.kid!r}: private and public halves differ")
    if key.retired_at is not None and (
        not isinstance(key.retired_at, int) or isinstance(key.retired_at, bool)
    ):
        raise ValueError(f"key {key.kid!r}: retired_at must be int epoch seconds")


class KeyRing:
    """One active signer plus retired keys; raises ValueError if that does not hold."""

    def __init__(self, keys: Iterable[RingKey], *, max_code_ttl: int = MAX_CODE_TTL) -> None:
        if not isinstance(max_code_ttl, int) or max_code_ttl < 1:
            raise ValueError("max_code_ttl must be a positive int")
        keys = list(keys)
        kids = [k.kid for k in keys]
        if len(set(kids)) != len(kids):
            raise ValueError("duplicate kid in key ring")
        for key in keys:
            _check(key)
        active = [k for k in keys if k.retired_at is None]
        if len(active) != 1 or active[0].private is None:
            raise ValueError("a key ring needs exactly one active key with a private half")
        signer = active[0]
        assert signer.private is not None
        self._signer = SigningKey(private=signer.private, kid=signer.kid)
        self._signer_entry = (signer.kid, signer.public, public_jwk(signer.public))
        # Retired keys ordered by the moment they stop verifying: a code signed just
        # before retirement lives max_code_ttl more, plus the verifier's leeway.
        retired = sorted(
            (k.retired_at + max_code_ttl + LEEWAY, k.kid, k.public)
            for k in keys
            if k.retired_at is not None
        )
        self._secrets = {k.kid: k.code_secret for k in keys if k.code_secret is not None}
        self._deadlines = [d for d, _, _ in retired]
        self._retired = [(kid, pub, public_jwk(pub)) for _, kid, pub in retired]
        # For each possible cut (index into _retired) the precomputed answers.
        self._by_cut: list[tuple[dict[str, Ed25519PublicKey], list[dict[str, str]]]] = []
        for cut in range(len(retired) + 1):
            entries = [self._signer_entry, *reversed(self._retired[cut:])]
            self._by_cut.append(
                ({kid: pub for kid, pub, _ in entries}, [jwk for _, _, jwk in entries])
            )

    @property
    def signer(self) -> SigningKey:
        """Return the active signing key; raises nothing."""
        return self._signer

    def _cut(self, now: int) -> int:
        # Keys whose deadline is <= now have dropped out; the rest still verify.
        return bisect.bisect_right(self._deadlines, now)

    def code_secret(self, kid: str) -> bytes | None:
        """The code secret of a key of this ring (None: it has none); raises nothing."""
        return self._secrets.get(kid)

    def verification_keys(self, now: int) -> dict[str, Ed25519PublicKey]:
        """Return kid -> public key of every key that may have signed a live code; raises nothing."""
        return dict(self._by_cut[self._cut(now)][0])

    def published(self, now: int) -> list[dict[str, str]]:
        """Return the JWKs of verification_keys(now), signer first (the JWKS body); raises nothing."""
        return [dict(jwk) for jwk in self._by_cut[self._cut(now)][1]]
