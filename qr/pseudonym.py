"""Code format 2: a per-code pseudonym instead of the handle, per-scenario eligibility instead of the grade.

What a scanner may learn is bounded by its scenario's disclosure profile, so a format-2 code carries
neither the holder's permanent handle nor the grade:

- ``sub`` is the handle sealed in one AES block under the issuing key's *seal key*:
  ``handle (8 bytes) ‖ generation (2) ‖ nonce (6)``, 22 base64url characters. Every code gets a
  fresh nonce, so two codes of one person look unrelated to anyone without the key; the server
  opens it to find the holder and checks the generation (revoking codes bumps it, exactly, with
  no clock involved). ``sub`` also serves as the code's id.
- ``e`` packs 4 bits per *scenario slot*: which of that scenario's offline incentives (bit 0-3)
  the holder qualified for when the code was issued. Each nibble is masked with
  ``HMAC-SHA256(scenario key, sub)``: a scanner's trust bundle carries its own scenario's key, so
  it reads its own nibble and nothing of the others (no grade, no other scenario's perks).

Both keys derive (HKDF-SHA256) from a 32-byte *code secret* per signing key, which the server keeps
encrypted and which survives the key's retirement (the signing half does not). Pure: no clock,
no I/O; keys come in as arguments.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from qr.b64 import b64url_decode, b64url_encode
from qr.errors import MalformedCode

HANDLE_BYTES = 8
GENERATIONS = 1 << 16
NONCE_BYTES = 6
SUB_CHARS = 22  # 16 bytes, base64url
MAX_SLOTS = 16  # scenario slots 0..15: at most 8 bytes of `e`
BITS_PER_SLOT = 4  # offline incentives per scenario
_HANDLE_RE = re.compile(r"[0-9A-Za-z]{8}")


def derive_key(code_secret: bytes, purpose: str) -> bytes:
    """A 32-byte subkey of a code secret for one purpose ("seal", "scenario:<code>"); raises ValueError."""
    if not isinstance(code_secret, bytes) or len(code_secret) != 32:
        raise ValueError("a code secret is 32 bytes")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"sw-code/{purpose}".encode()).derive(code_secret)


def seal_key(code_secret: bytes) -> bytes:
    return derive_key(code_secret, "seal")


def scenario_key(code_secret: bytes, scenario: str) -> bytes:
    return derive_key(code_secret, f"scenario:{scenario}")


def _block(key: bytes, data: bytes, *, decrypt: bool) -> bytes:
    # One AES block: a keyed permutation of 16 bytes (ECB is exactly that for a single block).
    cipher = Cipher(algorithms.AES(key), modes.ECB())
    op = cipher.decryptor() if decrypt else cipher.encryptor()
    return op.update(data) + op.finalize()


def seal_handle(key: bytes, handle: str, generation: int, nonce: bytes | None = None) -> str:
    """The 22-char pseudonym of one code; raises ValueError for a handle that is not 8 of [0-9A-Za-z]."""
    if not isinstance(handle, str) or not _HANDLE_RE.fullmatch(handle):
        raise ValueError("format-2 codes need an 8-character [0-9A-Za-z] handle")
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"nonce must be {NONCE_BYTES} bytes")
    plain = handle.encode("ascii") + (generation % GENERATIONS).to_bytes(2, "big") + nonce
    return b64url_encode(_block(key, plain, decrypt=False))


def open_handle(key: bytes, sub: str) -> tuple[str, int]:
    """(handle, generation) sealed in a pseudonym; raises MalformedCode when it was not sealed with this key."""
    try:
        raw = b64url_decode(sub) if isinstance(sub, str) and len(sub) == SUB_CHARS else b""
    except ValueError:
        raw = b""
    if len(raw) != 16:
        raise MalformedCode("not a code pseudonym")
    plain = _block(key, raw, decrypt=True)
    handle = plain[:HANDLE_BYTES].decode("latin-1")
    if not _HANDLE_RE.fullmatch(handle):  # a wrong key gives random bytes: about 1 in 86,000 pass this
        raise MalformedCode("code pseudonym does not open under this key")
    return handle, int.from_bytes(plain[HANDLE_BYTES:HANDLE_BYTES + 2], "big")


def _mask(key: bytes, sub: str) -> int:
    return hmac.new(key, sub.encode("ascii"), hashlib.sha256).digest()[0] & 0x0F


def pack_eligibility(sub: str, bits_by_slot: Mapping[int, int], keys_by_slot: Mapping[int, bytes]) -> str:
    """`e`: for every slot with a key, its 4 bits masked for this sub; slots without one read as random."""
    slots = max(keys_by_slot, default=-1) + 1
    if slots > MAX_SLOTS:
        raise ValueError(f"at most {MAX_SLOTS} scenario slots")
    nibbles = []
    for slot in range(slots):
        key = keys_by_slot.get(slot)
        bits = bits_by_slot.get(slot, 0)
        if not 0 <= bits < 1 << BITS_PER_SLOT:
            raise ValueError("at most 4 offline incentives per scenario")
        nibbles.append(bits ^ _mask(key, sub) if key is not None else os.urandom(1)[0] & 0x0F)
    if len(nibbles) % 2:
        nibbles.append(os.urandom(1)[0] & 0x0F)
    return b64url_encode(bytes((hi << 4) | lo for hi, lo in zip(nibbles[::2], nibbles[1::2], strict=True)))


def read_eligibility(e: str, sub: str, slot: int, key: bytes) -> int:
    """The 4 bits of one slot (0 when `e` has no such slot); raises MalformedCode for a bad `e`."""
    try:
        raw = b64url_decode(e)
    except ValueError:
        raise MalformedCode("eligibility is not base64url") from None
    if not 0 <= slot < MAX_SLOTS or slot // 2 >= len(raw):
        return 0
    byte = raw[slot // 2]
    nibble = byte >> 4 if slot % 2 == 0 else byte & 0x0F
    return nibble ^ _mask(key, sub)
