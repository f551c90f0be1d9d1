"""qr.offline: a signed trust bundle verifies codes without a network and refuses to vouch when too old."""

from __future__ import annotations

import pytest

import qr
from qr import public_jwk, sign_code, sign_document

NOW = 1_750_000_000
RULE = {"code": "bus-discount", "title": "九折", "eligible_grades": "AB", "subject_kinds": "person",
        "quota_count": 1, "quota_period": "day", "valid_from": None, "valid_to": None}


def bundle_claims(key, **over) -> dict:
    claims = {"iss": "信用汕尾", "scenario": "transit", "iat": NOW, "max_age": 3600, "code_ttl": 180,
              "keys": [public_jwk(key.public)], "revoked_subjects": [{"sub": "gone0001", "after": NOW - 10}],
              "revoked_codes": ["Stolen01"], "blocked_subjects": ["black001"], "incentives": [RULE]}
    return {**claims, **over}


@pytest.fixture
def bundle(key) -> qr.TrustBundle:
    return qr.load_bundle(sign_document(key, qr.BUNDLE_TYP, bundle_claims(key)), {key.kid: key.public})


def code(key, sub="k3Jd9xQ2", grade="A", now=NOW, jti=None) -> str:
    return sign_code(key, sub=sub, grade=grade, now=now, jti=jti).token


def test_valid_code_lists_the_perks_for_its_grade(key, bundle):
    result = qr.verify_offline(code(key), bundle, now=NOW + 60)
    assert (result.outcome, result.sub, result.incentives) == ("valid", "k3Jd9xQ2", ("bus-discount",))
    assert qr.verify_offline(code(key, grade="C"), bundle, now=NOW + 60).incentives == ()


def test_too_old_bundle_answers_cannot_verify_never_valid(key, bundle):
    late = NOW + 3601
    result = qr.verify_offline(code(key, now=late), bundle, now=late)
    assert result == qr.OfflineResult("cannot_verify", detail=result.detail)
    assert qr.verify_offline(code(key, now=NOW + 3600), bundle, now=NOW + 3600).outcome == "valid"


def test_bundle_from_the_future_means_a_wrong_clock(key, bundle):
    assert qr.verify_offline(code(key, now=NOW - 600), bundle, now=NOW - 600).outcome == "cannot_verify"


@pytest.mark.parametrize("sub,jti,issued", [("gone0001", None, NOW - 60), ("k3Jd9xQ2", "Stolen01", NOW)])
def test_revoked_subjects_and_codes(key, bundle, sub, jti, issued):
    assert qr.verify_offline(code(key, sub=sub, jti=jti, now=issued), bundle, now=NOW + 5).outcome == "revoked"


def test_subject_revoked_before_a_newer_code_was_issued_is_fine(key, bundle):
    assert qr.verify_offline(code(key, sub="gone0001", now=NOW), bundle, now=NOW + 5).outcome == "valid"


def test_blocked_subject_is_valid_but_gets_no_perks(key, bundle):
    result = qr.verify_offline(code(key, sub="black001"), bundle, now=NOW + 5)
    assert result.outcome == "valid" and result.incentives == ()


def test_rule_outside_its_window_is_not_offered(key):
    claims = bundle_claims(key, incentives=[{**RULE, "valid_to": "2025-01-01"}])
    b = qr.load_bundle(sign_document(key, qr.BUNDLE_TYP, claims), {key.kid: key.public})
    assert qr.verify_offline(code(key), b, now=NOW + 5).incentives == ()


@pytest.mark.parametrize("token,outcome", [("nope", "malformed"), ("a.b.c", "malformed")])
def test_rejections_use_the_fixed_outcomes(bundle, token, outcome):
    assert qr.verify_offline(token, bundle, now=NOW).outcome == outcome


def test_other_keys_and_expiry(key, bundle):
    stranger = qr.generate_signing_key()
    assert qr.verify_offline(code(stranger), bundle, now=NOW).outcome == "unknown_key"
    assert qr.verify_offline(code(key, now=NOW), bundle, now=NOW + 180 + qr.LEEWAY).outcome == "expired"
    header, payload, _ = code(key).split(".")
    other_sig = code(key, sub="zzzzzzzz").split(".")[2]
    assert qr.verify_offline(f"{header}.{payload}.{other_sig}", bundle, now=NOW).outcome == "bad_signature"


def test_bundle_must_be_signed_by_a_trusted_key_with_the_bundle_typ(key):
    token = sign_document(key, qr.BUNDLE_TYP, bundle_claims(key))
    stranger = qr.generate_signing_key()
    with pytest.raises(qr.UnknownKey):
        qr.load_bundle(token, {stranger.kid: stranger.public})
    receipt = sign_document(key, qr.RECEIPT_TYP, bundle_claims(key))
    with pytest.raises(qr.WrongTokenType):
        qr.load_bundle(receipt, {key.kid: key.public})
    header, payload, sig = token.split(".")
    tampered = sign_document(key, qr.BUNDLE_TYP, bundle_claims(key, max_age=10**9)).split(".")[1]
    with pytest.raises(qr.BadSignature):
        qr.load_bundle(f"{header}.{tampered}.{sig}", {key.kid: key.public})
    with pytest.raises(qr.MalformedCode):
        qr.load_bundle(sign_document(key, qr.BUNDLE_TYP, {"iat": NOW}), {key.kid: key.public})


def test_documents_never_pass_as_personal_codes(key):
    token = sign_document(key, qr.RECEIPT_TYP, {"sub": "k3Jd9xQ2", "g": "A", "exp": NOW + 60, "jti": "Zx81bQpL"})
    with pytest.raises(qr.WrongTokenType):
        qr.verify_code(token, {key.kid: key.public}, now=NOW)
