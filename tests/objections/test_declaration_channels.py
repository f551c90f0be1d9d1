"""Declarations as credit commitments, retried with an Idempotency-Key, and made at a service window: the truthfulness
commitment is a 主动型 credit commitment (online, or signed at the counter and recorded by the window); the same key
gives the same declaration and another body with it is refused; a window files for an organisation or a person
without the mini-program, scoped to window operators, audited."""

from __future__ import annotations

import io

from sqlalchemy import select

from backend.models import AuditEntry, CreditCommitment, Declaration, Operator
from backend.platform.extensions import db
from tests.credit.helpers import SAMR, merchant_ref, record
from tests.factories import bearer, operator_token, resident_id
from tests.merchants.helpers import handle_of
from tests.miniprogram_api.helpers import market_merchant
from tests.miniprogram_api.test_merchant_owners import issue
from tests.objections.helpers import PDF, Desk, count
from tests.objections.test_declarations import bound, declaration

WINDOW_DEPT = "汕尾市政务服务中心"


def post_declaration(mp, body: dict, key: str | None, path: str = "/me/declarations"):
    headers = bearer(mp.token) | ({"Idempotency-Key": key} if key else {})
    return mp.client.post("/api/mp/v1" + path, headers=headers, json=body)


def test_the_truthfulness_commitment_is_a_voluntary_credit_commitment_of_the_subject(client, mp):
    bound(mp)
    made = mp.post("/me/declarations", json=declaration()).get_json()
    c = made["commitment"]
    assert (c["commitment_type"], c["type_zh"], c["status"], c["signed_online"]) == ("voluntary", "主动型", "active",
                                                                                      True)
    assert c["accepting_unit"] == SAMR and made["number"] in c["matter"] and "真实" in c["text"]
    assert len(c["code"]) == 20 and c["code"].startswith("44150020260929")
    mine = mp.get("/me/commitments").get_json()["items"]
    assert [m["code"] for m in mine] == [c["code"]]  # the subject's own list of commitments has it
    row = db.session.get(CreditCommitment, db.session.scalar(select(Declaration.commitment_id)))
    assert row.valid_until.isoformat() == "2027-05-31" and row.recorded_by.startswith("mp_account:")


def test_a_retry_with_the_same_key_gives_the_same_declaration_and_another_body_is_refused(client, mp, other_mp):
    bound(mp)
    first = post_declaration(mp, declaration(), "decl-retry-0001")
    assert first.status_code == 201
    again = post_declaration(mp, declaration(), "decl-retry-0001")
    assert again.status_code == 200 and again.get_json()["number"] == first.get_json()["number"]
    assert again.get_json()["commitment"]["code"] == first.get_json()["commitment"]["code"]
    assert count(Declaration) == 1 and count(CreditCommitment) == 1

    reused = post_declaration(mp, declaration(n=2), "decl-retry-0001")
    assert reused.status_code == 422
    error = reused.get_json()["error"]
    assert error["code"] == "idempotency_key_reused" and "Idempotency-Key" in error["message"]
    assert count(Declaration) == 1 and count(CreditCommitment) == 1

    bad_key = post_declaration(mp, declaration(n=3), "short")
    assert bad_key.status_code == 422 and count(Declaration) == 1
    assert post_declaration(mp, declaration(n=4), None).status_code == 201  # no key: a new declaration each time
    bound(other_mp, 12)  # another account's key is its own
    assert post_declaration(other_mp, declaration(), "decl-retry-0001").status_code == 201
    assert count(Declaration) == 3 and count(CreditCommitment) == 3


def test_the_same_key_for_another_subject_is_refused(client, mp):
    """A merchant owner's key sent for themselves and then for their merchant is two bodies, not one."""
    bound(mp)
    _, merchant = market_merchant()
    handle = handle_of(merchant)
    code = issue(client, operator_token("market", market_slug="magong"), handle).get_json()["binding_code"]
    assert mp.post("/me/merchants", json={"binding_code": code}).status_code == 201
    assert post_declaration(mp, declaration(), "decl-owner-0001").status_code == 201
    refused = post_declaration(mp, declaration(), "decl-owner-0001", f"/me/merchants/{handle}/declarations")
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "idempotency_key_reused"
    made = post_declaration(mp, declaration(), "decl-owner-0002", f"/me/merchants/{handle}/declarations")
    assert made.status_code == 201 and made.get_json()["channel"] == "merchant"


