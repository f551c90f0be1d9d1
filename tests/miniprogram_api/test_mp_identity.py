"""Real-name binding (through face verification, tests/miniprogram_api/helpers.MpClient.bind): valid,
invalid and already-bound ids; records filed before binding appear after it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from backend.models import AuditEntry, CreditRecord, MpAccount, Subject
from backend.platform.audit import verify_chain
from backend.platform.extensions import db
from tests.factories import person, resident_id


def test_binding_stores_the_id_encrypted_and_shows_it_masked(mp):
    rid = resident_id(11)
    resp = mp.bind(rid, "陈晓明")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["identity_bound"] is True and body["display_name"] == "陈*明"
    assert body["id_number_masked"] == rid[:4] + "*" * 10 + rid[-4:]
    assert rid not in resp.get_data(as_text=True)
    subject = db.session.execute(select(Subject)).scalar_one()
    assert rid not in (subject.resident_id_enc + subject.resident_id_hash + (subject.name_enc or ""))
    assert mp.get("/me").get_json()["id_number_masked"] == body["id_number_masked"]
    assert verify_chain().ok and verify_chain().checked == 2  # the verification opened, the binding


def test_invalid_id_is_422(mp):
    rid = resident_id(12)
    wrong_check = rid[:17] + ("0" if rid[17] != "0" else "1")
    resp = mp.bind(wrong_check)
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "invalid_resident_id"
    assert mp.get("/me").get_json()["identity_bound"] is False


def test_records_filed_before_binding_appear_after_it(mp):
    rid = resident_id(13)
    filed = person("陈晓明", grade="C", rid=rid)
    db.session.add(CreditRecord(subject_id=filed.id, category="admin_penalty", severity="general",
                                title="未按规定明码标价", department="汕尾市市场监督管理局", document_no="汕市监罚〔2026〕7号",
                                legal_basis="《价格违法行为行政处罚规定》", decided_on=dt.date(2026, 3, 1)))
    db.session.commit()
    assert mp.get("/me/credit").status_code == 403
    assert mp.bind(rid, "陈晓明").status_code == 200
    credit = mp.get("/me/credit").get_json()
    assert credit["grade"] == "C" and [r["title"] for r in credit["records"]] == ["未按规定明码标价"]
    # No grade was ever computed for this file, yet the breakdown explains it from the records.
    (line,) = credit["breakdown"]["records"]
    assert line["document_no"] == "汕市监罚〔2026〕7号" and line["points"] < 0
    assert credit["breakdown"]["score"] == credit["breakdown"]["base_score"] + line["points"]
    assert db.session.scalar(select(func.count(Subject.id))) == 1
    assert db.session.execute(select(MpAccount.subject_id)).scalar_one() == filed.id


def test_a_name_differing_from_the_file_binds_once_wechat_verified_it_and_is_noted(mp):
    """WeChat checked name, id and face against the authority: the department's spelling is what is in doubt."""
    rid = resident_id(14)
    filed = person("陈晓明", rid=rid)
    assert mp.bind(rid, "陈小明").status_code == 200
    assert db.session.execute(select(MpAccount.subject_id)).scalar_one() == filed.id
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "mp_account.bind_identity")).scalar_one()
    assert entry.details["filed_name_differs"] is True and entry.details["method"] == "face"


def test_one_id_cannot_bind_two_wechat_accounts(mp, other_mp):
    rid = resident_id(15)
    assert mp.bind(rid).status_code == 200
    resp = other_mp.bind(rid)
    assert resp.status_code == 409
    error = resp.get_json()["error"]
    assert error["code"] == "id_already_bound" and "申诉" in error["details"]["appeal"]
    assert other_mp.get("/me").get_json()["identity_bound"] is False


def test_a_bound_account_cannot_bind_again(mp):
    rid = resident_id(16)
    assert mp.bind(rid).status_code == 200
    for again in (rid, resident_id(17)):
        resp = mp.bind(again)
        assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "account_already_bound"


def test_binding_attempts_are_rate_limited_per_account(app, mp, other_mp):
    app.config["MP_BIND_RATE_LIMIT"] = "2 per hour"
    bad = resident_id(18)[:17] + "Y"
    assert [mp.bind(bad).status_code for _ in range(3)] == [422, 422, 429]
    assert other_mp.bind(bad).status_code == 422
