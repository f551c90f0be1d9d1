"""Ed25519 signing keys, their JWK form (RFC 8037) and key ids.

The ``kid`` of a key is its RFC 7638 JWK thumbprint (SHA-256 over the canonical
``{"crv":"Ed25519","kty":"OKP","x":...}``, base64url) truncated to its first 8
characters (48 bits). The full 43-character thumbprint would make a personal code
about 35 characters longer, pushing it past QR version 10 at level M (213 bytes),
which is what a phone screen shows comfortably and a bus validator reads fast.
The kid only *selects* a key among the few a ring publishes, it proves nothing:
the signature does. KeyRing rejects a ring where two kids collide. ``thumbprint``
gives the full value for anyone who wants to compare keys out of band.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from qr.b64 import b64url_decode, b64url_encode

KID_LENGTH = 8


def _raw_public(public: Ed25519PublicKey) -> bytes:
    """Return the 32 raw public key bytes; raises TypeError for a non-Ed25519 key."""
    if not isinstance(public, Ed25519PublicKey):
        raise TypeError("expected an Ed25519PublicKey")
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def thumbprint(public: Ed25519PublicKey) -> str:
    """Return the full RFC 7638 SHA-256 JWK thumbprint (43 chars); raises TypeError."""
    x = b64url_encode(_raw_public(public))
    # RFC 7638: required members only, lexicographic order, no whitespace.
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True
    )
    return b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def kid_for(public: Ed25519PublicKey) -> str:
    """Return the key id: the thumbprint truncated to 8 chars; raises TypeError."""
    return thumbprint(public)[:KID_LENGTH]


def public_jwk(public: Ed25519PublicKey) -> dict[str, str]:
    """Return the public JWK (RFC 8037 OKP) with kid, alg and use; raises TypeError."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(_raw_public(public)),
        "kid": kid_for(public),
        "alg": "EdDSA",
        "use": "sig",
    }


def public_from_jwk(jwk: Any) -> Ed25519PublicKey:
    """Load an Ed25519 public key from a JWK dict; raises ValueError on anything else."""
    if not isinstance(jwk, dict):
        raise ValueError("JWK must be a JSON object")
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("JWK is not an OKP/Ed25519 key")
    if jwk.get("alg", "EdDSA") != "EdDSA" or jwk.get("use", "sig") != "sig":
        raise ValueError("JWK is not meant for EdDSA signatures")
    x = jwk.get("x")
    if not isinstance(x, str):
        raise ValueError("JWK has no x")
    raw = b64url_decode(x)
    if len(raw) != 32:
        raise ValueError("Ed25519 public key must be 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


@dataclass(frozen=True)
class SigningKey:
    """A private Ed25519 key and its kid; raises ValueError if the kid does not match."""

    private: Ed25519PrivateKey
    kid: str

    def __post_init__(self) -> None:
        if not isinstance(self.private, Ed25519PrivateKey):
            raise TypeError("expected an Ed25519PrivateKey")
        if self.kid != kid_for(self.private.public_key()):
            raise ValueError("kid does not match the key")

    def __repr__(self) -> str:  # never print key material in logs
        return f"SigningKey(kid={self.kid!r})"

    @property
    def public(self) -> Ed25519PublicKey:
        """Return the public half; raises nothing."""
        return self.private.public_key()

    def private_bytes(self) -> bytes:
        """Return the raw 32-byte private seed (store it encrypted); raises nothing."""
        return self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    @classmethod
    def from_private_bytes(cls, data: bytes) -> SigningKey:
        """Load a key from its 32-byte seed; raises ValueError on a wrong length."""
        if not isinstance(data, (bytes, bytearray)) or len(data) != 32:
            raise ValueError("Ed25519 private key must be 32 bytes")
        private = Ed25519PrivateKey.from_private_bytes(bytes(data))
        return cls(private=private, kid=kid_for(private.public_key()))


def generate_signing_key() -> SigningKey:
    """Create a fresh random signing key; raises nothing."""
    private = Ed25519PrivateKey.generate()
    return SigningKey(private=private, kid=kid_for(private.public_key()))
