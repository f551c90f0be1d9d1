"""Who has looked at my file: a department's reads, 一键查询 and printed query records reach the subject's own
list (resident and merchant owner), newest first, in Chinese — never another subject's, kept five years."""

from __future__ import annotations

import pytest

from backend.credit.accesses import purge_old_accesses
from backend.models import FileAccess, Subject
from backend.platform.extensions import db
from tests.credit.helpers import SAMR, TAX, penalty
from tests.factories import bearer, operator_token, resident_id
from tests.merchants.helpers import handle_of
from tests.miniprogram_api.helpers import MpClient, market_merchant
from tests.miniprogram_api.test_merchant_owners import issue


@pytest.fixture
def resident(mp):
    rid = resident_id(7)
    assert mp.bind(rid).status_code == 200
    return rid


def test_a_departments_reads_and_joint_query_are_shown_to_the_resident(client, clock, mp, resident, other_mp):
    samr, tax = bearer(operator_token("department")), bearer(operator_token("department", department=TAX))
    assert client.post("/api/dept/v1/records", json=penalty({"resident_id": resident}), headers=samr).status_code == 201
    assert client.get("/api/dept/v1/subjects/file", headers=samr,
                      query_string={"resident_id": resident, "purpose": "行政许可审查"}).status_code == 200
    clock.advance(60)
    answer = client.get("/api/dept/v1/joint-measures", headers=tax,
                        query_string={"resident_id": resident, "purpose": "评先评优资格审查"}).get_json()
    clock.advance(60)
    assert client.get("/api/dept/v1/subjects/grade", headers=samr,
                      query_string={"resident_id": resident, "purpose": "信用核查"}).status_code == 200

    page = mp.get("/me/queries").get_json()
    assert page["meta"]["total"] == 3
    newest, joint, oldest = page["items"]
    assert (newest["kind_zh"], newest["organisation"], newest["purpose"]) == ("查看信用评价", SAMR, "信用核查")
    assert (joint["kind"], joint["organisation"], joint["ref"]) == ("joint_query", TAX, answer["query_no"])
    assert (oldest["kind_zh"], oldest["role_zh"]) == ("查看信用档案", "部门")
    assert not any("test department" in str(item) for item in page["items"])  # the operator's name stays inside

    assert other_mp.bind(resident_id(8)).status_code == 200
    assert other_mp.get("/me/queries").get_json()["meta"]["total"] == 0  # another resident sees none of them


def test_an_unbound_account_has_no_query_list(mp):
    assert mp.get("/me/queries").get_json()["error"]["code"] == "identity_required"


def test_the_merchant_owner_sees_who_looked_at_the_merchant(client, wechat, mp):
    _, merchant = market_merchant()
    handle = handle_of(merchant)
    code = issue(client, operator_token("market", market_slug="magong"), handle).get_json()["binding_code"]
    assert mp.post("/me/merchants", json={"binding_code": code}).status_code == 201
    uscc = db.session.get(Subject, merchant.subject_id).uscc
    client.get("/api/dept/v1/joint-measures", headers=bearer(operator_token("department")),
               query_string={"uscc": uscc, "purpose": "政府采购资格审查"})
    page = mp.get(f"/me/merchants/{handle}/queries").get_json()
    assert [(i["kind"], i["purpose"]) for i in page["items"]] == [("joint_query", "政府采购资格审查")]
    stranger = MpClient(client, wechat, "o-stranger").login()
    assert stranger.get(f"/me/merchants/{handle}/queries").status_code == 404


def test_looks_are_kept_five_years_whatever_the_setting(app, client, clock, mp, resident):
    samr = bearer(operator_token("department"))
    client.get("/api/dept/v1/subjects/grade", headers=samr, query_string={"resident_id": resident, "purpose": "核查"})
    app.config["FILE_ACCESS_RETENTION_DAYS"] = 30  # set too low: five years still hold
    clock.advance(4 * 366 * 86400)
    assert purge_old_accesses() == 0
    assert db.session.query(FileAccess).count() == 1
    clock.advance(366 * 86400 + 86400)
    assert purge_old_accesses() == 1
    assert db.session.query(FileAccess).count() == 0
