"""Offline verification on a scanner with a signed trust bundle: pure, no network, no clock.

A bundle (``GET /api/scan/v1/trust-bundle``) carries the public keys, the revoked
subjects and codes, the subjects barred from perks and the incentive rules of the
device's scenario, its issue time and a maximum age. Past that age the answer is
``cannot_verify``: an old bundle may miss a revocation, so it never says ``valid``.
Offline, the grade inside the code decides (the current one is unknown); the server
re-checks every uploaded offline grant and flags what it would have refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from qr.codes import CODE_TTL, LEEWAY, verify_code
from qr.errors import CodeError, MalformedCode
from qr.keys import public_from_jwk
from qr.signed import BUNDLE_TYP, verify_document

# The fixed set of scan outcomes, shared by the online API and this verifier.
OUTCOMES = ("valid", "expired", "bad_signature", "unknown_key", "malformed", "revoked", "cannot_verify")
CHINA = dt.timezone(dt.timedelta(hours=8))


def scan_outcome(error: CodeError) -> str:
    """Map a qr rejection onto OUTCOMES (not_yet_valid and wrong_type read as malformed); raises nothing."""
    return error.outcome if error.outcome in OUTCOMES else "malformed"


@dataclass(frozen=True)
class TrustBundle:
    """A verified bundle's content; raises nothing."""

    issued_at: int
    max_age: int
    scenario: str
    code_ttl: int
    keys: Mapping[str, Ed25519PublicKey]
    revoked_subjects: Mapping[str, int]  # handle -> codes issued before this epoch second are void
    revoked_codes: frozenset[str]
    blocked_subjects: frozenset[str]  # on the joint-punishment list: no perks
    incentives: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class OfflineResult:
    """Outcome of one offline scan, the code's subject and the incentives it may get; raises nothing."""

    outcome: str
    sub: str | None = None
    jti: str | None = None
    incentives: tuple[str, ...] = ()
    detail: str | None = None


def load_bundle(token: str, trusted_keys: Mapping[str, Ed25519PublicKey]) -> TrustBundle:
    """Verify a bundle against keys the device already trusts; raises a qr.CodeError subclass."""
    claims = verify_document(token, trusted_keys, BUNDLE_TYP)
    try:
        return TrustBundle(
            issued_at=int(claims["iat"]), max_age=int(claims["max_age"]), scenario=str(claims["scenario"]),
            code_ttl=int(claims.get("code_ttl", CODE_TTL)),
            keys={jwk["kid"]: public_from_jwk(jwk) for jwk in claims["keys"]},
            revoked_subjects={str(r["sub"]): int(r["after"]) for r in claims["revoked_subjects"]},
            revoked_codes=frozenset(str(j) for j in claims["revoked_codes"]),
            blocked_subjects=frozenset(str(s) for s in claims["blocked_subjects"]),
            incentives=tuple(dict(i) for i in claims["incentives"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise MalformedCode(f"bundle content is incomplete: {e}") from None


def _in_window(rule: Mapping[str, Any], today: str) -> bool:
    return (not rule.get("valid_from") or rule["valid_from"] <= today) and (
        not rule.get("valid_to") or today <= rule["valid_to"])


def verify_offline(code: str | bytes, bundle: TrustBundle, *, now: int) -> OfflineResult:
    """Verify a personal code with a bundle at epoch second now; raises nothing."""
    age = now - bundle.issued_at
    if age > bundle.max_age or age < -LEEWAY:
        return OfflineResult("cannot_verify", detail="trust bundle is too old (or the clock is wrong)")
    try:
        claims = verify_code(code, bundle.keys, now=now)
    except CodeError as e:
        return OfflineResult(scan_outcome(e), detail=e.outcome)
    issued_at = claims.expires_at - bundle.code_ttl
    after = bundle.revoked_subjects.get(claims.sub)
    if claims.jti in bundle.revoked_codes or (after is not None and issued_at < after):
        return OfflineResult("revoked", sub=claims.sub, jti=claims.jti)
    perks: tuple[str, ...] = ()
    if claims.sub not in bundle.blocked_subjects:
        today = dt.datetime.fromtimestamp(now, CHINA).date().isoformat()
        perks = tuple(r["code"] for r in bundle.incentives
                      if claims.grade in r["eligible_grades"] and "person" in r["subject_kinds"]
                      and _in_window(r, today))
    return OfflineResult("valid", sub=claims.sub, jti=claims.jti, incentives=perks)
