"""Signing keys: encrypted at rest, served as a JWKS, rotated under a running app."""

from __future__ import annotations

import jwt
import pytest
from sqlalchemy import select

import qr
from backend.keys import codes
from backend.keys import ring as signing_keys
from backend.models import SigningKey
from backend.platform import crypto
from tests.factories import bearer, operator_token, person, resident_id


def verify_with_jwks(client, token: str) -> dict:
    """What a scanner vendor does: fetch the JWKS and verify with a stock JOSE library."""
    jwks = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").get_json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next((k for k in jwks.keys if k.key_id == kid), None)
    if key is None:
        raise qr.UnknownKey(kid)
    return jwt.decode(token, key, algorithms=["EdDSA"], options={"verify_exp": False})


def test_private_key_is_encrypted_at_rest(app, db):
    signing_keys.keyring()
    row = db.session.execute(select(SigningKey)).scalar_one()
    signer = signing_keys.keyring().signer
    assert signer.private_bytes() not in row.private_key_enc.encode()
    assert crypto.decrypt(row.private_key_enc) == signer.private_bytes()


def test_jwks_is_cacheable_and_conditional(client):
    resp = client.get("/.well-known/jwks.json")
    assert resp.status_code == 200
    assert "max-age=" in resp.headers["Cache-Control"] and resp.headers["ETag"]
    (key,) = resp.get_json()["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA" and "d" not in key
    again = client.get("/.well-known/jwks.json", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


def test_code_verifies_against_jwks_and_carries_no_personal_data(app, client):
    rid = resident_id()
    subject = person("王小明", grade="A", rid=rid)
    issued = codes.issue_code(subject)
    claims = verify_with_jwks(client, issued.token)
    # Exactly three claims: a per-code pseudonym, expiry and the masked offline eligibility (format 2).
    assert set(claims) == {"sub", "exp", "e"} and claims["exp"] == issued.expires_at and claims["sub"] == issued.jti
    decoded = str(jwt.get_unverified_header(issued.token)) + str(claims)
    assert "王" not in decoded and rid not in decoded and "小明" not in decoded
    assert subject.handle not in decoded and '"A"' not in decoded  # neither the handle nor the grade


def test_rotation_under_running_app(app, client, clock):
    admin = bearer(operator_token("admin"))
    subject = person()
    old = codes.issue_code(subject)
    old_kid = jwt.get_unverified_header(old.token)["kid"]

    resp = client.post("/api/dept/v1/signing-keys/rotate", headers=admin)
    assert resp.status_code == 201
    new_kid = resp.get_json()["kid"]
    new = codes.issue_code(subject)
    assert jwt.get_unverified_header(new.token)["kid"] == new_kid != old_kid

    # During the grace period both keys are published and both codes verify.
    kids = {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert kids == {old_kid, new_kid}
    verify_with_jwks(client, old.token)
    verify_with_jwks(client, new.token)
    assert signing_keys.keyring().verification_keys(int(clock())).keys() == {old_kid, new_kid}

    # The retired key's private half is gone from the database.
    retired = app.extensions["sqlalchemy"].session.execute(
        select(SigningKey).where(SigningKey.kid == old_kid)).scalar_one()
    assert retired.private_key_enc is None and retired.is_signer is None

    # Once every code it signed has expired, the old key is no longer published.
    clock.advance(qr.MAX_CODE_TTL + qr.LEEWAY + 1)
    kids = {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert kids == {new_kid}
    with pytest.raises(qr.UnknownKey):
        verify_with_jwks(client, old.token)
    with pytest.raises(qr.UnknownKey):
        qr.verify_code(old.token, signing_keys.keyring().verification_keys(int(clock())), now=int(clock()))


def test_rotation_needs_admin(client, app):
    dept = bearer(operator_token("department"))
    resp = client.post("/api/dept/v1/signing-keys/rotate", headers=dept)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "wrong_role"


def test_cli_rotation_is_audited(runner, app):
    signing_keys.keyring()
    result = runner.invoke(args=["rotate-signing-key"])
    assert result.exit_code == 0 and "is active" in result.output
    assert len(signing_keys.keyring().published(int(app.config["CLOCK"]()))) == 2
    assert "audit log intact: 2 entries" in runner.invoke(args=["verify-audit-log"]).output
