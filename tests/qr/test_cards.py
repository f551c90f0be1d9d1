"""qr.cards: the resident card is a document type of its own, signed and verified without an app."""

from __future__ import annotations

import json

import pytest

import qr
from qr.b64 import b64url_decode, b64url_encode

NOW = 1_800_000_000
YEAR = 365 * 86400


@pytest.fixture
def key():
    return qr.generate_signing_key()


def card(key, serial="7K3M9QXP2DHW", expires_at=NOW + YEAR):
    return qr.sign_card(key, serial=serial, expires_at=expires_at, now=NOW)


def test_a_card_verifies_and_carries_only_its_serial_and_validity(key):
    token = card(key)
    assert qr.is_card(token) and qr.is_card("SWC:" + token)
    claims = qr.verify_card(token, {key.kid: key.public}, now=NOW)
    assert (claims.serial, claims.expires_at, claims.kid) == ("7K3M9QXP2DHW", NOW + YEAR, key.kid)
    assert json.loads(b64url_decode(token.split(".")[1])) == {"cs": "7K3M9QXP2DHW", "exp": NOW + YEAR}
    assert qr.qr_version(token) <= 10


def test_a_card_never_passes_as_a_phone_code_nor_a_code_as_a_card(key):
    with pytest.raises(qr.WrongTokenType):
        qr.verify_code(card(key), {key.kid: key.public}, now=NOW)
    code = qr.sign_code(key, sub="abc", grade="A", now=NOW).token
    assert not qr.is_card(code)
    with pytest.raises(qr.WrongTokenType):
        qr.verify_card(code, {key.kid: key.public}, now=NOW)
    bundle = qr.sign_document(key, qr.BUNDLE_TYP, {"cs": "7K3M9QXP2DHW", "exp": NOW + 10})
    with pytest.raises(qr.WrongTokenType):
        qr.verify_card(bundle, {key.kid: key.public}, now=NOW)


def test_expired_tampered_unknown_and_overlong_cards_are_refused(key):
    with pytest.raises(qr.ExpiredCode):
        qr.verify_card(card(key), {key.kid: key.public}, now=NOW + YEAR + qr.LEEWAY)
    header, _, signature = card(key).split(".")
    forged = b64url_encode(json.dumps({"cs": "ZZZZZZZZZZZZ", "exp": NOW + YEAR}, separators=(",", ":")).encode())
    with pytest.raises(qr.BadSignature):
        qr.verify_card(f"{header}.{forged}.{signature}", {key.kid: key.public}, now=NOW)
    with pytest.raises(qr.UnknownKey):
        qr.verify_card(card(key), {}, now=NOW)
    with pytest.raises(ValueError):
        card(key, expires_at=NOW + (qr.MAX_CARD_DAYS + 1) * 86400)
    with pytest.raises(ValueError):
        card(key, serial="short")
