"""A full repair through the mini-program and the department API: too early (with the date), bad uploads,
return for completion (一次性告知), acceptance, extension, denial and approval, with the grade, lists,
一键查询, the public page and the change feed all reflecting the approval; window and overdue; a broken
信用修复型 commitment restoring publication."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import func, select

import qr
from backend.keys import keyring
from backend.models import CreditCommitment, CreditRecord, ListEntry, RepairApplication, Subject, Upload
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today, now_ts
from tests.credit.helpers import days_ago, dept, penalty, sync_catalogue
from tests.factories import bearer, operator_token, resident_id, uscc_code
from tests.merchants.helpers import handle_of
from tests.miniprogram_api.helpers import market_merchant
from tests.repair.helpers import PDF, PNG, act, mp_apply

RECORDS = "/api/dept/v1/records"
DAY = 86400


def file_penalty(client, ref: dict, days: int, **over) -> dict:
    resp = client.post(RECORDS, headers=dept(), json=penalty(ref, severity="general", severity_class="general",
                                                           decided_on=days_ago(days), **over))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["record"]


def black_list(client, ref: dict, record_id: int) -> None:
    resp = client.post("/api/dept/v1/list-entries", headers=dept(), json={
        **ref, "list_type": "black", "reason": "拒不履行处罚决定", "legal_basis": "《广东省社会信用条例》第三十二条",
        "decision_document": f"汕市监黑〔2026〕{record_id}号", "starts_on": days_ago(90), "record_id": record_id})
    assert resp.status_code == 201, resp.get_json()


def counts(db) -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (RepairApplication, Upload, CreditCommitment))


def test_full_repair_flow_through_the_mini_program_and_the_department(client, db, mp):
    sync_catalogue()
    rid = resident_id(77)
    ref = {"resident_id": rid}
    early = file_penalty(client, ref, 40)
    old = file_penalty(client, ref, 120)
    black_list(client, ref, old["id"])
    assert mp.bind(rid).status_code == 200
    subject = db.session.execute(select(Subject).where(Subject.resident_id_masked.is_not(None))).scalar_one()
    assert subject.grade == "D"
    # too early: the message says when it becomes possible; nothing is stored
    resp = mp_apply(mp, early["id"], (PDF, "缴款凭证.pdf"))
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "repair_too_early"
    possible = dt.date.fromisoformat(early["min_publish_until"]) + dt.timedelta(days=1)
    assert f"{possible:%Y年%m月%d日}起可申请信用修复" in resp.get_json()["error"]["message"]
    assert resp.get_json()["error"]["details"]["possible_from"] == possible.isoformat()
    # bad uploads: wrong type, too large, a path in the name — refused, nothing stored
    for files, code in ((((b"MZ\x90\x00", "a.pdf"),), "upload_type"), (((PDF, "../../etc/a.pdf"),), "upload_name")):
        bad = mp_apply(mp, old["id"], *files)
        assert bad.status_code == 422 and bad.get_json()["error"]["code"] == code
    client.application.config["UPLOAD_MAX_BYTES"] = 16
    bad = mp_apply(mp, old["id"], (PDF, "a.pdf"))
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "upload_too_large"
    client.application.config["UPLOAD_MAX_BYTES"] = 10 * 1024 * 1024
    no_commitment = mp_apply(mp, old["id"], (PDF, "a.pdf"), sign_commitment="false")
    assert no_commitment.get_json()["error"]["code"] == "commitment_required"
    assert counts(db) == (0, 0, 0)
    # submitted, with the acceptance deadline from the calendar
    resp = mp_apply(mp, old["id"], (PDF, "缴款凭证.pdf"))
    assert resp.status_code == 201, resp.get_json()
    app = resp.get_json()
    ref_no = app["ref"]
    assert app["state"] == "submitted" and app["fee"] == "免费" and len(app["proofs"]) == 1
    assert app["accept_due"] == add_working_days(china_today(), 1).isoformat()
    assert app["commitment_code"].startswith("441500")
    assert db.session.get(CreditRecord, old["id"]).publication_state == "repair_pending"
    again = mp_apply(mp, old["id"], (PDF, "a.pdf"))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "repair_pending"
    # another department cannot see or act on it (谁认定、谁修复)
    assert act(client, ref_no, "accept", headers=dept("汕尾市生态环境局")).status_code == 404
    # returned once with every missing item, completed, then a second return is refused
    returned = act(client, ref_no, "return", {"items": ["罚款缴纳凭证原件扫描件", "整改情况报告"]})
    assert returned.get_json()["state"] == "returned"
    mine = mp.get(f"/me/repairs/{ref_no}").get_json()
    assert mine["state_zh"] == "材料不全，请补正" and mine["returned_items"] == ["罚款缴纳凭证原件扫描件", "整改情况报告"]
    done = mp.post(f"/me/repairs/{ref_no}/completion", content_type="multipart/form-data",
                   data={"note": "补充整改报告", "files": [(io.BytesIO(PNG), "整改报告.png")]})
    assert done.status_code == 200 and done.get_json()["state"] == "submitted" and len(done.get_json()["proofs"]) == 2
    assert act(client, ref_no, "return", {"items": ["其他"]}).get_json()["error"]["code"] == "already_returned"
    # accepted → under review → extended (+3 working days)
    accepted = act(client, ref_no, "accept").get_json()
    assert accepted["state"] == "under_review"
    assert accepted["decide_due"] == add_working_days(china_today(), 3).isoformat()
    extended = act(client, ref_no, "extend", {"reason": "需向执法大队核实整改情况"}).get_json()
    assert extended["state"] == "extended"
    assert extended["decide_due"] == add_working_days(dt.date.fromisoformat(accepted["decide_due"]), 3).isoformat()
    assert act(client, ref_no, "extend", {"reason": "再延"}).get_json()["error"]["code"] == "repair_wrong_state"
    proof = extended["proofs"][0]["ref"]
    download = client.get(f"/api/dept/v1/repairs/{ref_no}/proofs/{proof}", headers=dept())
    assert download.status_code == 200 and download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    # approval: publication ends, the black-list entry founded on it ends, re-graded, the feed says so
    joint_before = client.get("/api/dept/v1/joint-measures", headers=dept(),
                              query_string={**ref, "purpose": "审批核查"}).get_json()
    assert joint_before["result"] == "listed"
    approved = act(client, ref_no, "approve", {"reason": "已履行完毕，准予修复"}).get_json()
    assert approved["state"] == "propagated" and [h["step"] for h in approved["history"]] == [
        "submitted", "returned", "completed", "accepted", "under_review", "extended", "approved", "propagated"]
    record = db.session.get(CreditRecord, old["id"])
    assert record.publication_state == "repaired" and record.status == "active"  # kept for the authority, marked
    entry = db.session.execute(select(ListEntry)).scalar_one()
    assert entry.removed_at is not None and ref_no in entry.removed_reason
    db.session.expire_all()
    assert db.session.get(Subject, subject.id).grade == "C"  # only the early record counts now (60 → C)
    joint_after = client.get("/api/dept/v1/joint-measures", headers=dept(),
                             query_string={**ref, "purpose": "审批核查"}).get_json()
    assert joint_after["result"] == "not_listed" and joint_after["measures"] == []
    credit = mp.get("/me/credit").get_json()
    assert credit["grade"] == "C" and credit["list_status"]["black"] is False
    assert {r["id"]: r["publication_state"] for r in credit["records"]}[old["id"]] == "repaired"
    assert mp.get("/me/repairs").get_json()["items"][0]["state"] == "propagated"
    # a person's repair is not in the public feed; devices see it without the subject (format 2)
    assert all(i["subject_kind"] != "person" for i in client.get("/api/public/v1/changes").get_json()["items"])
    # denial keeps publication and withdraws the commitment
    second = mp_apply(mp, file_penalty(client, ref, 200)["id"], (PDF, "a.pdf")).get_json()
    act(client, second["ref"], "accept")
    denied = act(client, second["ref"], "deny", {"reason": "罚款尚未缴清"}).get_json()
    assert denied["state"] == "denied" and denied["decision_reason"] == "罚款尚未缴清"
    rec = db.session.execute(select(CreditRecord).where(CreditRecord.id == second["record"]["id"])).scalar_one()
    assert rec.publication_state == "published"
    assert db.session.execute(select(CreditCommitment.status).where(
        CreditCommitment.code == second["commitment_code"])).scalar_one() == "withdrawn"


def test_merchant_owner_repair_reaches_the_public_page_and_feed(client, db, mp):
    sync_catalogue()
    _, merchant = market_merchant()
    handle = handle_of(merchant)
    subject = db.session.get(Subject, merchant.subject_id)
    rec = file_penalty(client, {"uscc": subject.uscc}, 100)
    assert client.get(f"/api/public/v1/merchants/{handle}").get_json()["grade"] == "C"
    code = client.post(f"/api/dept/v1/merchants/{handle}/binding-codes", json={},
                       headers=bearer(operator_token("market", market_slug="magong"))).get_json()["binding_code"]
    assert mp.post("/me/merchants", json={"binding_code": code}).status_code in (200, 201)
    resp = mp_apply(mp, rec["id"], (PDF, "a.pdf"), path=f"/me/merchants/{handle}/repairs")
    assert resp.status_code == 201, resp.get_json()
    ref_no = resp.get_json()["ref"]
    act(client, ref_no, "accept")
    cursor = client.get("/api/public/v1/changes").get_json()["latest"]
    act(client, ref_no, "approve")
    assert client.get(f"/api/public/v1/merchants/{handle}").get_json()["grade"] is None  # nothing counts now
    page = client.get("/api/public/v1/changes", query_string={"after": cursor}).get_json()
    kinds = {i["kind"]: i for i in page["items"]}
    assert kinds["repair_approved"]["subject"] == handle and kinds["repair_approved"]["data"]["repair"] == ref_no
    claims = qr.verify_document(page["page"], keyring().verification_keys(now_ts()), qr.CHANGES_TYP)
    assert [i["id"] for i in claims["items"]] == [i["id"] for i in page["items"]]
    assert mp.get("/me/repairs").get_json()["items"][0]["state"] == "propagated"
    # another owner's merchant is not theirs
    assert mp_apply(mp, rec["id"], (PDF, "a.pdf"), path="/me/merchants/Nobody12/repairs").status_code == 404


def test_window_application_overdue_list_and_csv(client, db, clock):
    org = {"uscc": uscc_code(5)}
    rec = file_penalty(client, org, 150)
    window = bearer(operator_token("window", department="城区政务服务中心"))
    data = {"uscc": org["uscc"], "record_id": str(rec["id"]), "statement": "已履行", "sign_commitment": "是",
            "files": [(io.BytesIO(PDF), "证明.pdf")]}
    resp = client.post("/api/dept/v1/repairs", data=data, content_type="multipart/form-data", headers=window)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["channel"] == "window"
    person = client.post("/api/dept/v1/repairs", headers=window, content_type="multipart/form-data",
                         data={**data, "uscc": "x", "files": []})
    assert person.status_code == 422
    assert client.get("/api/dept/v1/repairs/overdue", headers=bearer(operator_token("admin"))).get_json()["items"] == []
    clock.advance(10 * DAY)  # past any one-working-day acceptance deadline
    overdue = client.get("/api/dept/v1/repairs/overdue", headers=bearer(operator_token("admin"))).get_json()["items"]
    assert [o["ref"] for o in overdue] == [resp.get_json()["ref"]] and overdue[0]["overdue"] is True
    csv_text = client.get("/api/dept/v1/repairs/overdue.csv", headers=dept()).data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("申请编号,认定部门") and resp.get_json()["ref"] in csv_text
    listed = client.get("/api/dept/v1/repairs", headers=dept(), query_string={"state": "submitted"}).get_json()
    assert listed["meta"]["total"] == 1


def test_broken_repair_commitment_restores_publication_to_its_maximum(client, db):
    org = {"uscc": uscc_code(6)}
    rec = file_penalty(client, org, 150)
    window = bearer(operator_token("window", department="城区政务服务中心"))
    app = client.post("/api/dept/v1/repairs", headers=window, content_type="multipart/form-data", data={
        "uscc": org["uscc"], "record_id": str(rec["id"]), "statement": "已履行", "sign_commitment": "true"}).get_json()
    act(client, app["ref"], "accept")
    act(client, app["ref"], "approve")
    assert db.session.get(CreditRecord, rec["id"]).publication_state == "repaired"
    resp = client.post(f"/api/dept/v1/commitments/{app['commitment_code']}/fulfilment", headers=dept(),
                       json={"fulfilment": "none", "unfulfilled": "再次发生同类违法行为"})
    assert resp.status_code == 200, resp.get_json()
    db.session.expire_all()
    record = db.session.get(CreditRecord, rec["id"])
    assert record.publication_state == "published" and record.max_publish_until == dt.date.fromisoformat(
        rec["max_publish_until"])
    assert db.session.execute(select(ListEntry.list_type)).scalar_one() == "watch"
    assert db.session.get(Subject, record.subject_id).grade == "C"  # the watch list caps it


def test_deadlines_across_the_2026_national_day_follow_the_official_calendar(client, db, clock):
    # 国办发明电〔2025〕7号: 10月1日至7日放假; 10月10日（周六）上班. Submitted and accepted on Wednesday 30 September.
    clock.now = dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC).timestamp()
    org = {"uscc": uscc_code(8)}
    rec = file_penalty(client, org, 150)
    window = bearer(operator_token("window", department="城区政务服务中心"))
    app = client.post("/api/dept/v1/repairs", headers=window, content_type="multipart/form-data", data={
        "uscc": org["uscc"], "record_id": str(rec["id"]), "statement": "已履行", "sign_commitment": "true"}).get_json()
    assert app["accept_due"] == "2026-10-08"  # the next working day after the holiday
    accepted = act(client, app["ref"], "accept").get_json()
    assert accepted["decide_due"] == "2026-10-10"  # 8th, 9th and the adjusted Saturday the 10th
    extended = act(client, app["ref"], "extend", {"reason": "需要核查"}).get_json()
    assert extended["decide_due"] == "2026-10-14"  # skips Sunday the 11th
    clock.now = dt.datetime(2026, 10, 9, 2, 0, tzinfo=dt.UTC).timestamp()
    assert client.get("/api/dept/v1/repairs/overdue", headers=dept()).get_json()["items"] == []
    clock.now = dt.datetime(2026, 10, 15, 2, 0, tzinfo=dt.UTC).timestamp()
    assert [a["ref"] for a in client.get("/api/dept/v1/repairs/overdue", headers=dept()).get_json()["items"]] == [
        app["ref"]]


def test_a_withdrawn_record_is_not_repaired_but_may_be_denied(client, db):
    org = {"uscc": uscc_code(9)}
    rec = file_penalty(client, org, 150)
    window = bearer(operator_token("window", department="城区政务服务中心"))
    app = client.post("/api/dept/v1/repairs", headers=window, content_type="multipart/form-data", data={
        "uscc": org["uscc"], "record_id": str(rec["id"]), "statement": "已履行", "sign_commitment": "true"}).get_json()
    act(client, app["ref"], "accept")
    client.post(f"/api/dept/v1/records/{rec['id']}/remove", headers=dept(), json={"reason": "处罚决定已撤销"})
    refused = act(client, app["ref"], "approve")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_published"
    assert act(client, app["ref"], "deny", {"reason": "记录已撤销"}).get_json()["state"] == "denied"
    assert db.session.get(CreditRecord, rec["id"]).publication_state == "withdrawn"
