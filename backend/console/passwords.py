"""Passwords hashed with scrypt (memory-hard, in the standard library) and TOTP codes (RFC 6238).

scrypt rather than argon2-cffi: hashlib has it, so nothing new to pin and audit; n=2**15, r=8 costs 32 MiB
and ~0.1 s a check, which bounds guessing on a stolen table. TOTP is written out (RFC 6238 over RFC 4226,
SHA-1, 6 digits, 30 s steps) rather than taken from pyotp: it is twenty lines of hmac, checked against the
RFC's own test vectors (tests/console/test_passwords.py), and every authenticator app speaks it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
STEP_SECONDS = 30
DIGITS = 6


def hash_password(password: str) -> str:
    """scrypt$n$r$p$salt$hash, all base64 where binary."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def check_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(got, base64.b64decode(digest))


def new_totp_secret() -> str:
    """160 random bits in base32, as authenticator apps take them."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def hotp(secret: str, counter: int, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226: HMAC of the counter, dynamic truncation, `digits` decimal digits."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    mac = hmac.new(key, struct.pack(">Q", counter), algorithm).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def totp_step(ts: float) -> int:
    return int(ts) // STEP_SECONDS


def totp_match(secret: str, code: str, ts: float, after_step: int) -> int | None:
    """The time step `code` is valid for (now, or one step either side for clock drift), if later than
    `after_step` (the last one used: a code works once); else None."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != DIGITS:
        return None
    now = totp_step(ts)
    for step in (now - 1, now, now + 1):
        if step > after_step and hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, username: str, issuer: str = "信用汕尾") -> str:
    """otpauth://totp/… for an authenticator app (typed in, or shown as a QR code)."""
    return (f"otpauth://totp/{quote(issuer)}:{quote(username)}?secret={secret}&issuer={quote(issuer)}"
            f"&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}")
