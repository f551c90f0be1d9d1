"""The printed resident card: a long-lived signed document for residents without a smartphone.

A compact JWS like the personal code, but a document type of its own (header ``typ`` sw-card+jwt), so
it never passes as a phone code (``verify_code`` refuses any ``typ``) nor a phone code as a card.
Claims exactly ``{"cs": <card serial>, "exp": <epoch>}``: a random serial and the end of validity
(at most MAX_CARD_DAYS after issue). No handle, no name, no grade, no id number: the serial names
the card only, the server alone knows whose it is, and two cards of one person share nothing. A card
is revoked by its serial (lost card), at once online and through the trust bundle offline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from qr.b64 import decode_checked
from qr.codes import LEEWAY, PREFIX
from qr.errors import ExpiredCode, NotYetValid, WrongTokenType
from qr.keys import SigningKey
from qr.signed import sign_document, verify_document

CARD_TYP = "sw-card+jwt"
MAX_CARD_DAYS = 366  # one year, a leap day included
MAX_CARD_SECONDS = MAX_CARD_DAYS * 86400
SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # read aloud at a window: no 0/O, 1/I/L
SERIAL_RE = re.compile(f"[{SERIAL_ALPHABET}]{{12}}")
_CARD_HEADER_PREFIX = "eyJhbGciOiJFZERTQSIsImtpZCI6"  # {"alg":"EdDSA","kid":  (sign_document's order)
_MIN_CARD_HEADER = 60


@dataclass(frozen=True)
class CardClaims:
    """A verified card: its serial, end of validity and signing key; raises nothing."""

    serial: str
    expires_at: int
    kid: str


def sign_card(key: SigningKey, *, serial: str, expires_at: int, now: int) -> str:
    """Sign a card valid until expires_at (at most MAX_CARD_DAYS ahead); raises ValueError on bad input."""
    if not isinstance(serial, str) or not SERIAL_RE.fullmatch(serial):
        raise ValueError("serial must be 12 characters of SERIAL_ALPHABET")
    if not isinstance(expires_at, int) or not now < expires_at <= now + MAX_CARD_SECONDS:
        raise ValueError(f"a card is valid for at most {MAX_CARD_DAYS} days")
    return sign_document(key, CARD_TYP, {"cs": serial, "exp": expires_at})


def is_card(token: str | bytes) -> bool:
    """Whether a scanned token claims to be a card (its header names CARD_TYP); cheap, proves nothing."""
    if isinstance(token, (bytes, bytearray)):
        token = bytes(token).decode("ascii", "replace")
    if not isinstance(token, str):
        return False
    token = token.removeprefix(PREFIX)
    head = token.split(".", 1)[0]
    # A phone code's header ({"alg","kid"}) is 43 characters, a card's (with its typ) 70: most scans stop here.
    if not _MIN_CARD_HEADER <= len(head) <= 200 or not head.startswith(_CARD_HEADER_PREFIX):
        return False
    try:
        return f'"typ":"{CARD_TYP}"'.encode() in decode_checked(head)
    except ValueError:
        return False


def verify_card(token: str, keys: Mapping[str, Ed25519PublicKey], *, now: int, leeway: int = LEEWAY) -> CardClaims:
    """Verify a card's signature and validity; raises a qr.CodeError subclass (revocation is the caller's)."""
    if isinstance(token, str):
        token = token.removeprefix(PREFIX)
    claims = verify_document(token, keys, CARD_TYP)
    serial, exp = claims.get("cs"), claims.get("exp")
    if claims.keys() != {"cs", "exp"} or not isinstance(serial, str) or not SERIAL_RE.fullmatch(serial) \
            or not isinstance(exp, int) or isinstance(exp, bool):
        raise WrongTokenType("claims are not those of a resident card")
    if exp + leeway <= now:
        raise ExpiredCode("card has expired")
    if exp > now + MAX_CARD_SECONDS + leeway:
        raise NotYetValid("card valid further ahead than any card is issued for")
    return CardClaims(serial=serial, expires_at=exp, kid=json.loads(decode_checked(token.split(".", 1)[0]))["kid"])
