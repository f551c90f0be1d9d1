"""Authorise → fetch exactly the authorised scopes → revoke → 403; expiry; other banks refused; the subject sees
every fetch; personal data only when the resident includes it; the signature verifies with joserfc."""

from __future__ import annotations

import json

import pytest
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from backend.banks import PROFILE_TYP, bank_fetches_of
from backend.models import AuditEntry, BankFetch, Subject
from backend.platform.extensions import db
from tests.banks.helpers import admin_headers, authorise, new_bank, profile
from tests.credit.helpers import SAMR, dept, penalty, record
from tests.factories import resident_id

DAY = 86400
NAME = "陈晓明"


@pytest.fixture
def resident(mp):
    """A bound resident with a penalty, a declaration and a licence on file."""
    rid = resident_id(4101)
    assert mp.bind(rid, name=NAME).status_code == 200
    headers = dept(SAMR)
    for body in (penalty({"resident_id": rid}), record({"resident_id": rid}, "declaration", result="honour"),
                 record({"resident_id": rid}, "admin_licence")):
        assert mp.client.post("/api/dept/v1/records", headers=headers, json=body).status_code == 201
    mp.rid = rid
    return mp


@pytest.fixture
def banks(client):
    admin = admin_headers()
    return new_bank(client, admin, "汕尾农商银行"), new_bank(client, admin, "广发银行汕尾分行")


