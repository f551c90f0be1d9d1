"""Offline verification on a scanner with a signed trust bundle: pure, no network, no clock.

A bundle (``GET /api/scan/v1/trust-bundle``) carries the public keys, the incentive rules of
the device's scenario, its issue time, a maximum age (and ``exp``) and the device it was issued
to (``aud``). Past its age the answer is ``cannot_verify``: it never says ``valid``.

Format-2 codes (qr.pseudonym): the bundle carries the scenario's slot and, per key, the
scenario key that unmasks the scenario's nibble of the code's ``e``; the perks are the incentives
whose bit is set there (eligibility at issuance: grade, subject kind and the joint-punishment list
already decided). There are no revocation lists: a code lives 3 minutes, a revoked phone can fetch
no new one, and the server refuses revoked codes online and on upload.

Format-1 codes (handle and grade in clear) are checked against the bundle's revoked and blocked
handles and the grade, while scanners move over. The server re-checks every uploaded offline grant
and flags what it would have refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from qr.b64 import b64url_decode
from qr.cards import is_card, verify_card
from qr.codes import CODE_TTL, LEEWAY, CodeClaims, verify_code
from qr.errors import CodeError, MalformedCode, WrongTokenType
from qr.keys import public_from_jwk
from qr.pseudonym import read_eligibility
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
    revoked_subjects: Mapping[str, int]  # format 1: handle -> codes issued before this epoch second are void
    revoked_codes: frozenset[str]  # format 1
    blocked_subjects: frozenset[str]  # format 1: on the joint-punishment list, no perks
    incentives: tuple[Mapping[str, Any], ...]
    slot: int | None = None  # format 2: this scenario's nibble in a code's `e`
    scenario_keys: Mapping[str, bytes] = field(default_factory=dict)  # format 2: kid -> scenario key
    bundle_id: int | None = None
    audience: str | None = None
    # Printed resident cards (qr.cards): the keys that may have signed a live card, and the serials of
    # revoked cards still within their validity. A card carries no eligibility: offline it is valid
    # (or revoked) and grants nothing; its perks are decided online.
    card_keys: Mapping[str, Ed25519PublicKey] = field(default_factory=dict)
    revoked_cards: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OfflineResult:
    """Outcome of one offline scan, the code's subject and the incentives it may get; raises nothing."""

    outcome: str
    sub: str | None = None
    jti: str | None = None
    incentives: tuple[str, ...] = ()
    detail: str | None = None


def load_bundle(token: str, trusted_keys: Mapping[str, Ed25519PublicKey], *, audience: str | None = None
                ) -> TrustBundle:
    """Verify a bundle against keys the device already trusts (and, given, that it was issued to
    `audience`); raises a qr.CodeError subclass."""
    claims = verify_document(token, trusted_keys, BUNDLE_TYP)
    if audience is not None and claims.get("aud") != audience:
        raise WrongTokenType("trust bundle issued to another device")
    try:
        return TrustBundle(
            issued_at=int(claims["iat"]), max_age=int(claims["max_age"]), scenario=str(claims["scenario"]),
            code_ttl=int(claims.get("code_ttl", CODE_TTL)),
            keys={jwk["kid"]: public_from_jwk(jwk) for jwk in claims["keys"]},
            revoked_subjects={str(r["sub"]): int(r["after"]) for r in claims.get("revoked_subjects", [])},
            revoked_codes=frozenset(str(j) for j in claims.get("revoked_codes", [])),
            blocked_subjects=frozenset(str(s) for s in claims.get("blocked_subjects", [])),
            incentives=tuple(dict(i) for i in claims["incentives"]),
            slot=int(claims["slot"]) if claims.get("slot") is not None else None,
            scenario_keys={str(k): b64url_decode(v) for k, v in claims.get("scenario_keys", {}).items()},
            bundle_id=int(claims["bid"]) if claims.get("bid") is not None else None,
            audience=claims.get("aud"),
            card_keys={jwk["kid"]: public_from_jwk(jwk) for jwk in claims.get("card_keys", [])},
            revoked_cards=frozenset(str(s) for s in claims.get("revoked_cards", [])),
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
    if is_card(code):
        return _card(code, bundle, now)
    try:
        claims = verify_code(code, bundle.keys, now=now)
    except CodeError as e:
        return OfflineResult(scan_outcome(e), detail=e.outcome)
    today = dt.datetime.fromtimestamp(now, CHINA).date().isoformat()
    if claims.version == 2:
        return _valid_v2(claims, bundle, today)
    issued_at = claims.expires_at - bundle.code_ttl
    after = bundle.revoked_subjects.get(claims.sub)
    if claims.jti in bundle.revoked_codes or (after is not None and issued_at < after):
        return OfflineResult("revoked", sub=claims.sub, jti=claims.jti)
    perks: tuple[str, ...] = ()
    if claims.sub not in bundle.blocked_subjects:
        perks = tuple(r["code"] for r in bundle.incentives
                      if claims.grade in r["eligible_grades"] and "person" in r["subject_kinds"]
                      and _in_window(r, today))
    return OfflineResult("valid", sub=claims.sub, jti=claims.jti, incentives=perks)


def _valid_v2(claims: CodeClaims, bundle: TrustBundle, today: str) -> OfflineResult:
    """A genuine format-2 code: the perks its scenario nibble grants (none without the scenario key)."""
    key = bundle.scenario_keys.get(claims.kid)
    if key is None or bundle.slot is None or claims.eligibility is None:
        return OfflineResult("valid", sub=claims.sub, jti=claims.jti, detail="no scenario key for this code")
    try:
        bits = read_eligibility(claims.eligibility, claims.sub, bundle.slot, key)
    except MalformedCode:
        return OfflineResult("malformed", detail="malformed")
    perks = tuple(r["code"] for r in bundle.incentives
                  if r.get("bit") is not None and bits >> int(r["bit"]) & 1 and _in_window(r, today))
    return OfflineResult("valid", sub=claims.sub, jti=claims.jti, incentives=perks)


def _card(token: str | bytes, bundle: TrustBundle, now: int) -> OfflineResult:
    """A printed resident card: valid unless the bundle lists its serial as revoked; no offline perks."""
    try:
        card = verify_card(token if isinstance(token, str) else bytes(token).decode("ascii"), bundle.card_keys,
                           now=now)
    except (CodeError, UnicodeDecodeError) as e:
        return OfflineResult(scan_outcome(e) if isinstance(e, CodeError) else "malformed", detail="card")
    jti = f"card:{card.serial}"
    if card.serial in bundle.revoked_cards:
        return OfflineResult("revoked", jti=jti, detail="card_revoked")
    return OfflineResult("valid", jti=jti, detail="card: perks are granted online")
