"""Publication windows (36号令): classes from departments' tables, civil-code windows, the one predicate, the
信用修复告知书, expiry, the signed change feed and credit commitments with breach → watch list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import qr
from backend.credit.expiry import expire_publications
from backend.keys import keyring
from backend.models import Change, CreditCommitment, CreditRecord, ListEntry, Subject
from backend.platform.clock import now_ts
from tests.credit.helpers import SAMR, admin, days_ago, dept, grade_of, merchant_ref, penalty, person_ref, record
from tests.factories import bearer, resident_id, uscc_code
from tests.miniprogram_api.helpers import scanning_setup

URL = "/api/dept/v1/records"
DAY = 86400


def window(client, decided: str, cls: str) -> tuple[str, str]:
    body = penalty(merchant_ref(), decided_on=decided, severity_class=cls)
    got = client.post(URL, json=body, headers=dept()).get_json()["record"]
    return got["min_publish_until"], got["max_publish_until"]


@pytest.mark.parametrize(("decided", "cls", "expected"), [
    ("2026-01-15", "general", ("2026-04-15", "2027-01-15")),
    ("2025-11-30", "general", ("2026-02-28", "2026-11-30")),  # no 30 February: the month's end
    ("2024-02-29", "serious", ("2025-02-28", "2027-02-28")),  # leap day: years end on 28 February
    ("2024-08-31", "minor", ("2024-08-31", "2024-11-30")),  # 轻微: repair at once, at most 3 months
    ("2023-11-30", "general", ("2024-02-29", "2024-11-30")),  # into a leap February
])
def test_windows_for_each_class_across_month_ends_and_leap_years(client, decided, cls, expected):
    assert window(client, decided, cls) == expected


def test_class_from_the_departments_table_with_its_reference_and_default_flag(client):
    h = dept()
    put = client.put("/api/dept/v1/publication-classes/吊销许可证", headers=h,
                     json={"severity_class": "serious", "reference": "汕市监〔2026〕分类标准第3条"})
    assert put.status_code == 200 and put.get_json()["department"] == SAMR
    client.put("/api/dept/v1/publication-classes/*", headers=h,
               json={"severity_class": "general", "reference": "汕市监〔2026〕分类标准第9条（兜底）"})
    mapped = client.post(URL, headers=h, json=penalty(merchant_ref(), penalty_type="吊销许可证", severity="general"))
    got = mapped.get_json()
    assert got["record"]["severity_class"] == "serious" and got["record"]["class_defaulted"] is False
    assert "分类标准第3条" in got["record"]["class_basis"]
    assert "信用修复告知书" in got["repair_notice"] and "严重失信信息" in got["repair_notice"]
    unmapped = record(merchant_ref(), "court_dishonesty")
    got = client.post(URL, headers=h, json=unmapped).get_json()["record"]
    assert got["severity_class"] == "general" and got["class_defaulted"] is True and "兜底" in got["class_basis"]
    listed = client.get("/api/dept/v1/publication-classes", headers=h).get_json()["items"]
    assert {r["penalty_type"] for r in listed} == {"*", "吊销许可证"}
    # another department's table does not apply, and it cannot edit this one
    other = dept("汕尾市生态环境局")
    assert client.get("/api/dept/v1/publication-classes", headers=other).get_json()["items"] == []
    assert client.delete("/api/dept/v1/publication-classes/吊销许可证", headers=other).status_code == 404
    assert client.delete("/api/dept/v1/publication-classes/吊销许可证", headers=h).status_code == 204


def test_positive_records_have_no_class_and_a_notice_only_for_negative_ones(client):
    got = client.post(URL, headers=dept(), json=record(merchant_ref(), "honour")).get_json()
    assert got["record"]["severity_class"] is None and got["repair_notice"] is None


def test_a_laws_own_period_overrides_with_its_basis(client):
    h = dept()
    bad = client.post(URL, headers=h, json=penalty(merchant_ref(), decided_on="2026-01-10", publish_months=60))
    assert bad.status_code == 422 and bad.get_json()["error"]["details"]["field"] == "window_basis"
    got = client.post(URL, headers=h, json=penalty(merchant_ref(), decided_on="2026-01-10", publish_months=60,
                                                   window_basis="《某法》第八十条：禁业五年")).get_json()["record"]
    assert got["max_publish_until"] == "2031-01-10" and got["window_overridden"] is True


def test_minor_unpublished_when_the_class_says_so_counts_nowhere(client):
    h, ref = dept(), merchant_ref()
    client.put("/api/dept/v1/publication-classes/警告", headers=h,
               json={"severity_class": "minor", "reference": "45号令：仅受到警告的不予公示", "published": False})
    got = client.post(URL, headers=h, json=penalty(ref, severity="minor", penalty_type="警告")).get_json()
    assert got["record"]["publication_state"] == "unpublished" and got["grade"] is None
    assert "依规不予公示" in got["repair_notice"]


def test_expiry_ends_publication_regrades_and_is_idempotent(client, db, clock):
    h, ref = dept(), merchant_ref()
    client.post(URL, headers=h, json=penalty(ref, severity_class="general", decided_on=days_ago(300)))
    before = grade_of(client, h, ref)["subject"]
    assert before["grade"] == "C"
    clock.advance(70 * DAY)  # past the one-year maximum
    assert expire_publications() == 1
    assert expire_publications() == 0  # a second run finds nothing
    rec = db.session.execute(select(CreditRecord)).scalar_one()
    assert rec.publication_state == "expired" and rec.publication_ended_at is not None
    assert db.session.get(Subject, rec.subject_id).grade is None  # nothing left that counts: 未评价
    # still in the file for the authority, marked
    page = client.get("/api/dept/v1/subjects/file", query_string={**ref, "purpose": "核查"}, headers=h).get_json()
    assert page["items"][0]["publication_state"] == "expired"
    kinds = [c.kind for c in db.session.execute(select(Change).order_by(Change.id)).scalars()]
    assert kinds == ["record_filed", "publication_ended"]


def test_cli_expire_publications_reports_progress(runner, client, clock):
    client.post(URL, headers=dept(), json=penalty(merchant_ref(), severity_class="general", decided_on=days_ago(300)))
    clock.advance(70 * DAY)
    out = runner.invoke(args=["expire-publications", "--batch-size", "10"])
    assert out.exit_code == 0 and "1 records ended publication; 0 still due" in out.output
    assert "0 records ended" in runner.invoke(args=["expire-publications"]).output


def test_public_feed_is_signed_ordered_paged_and_has_no_persons(client, db):
    h = dept()
    for n in range(3):
        client.post(URL, headers=h, json=penalty({"uscc": uscc_code(40 + n)}))
    client.post(URL, headers=h, json=penalty({"resident_id": resident_id(41)}))
    first = client.get("/api/public/v1/changes", query_string={"limit": 2})
    assert first.status_code == 200 and first.headers["Access-Control-Allow-Origin"] == "*"
    page = first.get_json()
    assert [i["id"] for i in page["items"]] == [1, 2] and page["more"] is True and page["next"] == 2
    claims = qr.verify_document(page["page"], keyring().verification_keys(now_ts()), qr.CHANGES_TYP)
    assert claims["items"] == page["items"] and claims["aud"] == "public"
    rest = client.get("/api/public/v1/changes", query_string={"after": page["next"]}).get_json()
    assert [i["id"] for i in rest["items"]] == [3] and rest["more"] is False
    assert all(i["subject_kind"] != "person" for i in page["items"] + rest["items"])
    assert rest["latest"] == 3


def test_commitment_breach_puts_the_subject_on_the_watch_list(client, db):
    h, ref = dept(), merchant_ref()
    client.post(URL, headers=h, json=record(ref, "honour"))
    body = {**ref, "commitment_type": "approval_replacing", "matter": "食品经营许可告知承诺",
            "content": "承诺三个月内补齐场所平面图", "committed_on": days_ago(60)}
    made = client.post("/api/dept/v1/commitments", headers=h, json=body)
    assert made.status_code == 201, made.get_json()
    code = made.get_json()["code"]
    assert len(code) == 20 and code.startswith("441500") and code.endswith("000001")
    bad = client.post(f"/api/dept/v1/commitments/{code}/fulfilment", headers=h, json={"fulfilment": "partial"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "unfulfilled_required"
    got = client.post(f"/api/dept/v1/commitments/{code}/fulfilment", headers=h,
                      json={"fulfilment": "partial", "unfulfilled": "未补齐平面图", "liability_pursued": "撤销许可"})
    assert got.status_code == 200 and got.get_json()["status"] == "broken"
    entry = db.session.execute(select(ListEntry)).scalar_one()
    assert (entry.list_type, entry.decision_document) == ("watch", code) and code in entry.legal_basis
    assert grade_of(client, h, ref)["subject"]["grade"] == "C"  # the watch list caps the grade
    assert client.post(f"/api/dept/v1/commitments/{code}/fulfilment", headers=h,
                       json={"fulfilment": "full"}).status_code == 409
    listed = client.get("/api/dept/v1/commitments", headers=h, query_string={**ref, "purpose": "核查"}).get_json()
    assert listed["items"][0]["fulfilment"] == "partial"


def test_voluntary_commitments_are_signed_online_only(client):
    body = {**person_ref(5), "commitment_type": "voluntary", "matter": "诚信承诺", "content": "本人承诺诚信",
            "committed_on": days_ago(1)}
    client.post(URL, headers=dept(), json=record(person_ref(5), "honour"))
    resp = client.post("/api/dept/v1/commitments", headers=admin(), json=body)
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "voluntary_online_only"


def test_list_entry_basis_must_be_the_subjects_record(client, db):
    h = dept()
    rec = client.post(URL, headers=h, json=penalty(merchant_ref(1))).get_json()["record"]
    body = {**merchant_ref(2), "subject_name": "别家", "list_type": "black", "reason": "严重失信",
            "legal_basis": "《某条例》", "decision_document": "汕市监黑〔2026〕1号", "starts_on": days_ago(1),
            "record_id": rec["id"]}
    resp = client.post("/api/dept/v1/list-entries", headers=h, json=body)
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "basis_record_mismatch"
    assert db.session.scalar(select(CreditCommitment.id)) is None


def test_device_feed_and_trust_bundle_cursor(client, app):
    scanning_setup()
    h = dept()
    client.post(URL, headers=h, json=penalty({"resident_id": resident_id(50)}))
    client.post(URL, headers=h, json=penalty({"uscc": uscc_code(50)}))
    device = bearer("dev_transit")
    bundle = client.get("/api/scan/v1/trust-bundle", headers=device).get_json()
    assert bundle["changes_cursor"] == 2
    claims = qr.verify_document(bundle["bundle"], keyring().verification_keys(now_ts()), qr.BUNDLE_TYP)
    assert claims["changes_cursor"] == 2
    page = client.get("/api/scan/v1/changes", headers=device).get_json()
    person, org = page["items"]
    assert person["subject_kind"] == "person" and person["subject"] is None and person["data"] == {}
    assert org["subject"] is not None and org["data"]["document_no"]
    signed = qr.verify_document(page["page"], keyring().verification_keys(now_ts()), qr.CHANGES_TYP)
    assert signed["aud"].startswith("device:") and signed["items"] == page["items"]
    assert client.get("/api/scan/v1/changes").status_code == 401
    app.config["CODE_FORMAT"] = 1  # format-1 scanners already hold persons' handles (the bundle's lists)
    item = client.get("/api/scan/v1/changes", headers=device).get_json()["items"][0]
    assert item["subject"] is not None and item["data"] == {} and item["record_id"] is None
