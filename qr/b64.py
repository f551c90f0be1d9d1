"""Strict base64url without padding (RFC 7515 section 2); decode raises ValueError."""

from __future__ import annotations

import base64
import re

# Only the URL-safe alphabet: "=", "+", "/", whitespace and non-ASCII are all refused.
B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}


def b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url; raises nothing."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode canonical unpadded base64url; raises ValueError on any other input."""
    if not B64URL_RE.fullmatch(text):
        raise ValueError("not base64url")
    return decode_checked(text)


def decode_checked(text: str) -> bytes:
    """Decode text already known to be in the base64url alphabet; raises ValueError if not canonical."""
    rem = len(text) % 4
    if rem == 1:
        raise ValueError("impossible base64url length")
    # The leftover low bits of the last character must be zero, otherwise several
    # strings would decode to the same bytes (and a signature could be re-spelt).
    if rem == 2 and _INDEX[text[-1]] & 0x0F:
        raise ValueError("non-canonical base64url")
    if rem == 3 and _INDEX[text[-1]] & 0x03:
        raise ValueError("non-canonical base64url")
    return base64.urlsafe_b64decode(text + "=" * (-rem % 4))
