"""Errors raised when a scanned code is rejected; each names its scan outcome."""

from __future__ import annotations


class CodeError(Exception):
    """Base of every rejection; ``outcome`` is the stable machine-readable reason."""

    outcome: str = "error"


class MalformedCode(CodeError):
    """Not a compact JWS of ours: bad structure, base64url, JSON, size or ``crit``."""

    outcome = "malformed"


class BadSignature(CodeError):
    """Signature invalid, or ``alg`` is not EdDSA (the token never reaches a key)."""

    outcome = "bad_signature"


class UnknownKey(CodeError):
    """``kid`` missing or not among the keys currently trusted for verification."""

    outcome = "unknown_key"


class ExpiredCode(CodeError):
    """``exp`` (plus leeway) is in the past."""

    outcome = "expired"


class NotYetValid(CodeError):
    """``exp`` is further ahead than any code we issue could be: issued in the future."""

    outcome = "not_yet_valid"


class WrongTokenType(CodeError):
    """Validly signed by our key but not a personal code (``typ`` header or other claims)."""

    outcome = "wrong_type"