def test_authorise_fetch_only_the_authorised_scopes_then_revoke_is_refused(client, resident, banks):
    (bank, headers), _ = banks
    auth = authorise(resident, bank["id"], scopes=["grade", "lists"])
    assert auth["state"] == "live" and auth["scopes"] == ["grade", "lists"] and auth["purpose"] == "loan_application"
    assert bank["name"] in auth["consent_text"] and "信用评价及历史" in auth["consent_text"]

    resp = profile(client, headers, auth["handle"])
    assert resp.status_code == 200, resp.get_json()
    claims = resp.get_json()["profile"]
    assert set(claims["data"]) == {"grade", "lists"}
    assert claims["data"]["grade"]["grade"] in "ABCD" and claims["data"]["grade"]["history"]
    assert "breakdown" not in claims["data"]["grade"]  # the breakdown names records: another scope
    assert claims["subject"] == {"kind": "person"}  # no name, no id: personal data was not authorised
    text = resp.get_data(as_text=True)
    assert NAME not in text and resident.rid not in text and resident.rid[-4:] not in text

    revoked = resident.post(f"/me/bank-authorisations/{auth['handle']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    refused = profile(client, headers, auth["handle"])
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "authorisation_revoked"
    assert "撤销" in refused.get_json()["error"]["message"]
    assert resident.post(f"/me/bank-authorisations/{auth['handle']}/revoke").status_code == 409


def test_default_scopes_are_the_public_file_the_grade_and_the_lists(client, resident, banks):
    (bank, headers), _ = banks
    auth = authorise(resident, bank["id"])
    assert auth["scopes"] == ["public_file", "grade", "lists"]
    data = profile(client, headers, auth["handle"]).get_json()["profile"]["data"]
    assert set(data) == {"public_file", "grade", "lists"}
    assert {r["category"] for r in data["public_file"]} == {"admin_penalty", "admin_licence"}  # no declaration
    assert data["lists"]["status"] == {"red": False, "black": False, "watch": False}


def test_declarations_and_disclosures_return_what_the_file_holds(client, resident, banks):
    (bank, headers), _ = banks
    auth = authorise(resident, bank["id"], scopes=["declarations", "disclosures"])
    data = profile(client, headers, auth["handle"]).get_json()["profile"]["data"]
    assert [r["category"] for r in data["declarations"]] == ["declaration"]
    assert {r["category"] for r in data["disclosures"]} == {"admin_penalty", "admin_licence"}


def test_expiry_after_the_last_day_of_the_validity(client, resident, banks, clock):
    (bank, headers), _ = banks
    auth = authorise(resident, bank["id"], validity_days=90)
    clock.advance(90 * DAY)  # the 90th day after consent: still live (the consent day is not counted)
    assert profile(client, headers, auth["handle"]).status_code == 200
    clock.advance(DAY)
    refused = profile(client, headers, auth["handle"])
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "authorisation_expired"
    resident.login()  # the mini-program session itself lasted a week
    assert resident.get("/me/bank-authorisations").get_json()["items"][0]["state"] == "expired"


def test_a_second_bank_without_consent_is_refused(client, resident, banks):
    (bank, _), (_, other) = banks
    auth = authorise(resident, bank["id"])
    for handle in (auth["handle"], "BAnosuchhandle0000000000"):
        refused = profile(client, other, handle)
        assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "no_authorisation"
    assert db.session.query(BankFetch).count() == 0
    denied = db.session.query(AuditEntry).filter_by(action="access.denied").all()
    assert [e.details["code"] for e in denied][-2:] == ["no_authorisation", "no_authorisation"]


def test_the_subject_sees_each_fetch(client, resident, banks):
    (bank, headers), _ = banks
    auth = authorise(resident, bank["id"], scopes=["grade"], purpose="loan_renewal")
    for _ in range(2):
        assert profile(client, headers, auth["handle"]).status_code == 200
    mine = resident.get("/me/bank-authorisations").get_json()
    assert mine["meta"]["total"] == 1
    fetches = mine["items"][0]["fetches"]
    assert len(fetches) == 2
    assert {(f["bank_name"], tuple(f["scopes"]), f["purpose"], f["purpose_zh"]) for f in fetches} == {
        (bank["name"], ("grade",), "loan_renewal", "续贷")}
    assert all(f["operator_id"] and f["fetched_at"] for f in fetches)
    subject = db.session.query(Subject).filter_by(handle=auth["subject_handle"]).one()
    assert [f["document_id"] for f in bank_fetches_of(subject.id)] == [f["document_id"] for f in fetches]
    audited = db.session.query(AuditEntry).filter_by(action="bank.fetch_profile").all()
    assert len(audited) == 2 and {e.purpose for e in audited} == {"loan_renewal"}
    assert {e.action for e in db.session.query(AuditEntry)} >= {"bank_authorisation.grant", "bank.register"}
    looked = resident.get("/me/queries").get_json()["items"]  # the same fetches in "who looked at my file"
    assert [(q["kind"], q["organisation"], q["role_zh"], q["purpose"]) for q in looked] == [
        ("financing", bank["name"], "银行", "续贷")] * 2


def test_personal_data_only_when_the_resident_includes_it(client, resident, banks):
    (bank, headers), _ = banks
    masked = authorise(resident, bank["id"], scopes=["grade", "personal_data"])
    subject = profile(client, headers, masked["handle"]).get_json()["profile"]["subject"]
    assert subject["name"] == NAME and subject["id_number"] != resident.rid
    assert subject["id_number"][:4] == resident.rid[:4] and "*" in subject["id_number"] and subject["id_number_shown"] == "masked"
    clear = authorise(resident, bank["id"], scopes=["personal_data"], id_shown="clear")
    subject = profile(client, headers, clear["handle"]).get_json()["profile"]["subject"]
    assert subject == {"kind": "person", "name": NAME, "id_number": resident.rid, "id_number_shown": "clear"}


def test_the_signed_profile_verifies_with_joserfc_against_the_jwks(client, resident, banks):
    (bank, headers), _ = banks
    auth = authorise(resident, bank["id"], scopes=["grade", "lists"])
    body = profile(client, headers, auth["handle"]).get_json()
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    token = jws.deserialize_compact(body["document"], keys, algorithms=["EdDSA"])
    assert token.headers()["typ"] == PROFILE_TYP == body["typ"] and token.headers()["kid"] == body["kid"]
    published = client.get("/.well-known/jwks.json").get_json()["keys"]
    assert body["jwk"] == next(k for k in published if k["kid"] == body["kid"])
    claims = json.loads(token.payload)
    assert claims == body["profile"] and claims["sub"] == auth["handle"] and claims["aud"] == f"bank:{bank['uscc']}"
    tampered = body["document"][:-4] + ("AAAA" if not body["document"].endswith("AAAA") else "BBBB")
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(tampered, keys, algorithms=["EdDSA"])


def test_a_merchant_owner_authorises_for_the_merchant(client, mp, banks):
    from tests.merchants.helpers import handle_of, market_operator, merchant

    (bank, headers), _ = banks
    row = merchant("阿海鲜活水产")
    handle = handle_of(row)
    code = client.post(f"/api/dept/v1/merchants/{handle}/binding-codes", headers={
        "Authorization": f"Bearer {market_operator()}"}, json={}).get_json()["binding_code"]
    assert mp.post("/me/merchants", json={"binding_code": code}).status_code == 201
    refused = mp.post("/me/bank-authorisations", json={"bank_id": bank["id"], "merchant_handle": handle,
                                                       "scopes": ["personal_data"]})
    assert refused.status_code == 422  # personal data is a resident's, never a merchant's
    auth = authorise(mp, bank["id"], merchant_handle=handle, scopes=["public_file", "grade"])
    subject = profile(client, headers, auth["handle"]).get_json()["profile"]["subject"]
    assert subject["kind"] == "merchant" and subject["name"] == "阿海鲜活水产" and subject["uscc"]
    assert mp.get("/me/bank-authorisations").get_json()["items"][0]["fetches"][0]["bank_name"] == bank["name"]
    assert mp.post(f"/me/bank-authorisations/{auth['handle']}/revoke").status_code == 200
    assert profile(client, headers, auth["handle"]).status_code == 403
    # Not the owner: not found, so another account learns nothing.
    stranger = mp.__class__(client, mp.fake, "o-stranger").login()
    assert stranger.post("/me/bank-authorisations", json={"bank_id": bank["id"],
                                                          "merchant_handle": handle}).status_code == 404


def test_an_unbound_account_cannot_authorise_for_itself(mp, banks):
    (bank, _), _ = banks
    resp = mp.post("/me/bank-authorisations", json={"bank_id": bank["id"]})
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "identity_required"
