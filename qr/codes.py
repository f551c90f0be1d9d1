"""The personal credit code: a compact JWS (RFC 7515), alg EdDSA, signed and verified.

Header exactly ``{"alg":"EdDSA","kid":"<8 chars>"}``; claims exactly one of

- format 2: ``{"sub":<22-char pseudonym>,"exp":..,"e":<eligibility>}`` (qr.pseudonym: no handle,
  no grade; ``sub`` is also the code's id), 213 chars with up to 6 scenario slots;
- format 1: ``{"sub":<handle>,"g":<grade>,"exp":..,"jti":..}``, 211 chars, still verified while
  scanners move over (it shows the handle and grade to every scanner).

There is no ``iat``: a QR code of version 10 at level M holds 213 bytes, the signature
takes 86 chars and the header 43, so the payload must stay near 60 bytes. Issued-at is
``exp - ttl`` (ttl defaults to CODE_TTL). Any JOSE library verifies the token against
the published JWKS. The ``SWC:`` prefix that ``verify_code`` strips (``sign_code`` never
adds it) costs a version.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from qr.b64 import decode_checked
from qr.errors import (
    BadSignature,
    ExpiredCode,
    MalformedCode,
    NotYetValid,
    UnknownKey,
    WrongTokenType,
)
from qr.keys import SigningKey

CODE_TTL = 180
MAX_CODE_TTL = 300
LEEWAY = 30
MAX_TOKEN_CHARS = 512
PREFIX = "SWC:"
GRADES = frozenset("ABCD")
JTI_LENGTH = 8
_JTI_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HANDLE_RE = re.compile(r"[0-9A-Za-z_-]{1,16}")
_PSEUDONYM_RE = re.compile(r"[A-Za-z0-9_-]{21}[AQgw]")  # 16 bytes, canonical base64url
_B64_RE = re.compile(r"[A-Za-z0-9_-]{0,11}")
# Header, payload, signature. The signature may be empty or of any length here so
# that "alg":"none" and HS256 tokens are reported as BadSignature, not MalformedCode.
_COMPACT_RE = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)")


@dataclass(frozen=True)
class IssuedCode:
    """A freshly signed code and what it says; raises nothing."""

    token: str
    jti: str
    expires_at: int
    sub: str
    grade: str | None
    version: int = 1


@dataclass(frozen=True)
class CodeClaims:
    """The verified content of a personal code (format 2: sub is the pseudonym, grade None); raises nothing."""

    sub: str
    grade: str | None
    jti: str
    expires_at: int
    kid: str
    version: int = 1
    eligibility: str | None = None


def new_jti() -> str:
    """Return a random 8-char code id over 62 symbols (about 47 bits); raises nothing."""
    return "".join(secrets.choice(_JTI_ALPHABET) for _ in range(JTI_LENGTH))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def sign_code(
    key: SigningKey,
    *,
    sub: str,
    grade: str,
    now: int,
    ttl: int = CODE_TTL,
    jti: str | None = None,
) -> IssuedCode:
    """Sign a personal code valid for ttl seconds from now; raises ValueError on bad input."""
    if jti is None:
        jti = new_jti()
    for name, value in (("sub", sub), ("jti", jti)):
        if not isinstance(value, str) or not _HANDLE_RE.fullmatch(value):
            raise ValueError(f"{name} must be 1-16 chars of [0-9A-Za-z_-]")
    if grade not in GRADES or not isinstance(grade, str):
        raise ValueError("grade must be one of A, B, C, D")
    if not _is_int(now) or now < 0:
        raise ValueError("now must be non-negative int epoch seconds")
    if not _is_int(ttl) or not 1 <= ttl <= MAX_CODE_TTL:
        raise ValueError(f"ttl must be an int in 1..{MAX_CODE_TTL}")
    exp = now + ttl
    # PyJWT writes exactly this: typ=None drops its default "typ":"JWT", headers are
    # sorted (alg, kid) and claims keep insertion order with compact separators.
    # tests/qr/test_codes.py pins the exact bytes.
    token = jwt.encode(
        {"sub": sub, "g": grade, "exp": exp, "jti": jti},
        key.private,
        algorithm="EdDSA",
        headers={"kid": key.kid, "typ": None},
        sort_headers=True,
    )
    return IssuedCode(token=token, jti=jti, expires_at=exp, sub=sub, grade=grade)


def sign_code_v2(key: SigningKey, *, sub: str, eligibility: str, now: int, ttl: int = CODE_TTL) -> IssuedCode:
    """Sign a format-2 code (sub and eligibility from qr.pseudonym) valid for ttl seconds; raises ValueError."""
    if not isinstance(sub, str) or not _PSEUDONYM_RE.fullmatch(sub):
        raise ValueError("sub must be a 22-char base64url pseudonym (qr.pseudonym.seal_handle)")
    if not isinstance(eligibility, str) or not _B64_RE.fullmatch(eligibility) or len(eligibility) > 11:
        raise ValueError("eligibility must be base64url from qr.pseudonym.pack_eligibility")
    if not _is_int(now) or now < 0:
        raise ValueError("now must be non-negative int epoch seconds")
    if not _is_int(ttl) or not 1 <= ttl <= MAX_CODE_TTL:
        raise ValueError(f"ttl must be an int in 1..{MAX_CODE_TTL}")
    exp = now + ttl
    token = jwt.encode({"sub": sub, "exp": exp, "e": eligibility}, key.private, algorithm="EdDSA",
                       headers={"kid": key.kid, "typ": None}, sort_headers=True)
    return IssuedCode(token=token, jti=sub, expires_at=exp, sub=sub, grade=None, version=2)


def _load_object(segment: str) -> dict[str, Any]:
    """Decode one base64url JSON object segment; raises MalformedCode."""
    try:
        value = json.loads(decode_checked(segment))
    except ValueError:  # includes binascii.Error, JSONDecodeError, UnicodeDecodeError
        raise MalformedCode("segment is not base64url JSON") from None
    if not isinstance(value, dict):
        raise MalformedCode("segment is not a JSON object")
    return value


def parse_compact(token: str) -> tuple[str, str, dict[str, Any], dict[str, Any], bytes]:
    """Split and decode a compact JWS whose alg is EdDSA; raises MalformedCode or BadSignature."""
    match = _COMPACT_RE.fullmatch(token)
    if match is None:
        raise MalformedCode("not a compact JWS of three base64url segments")
    header_b64, payload_b64, sig_b64 = match.groups()
    header = _load_object(header_b64)
    payload = _load_object(payload_b64)
    try:
        signature = decode_checked(sig_b64)
    except ValueError:
        raise MalformedCode("signature is not canonical base64url") from None
    # Only EdDSA is ever accepted: "none", HS256 keyed with our public key, etc.
    # never get near a key.
    if header.get("alg") != "EdDSA":
        raise BadSignature("alg must be EdDSA")
    if "crit" in header:
        raise MalformedCode("crit header parameters are not supported")
    return header_b64, payload_b64, header, payload, signature


def check_signature(header_b64: str, payload_b64: str, header: dict[str, Any], signature: bytes,
                    keys: Mapping[str, Ed25519PublicKey]) -> str:
    """Verify the signature with the key its kid names and return the kid; raises UnknownKey or BadSignature."""
    kid = header.get("kid")
    if not isinstance(kid, str) or (public := keys.get(kid)) is None:
        raise UnknownKey("kid is missing or not trusted")
    try:
        public.verify(signature, f"{header_b64}.{payload_b64}".encode("ascii"))
    except InvalidSignature:
        raise BadSignature("signature does not verify") from None
    return kid


# Hand-written on purpose: the goal is >= 75 % of the rate of a bare Ed25519 verify.
# jwt.decode adds option merging, its own base64 checks and generic claim validation:
# ~100-130 us per call and ~64 % of bare as measured for shared/ECOSYSTEM.md; on the
# run of this commit PyJWT 2.15 cost ~17 us (78 % of bare) and this ~7 us (89 %),
# see bench/bench_qr.py. This does only what the format needs: strict split and
# base64url, two json.loads, one verify with an already-loaded key, typed claims.
def verify_code(
    token: str | bytes,
    keys: Mapping[str, Ed25519PublicKey],
    *,
    now: int,
    leeway: int = LEEWAY,
) -> CodeClaims:
    """Verify a personal code; raises a CodeError subclass (see qr.errors) if rejected."""
    if isinstance(token, (bytes, bytearray)):
        if len(token) > MAX_TOKEN_CHARS:
            raise MalformedCode("token too long")
        try:
            token = bytes(token).decode("ascii")
        except UnicodeDecodeError:
            raise MalformedCode("token is not ASCII") from None
    elif not isinstance(token, str):
        raise MalformedCode("token must be str or bytes")
    if len(token) > MAX_TOKEN_CHARS:
        raise MalformedCode("token too long")
    if token.startswith(PREFIX):
        token = token[len(PREFIX) :]
    header_b64, payload_b64, header, payload, signature = parse_compact(token)
    if "typ" in header:
        raise WrongTokenType("token has a typ: not a personal code")
    kid = check_signature(header_b64, payload_b64, header, signature, keys)

    claims = _claims(payload, kid)
    if claims.expires_at + leeway <= now:
        raise ExpiredCode("code has expired")
    if claims.expires_at > now + MAX_CODE_TTL + leeway:
        raise NotYetValid("code expires further ahead than any code is issued for")
    return claims


def _claims(payload: dict[str, Any], kid: str) -> CodeClaims:
    """The claims of format 2 or format 1 (exactly those keys, well typed); raises WrongTokenType."""
    exp = payload.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool):
        raise WrongTokenType("claims are not those of a personal code")
    sub = payload.get("sub")
    if payload.keys() == {"sub", "exp", "e"}:
        e = payload["e"]
        if isinstance(sub, str) and _PSEUDONYM_RE.fullmatch(sub) and isinstance(e, str) and _B64_RE.fullmatch(e):
            return CodeClaims(sub=sub, grade=None, jti=sub, expires_at=exp, kid=kid, version=2, eligibility=e)
    elif payload.keys() == {"sub", "g", "exp", "jti"}:
        grade, jti = payload["g"], payload["jti"]
        if isinstance(sub, str) and sub and isinstance(jti, str) and jti and isinstance(grade, str) and grade in GRADES:
            return CodeClaims(sub=sub, grade=grade, jti=jti, expires_at=exp, kid=kid)
    raise WrongTokenType("claims are not those of a personal code")