def organisation(desk: Desk) -> str:
    """An organisation with a file (a licence filed by SAMR); its USCC."""
    ref = merchant_ref(41)
    assert desk.post("/records", desk.samr, json=record(ref, "admin_licence", title="食品经营许可证")).status_code == 201
    return ref["uscc"]


def window_body(**over) -> dict:
    return {**declaration(), "applicant": "李经办", **over}


def test_a_window_declares_for_an_organisation_with_the_commitment_signed_at_the_counter(client):
    desk = Desk(client)
    uscc = organisation(desk)
    clerk = db.session.scalars(select(Operator).where(Operator.role == "window")).one()
    keyed = {**desk.window, "Idempotency-Key": "win-decl-0001"}
    made = desk.post("/declarations", keyed, json=window_body(uscc=uscc))
    assert made.status_code == 201, made.get_json()
    d = made.get_json()
    assert (d["channel"], d["channel_zh"], d["applicant"], d["state"]) == ("window", "政务服务窗口", "李经办",
                                                                           "verifying")
    c = d["commitment"]
    assert (c["commitment_type"], c["signed_online"], c["accepting_unit"]) == ("voluntary", False, SAMR)
    row = db.session.scalar(select(Declaration))
    assert row.window_operator_id == clerk.id and row.account_id is None
    assert db.session.get(CreditCommitment, row.commitment_id).recorded_by == clerk.actor  # recorded by the window
    audited = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration.submit"))
    assert audited.actor == clerk.actor and audited.details["channel"] == "window"
    assert audited.details["commitment"] == c["code"] and "李经办" not in str(audited.details)  # no names in the log

    again = desk.post("/declarations", keyed, json=window_body(uscc=uscc))
    assert again.status_code == 200 and again.get_json()["number"] == d["number"] and count(Declaration) == 1

    # the window adds the evidence, sees what it filed; the department verifies it as any other
    up = client.post(f"/api/dept/v1/declarations/{d['number']}/evidence", headers=desk.window,
                     content_type="multipart/form-data", data={"files": [(io.BytesIO(PDF), "表彰文件.pdf")]})
    assert up.status_code == 201, up.get_json()
    assert [x["number"] for x in desk.get("/declarations", desk.window).get_json()["items"]] == [d["number"]]
    assert desk.get(f"/declarations/{d['number']}", desk.window).get_json()["evidence"]
    other_window = bearer(operator_token("window", department=WINDOW_DEPT))
    assert desk.get(f"/declarations/{d['number']}", other_window).status_code == 404
    assert desk.get("/declarations", other_window).get_json()["items"] == []
    done = desk.post(f"/declarations/{d['number']}/decide", desk.samr, json={"decision": "verified"}).get_json()
    assert done["state"] == "verified"


def test_a_window_declares_for_a_person_by_resident_id_and_the_person_later_sees_it(client, mp):
    desk = Desk(client)
    rid = resident_id(21)
    assert desk.post("/records", desk.samr, json=record({"resident_id": rid}, "honour")).status_code == 201
    made = desk.post("/declarations", desk.window, json=window_body(resident_id=rid, category="public_welfare",
                                                                     title="无偿献血"))
    assert made.status_code == 201, made.get_json()
    assert bound(mp, 21) == rid  # binding later: the person's own list shows what the window filed
    assert [x["number"] for x in mp.get("/me/declarations").get_json()["items"]] == [made.get_json()["number"]]


def test_a_window_declaration_needs_a_subject_with_a_file_the_commitment_and_a_window_operator(client):
    desk = Desk(client)
    unknown = desk.post("/declarations", desk.window, json=window_body(uscc=merchant_ref(42)["uscc"]))
    assert unknown.status_code == 404 and "信用档案" in unknown.get_json()["error"]["message"]
    uscc = organisation(desk)
    unsigned = desk.post("/declarations", desk.window, json=window_body(uscc=uscc, commitment_accepted=False))
    assert unsigned.get_json()["error"]["code"] == "commitment_required"
    no_agent = desk.post("/declarations", desk.window, json={**declaration(), "uscc": uscc})
    assert no_agent.status_code == 422 and "applicant" in no_agent.get_json()["error"]["details"]["json"]
    market_merchant()
    for role in ("department", "market"):
        token = operator_token(role, **({"market_slug": "magong"} if role == "market" else {}))
        refused = desk.post("/declarations", bearer(token), json=window_body(uscc=uscc))
        assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "wrong_role", role
    assert count(Declaration) == 0 and count(CreditCommitment) == 0
    denied = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")).all()
    assert len(denied) == 2 and {e.details["route"] for e in denied} == {"/api/dept/v1/declarations"}
