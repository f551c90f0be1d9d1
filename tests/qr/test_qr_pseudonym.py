"""qr.pseudonym and format-2 codes: the handle sealed per code, per-scenario eligibility, the size budget."""

from __future__ import annotations

import os

import jwt
import pytest

import qr
from qr import open_handle, pack_eligibility, read_eligibility, scenario_key, seal_handle, seal_key, sign_code_v2
from qr.b64 import b64url_decode

NOW = 1_764_580_000
SCENARIOS = ("transit", "lodging", "medical", "tourism", "market", "parking")


@pytest.fixture
def secret() -> bytes:
    return os.urandom(32)


def slot_keys(secret: bytes) -> dict[int, bytes]:
    return {slot: scenario_key(secret, name) for slot, name in enumerate(SCENARIOS)}


def test_the_pseudonym_opens_to_handle_and_generation_and_differs_every_time(secret):
    key = seal_key(secret)
    first, second = seal_handle(key, "k3Jd9xQ2", 7), seal_handle(key, "k3Jd9xQ2", 7)
    assert first != second and len(first) == 22 and "k3Jd9xQ2" not in first
    assert open_handle(key, first) == open_handle(key, second) == ("k3Jd9xQ2", 7)
    assert open_handle(key, seal_handle(key, "k3Jd9xQ2", 65536 + 3)) == ("k3Jd9xQ2", 3)  # generations wrap


def test_another_key_or_a_mangled_pseudonym_does_not_open(secret):
    sub = seal_handle(seal_key(secret), "k3Jd9xQ2", 0)
    with pytest.raises(qr.MalformedCode):
        open_handle(seal_key(os.urandom(32)), sub)
    for bad in ("", "x" * 22, sub[:-1], sub + "A", "k3Jd9xQ2"):
        with pytest.raises(qr.MalformedCode):
            open_handle(seal_key(secret), bad)
    with pytest.raises(ValueError):
        seal_handle(seal_key(secret), "short", 0)


def test_each_slot_reads_its_own_bits_only_with_its_own_key(secret):
    keys = slot_keys(secret)
    sub = seal_handle(seal_key(secret), "k3Jd9xQ2", 0)
    bits = {0: 0b0001, 1: 0b0000, 2: 0b1010, 3: 0b0111, 4: 0b1111, 5: 0b0100}
    e = pack_eligibility(sub, bits, keys)
    assert len(e) == 4  # 6 slots, 4 bits each: 3 bytes
    assert {slot: read_eligibility(e, sub, slot, keys[slot]) for slot in keys} == bits
    assert read_eligibility(e, sub, 9, keys[0]) == 0  # no such slot in this code


def test_without_the_key_a_nibble_says_nothing():
    """Masks are per code: the same bits under one scenario key read differently for every code."""
    secret = os.urandom(32)
    keys = slot_keys(secret)
    seal, seen = seal_key(secret), set()
    for _ in range(200):
        sub = seal_handle(seal, "k3Jd9xQ2", 0)
        seen.add(b64url_decode(pack_eligibility(sub, {0: 0b0001}, {0: keys[0]}))[0] >> 4)  # slot 0's nibble
    assert seen == set(range(16))  # every nibble value appears: the cleartext bits are not visible


def test_a_format_2_code_fits_qr_version_10_and_verifies_with_any_jose_library(secret):
    key = qr.generate_signing_key()
    sub = seal_handle(seal_key(secret), "k3Jd9xQ2", 0)
    issued = sign_code_v2(key, sub=sub, eligibility=pack_eligibility(sub, {0: 1}, slot_keys(secret)), now=NOW)
    assert len(issued.token) <= 213 and qr.qr_version(issued.token, "M") <= 10
    claims = jwt.decode(issued.token, key.public, algorithms=["EdDSA"], options={"verify_exp": False})
    assert set(claims) == {"sub", "exp", "e"} and claims["sub"] == sub
    verified = qr.verify_code(issued.token, {key.kid: key.public}, now=NOW)
    assert (verified.version, verified.sub, verified.jti, verified.grade) == (2, sub, sub, None)


def test_claims_must_be_exactly_one_format(secret):
    key = qr.generate_signing_key()
    sub = seal_handle(seal_key(secret), "k3Jd9xQ2", 0)
    for claims in ({"sub": sub, "exp": NOW + 60, "e": "AAAA", "g": "A"},  # a format-2 code with a grade
                   {"sub": "k3Jd9xQ2", "exp": NOW + 60, "e": "AAAA"},  # a handle where a pseudonym goes
                   {"sub": sub, "exp": NOW + 60}):
        token = jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid, "typ": None})
        with pytest.raises(qr.WrongTokenType):
            qr.verify_code(token, {key.kid: key.public}, now=NOW)
