"""Sampling tasks end to end: commit, publish, draw, verify from the published JSON alone; refusals after commitment."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from backend.models import AuditEntry, CreditRecord, DrawnObject, SamplingTask
from backend.platform.extensions import db
from sampling import verify
from tests.supervision.helpers import SHARES, Supervisor, graded_merchants

ROOT = Path(__file__).resolve().parents[2]
COUNTS = {"A": 25, "B": 12, "C": 7, "D": 4, None: 3}


def test_a_draw_is_reproduced_by_the_standalone_verifier_from_the_published_json(client, tmp_path):
    graded_merchants(COUNTS)
    s = Supervisor(client)
    item = s.item(ratios={"A": "0.04", "B": "0.2", "C": "0.5", "D": "1"})
    inspectors = s.inspectors(4)
    task = s.task(item["id"], [i["id"] for i in inspectors])
    committed = s.commit(task["id"])
    before = s.public(committed["number"])
    assert before["state"] == "committed" and before["seed"] is None and before["drawn"] == []
    assert before["commitment"]["sha256"] == committed["commitment"]
    assert len(before["objects"]) == sum(COUNTS.values())
    assert all("name" in o and o["stratum"] in "ABCDWU" for o in before["objects"])
    listed = client.get("/api/public/v1/supervision/tasks").get_json()["items"]
    assert [t["number"] for t in listed] == [committed["number"]]

    drawn = s.draw(task["id"])
    assert drawn["state"] == "drawn"
    after = s.public(committed["number"])
    ratios = after["commitment"]["document"]["ratios"]
    per_stratum = {}
    for d in after["drawn"]:
        per_stratum[d["stratum"]] = per_stratum.get(d["stratum"], 0) + 1
        assert len(d["inspectors"]) == 2
    sizes = {"A": 25, "B": 12, "C": 7, "D": 4, "U": 3}
    assert per_stratum == {k: math.ceil(Decimal(ratios[k]) * n) for k, n in sizes.items()}
    assert per_stratum["A"] == 1 and per_stratum["B"] == 3 and per_stratum["D"] == 4
    assert verify(after) == []

    path = tmp_path / "task.json"
    path.write_text(json.dumps(after, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sampling", "verify", str(path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and "MATCH" in run.stdout, run.stdout + run.stderr

    after["drawn"][0], after["drawn"][1] = after["drawn"][1], after["drawn"][0]
    path.write_text(json.dumps(after, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sampling", "verify", str(path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 1 and "MISMATCH" in run.stdout


def test_the_public_json_holds_no_personal_data(client):
    from tests.factories import person

    graded_merchants({"B": 2})
    resident = person("王小明", "B")
    s = Supervisor(client)
    item = s.item()
    task = s.task(item["id"], pool={"handles": [resident.handle]})
    s.commit(task["id"])
    s.draw(task["id"])
    text = json.dumps(s.public(task["number"]), ensure_ascii=False)
    assert "王" not in text and resident.handle in text
    assert "执法员" not in text  # inspectors by ref only


def test_a_changed_pool_ratio_or_seed_after_commitment_is_refused_and_audited(client):
    graded_merchants({"B": 5})
    s = Supervisor(client)
    item = s.item()
    task = s.task(item["id"])
    assert s.post(f"/tasks/{task['id']}", expect=None).status_code == 405  # PATCH only
    resp = client.patch(f"/api/dept/v1/supervision/tasks/{task['id']}", json={"ratios": {"B": "0.2"}},
                        headers=s.headers)
    assert resp.status_code == 200 and resp.get_json()["ratios"]["B"] == "0.2"  # a draft may change
    s.commit(task["id"])
    for change in ({"pool": {"market": "sanmalu"}}, {"ratios": {"B": "0.05"}}, {"inspector_ids": []}):
        resp = client.patch(f"/api/dept/v1/supervision/tasks/{task['id']}", json=change, headers=s.headers)
        assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "task_committed"
    again = s.post(f"/tasks/{task['id']}/commit", {"seed_method": "public_value", "public_value_source": "福彩"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "task_committed"
    wrong = s.post(f"/tasks/{task['id']}/draw", {"shares": [SHARES[0], "换了的份额"]})
    assert wrong.status_code == 422 and wrong.get_json()["error"]["code"] == "seed_mismatch"
    refused = db.session.query(AuditEntry).filter(AuditEntry.action.in_(
        ("supervision.task.change_refused", "supervision.task.seed_refused"))).all()
    assert [e.action for e in refused].count("supervision.task.change_refused") == 4
    assert [e.action for e in refused].count("supervision.task.seed_refused") == 1
    db.session.expire_all()
    row = db.session.get(SamplingTask, task["id"])
    assert row.state == "committed" and row.ratios["B"] == "0.2" and row.seed is None
    s.draw(task["id"])
    twice = s.post(f"/tasks/{task['id']}/draw", {"shares": SHARES})
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "task_state"


def test_a_public_value_fixed_in_advance_seeds_the_draw(client):
    graded_merchants({"C": 10})
    s = Supervisor(client)
    task = s.task(s.item()["id"])
    s.commit(task["id"], seed_method="public_value", public_value_source="2026年12月2日福彩3D开奖号码")
    s.post(f"/tasks/{task['id']}/draw", {"public_value": "418"}, expect=200)
    published = s.public(task["number"])
    assert published["reveal"] == {"public_value": "418"} and verify(published) == []
    assert len(published["drawn"]) == 3  # ⌈0.30 × 10⌉


def test_ratios_outside_the_published_ranges_are_refused(client):
    s = Supervisor(client)
    for ratios in ({"A": "0.06"}, {"C": "0.2"}, {"D": "0.5"}, {"C": "0.4", "W": "0.3"}, {"B": "1.5"}):
        resp = s.post("/items", {"code": "X", "name": "x", "basis": "x", "object_type": "x", "ratios": ratios})
        assert resp.status_code == 422, (ratios, resp.get_json())


def test_inspectors_are_recused_from_the_object_they_inspected_last_and_from_declared_conflicts(client):
    handles = graded_merchants({"D": 6})
    s = Supervisor(client)
    item = s.item(ratios={"D": "1"})
    inspectors = s.inspectors(4)
    ids = [i["id"] for i in inspectors]
    s.post(f"/inspectors/{ids[3]}/conflicts", {"handle": handles[0], "reason": "亲属经营"}, expect=201)
    first = s.task(item["id"], ids, inspectors_per_object=1)
    s.commit(first["id"])
    s.draw(first["id"])
    last = {d["handle"]: d["inspectors"] for d in s.public(first["number"])["drawn"]}
    assert len(last) == 6 and "ZF003" not in last[handles[0]]
    second = s.task(item["id"], ids, inspectors_per_object=1, title="复查")
    s.commit(second["id"])
    published = s.public(second["number"])
    assert published["recusals"][handles[0]] == sorted({*last[handles[0]], "ZF003"})
    s.draw(second["id"])
    published = s.public(second["number"])
    for d in published["drawn"]:
        assert d["inspectors"] and d["inspectors"][0] not in last[d["handle"]]
        assert d["handle"] != handles[0] or d["inspectors"] != ["ZF003"]
    assert verify(published) == []


def test_results_are_filed_as_credit_records_and_published(client):
    graded_merchants({"D": 2, "A": 1})
    s = Supervisor(client)
    item = s.item(ratios={"D": "1", "A": "0"})
    task = s.task(item["id"])
    s.commit(task["id"])
    s.draw(task["id"])
    drawn = [d["handle"] for d in s.public(task["number"])["drawn"]]
    assert len(drawn) == 2
    early = s.post(f"/tasks/{task['id']}/results", {"handle": "nobody00", "outcome": "pass", "inspected_on": "2026-11-30"})
    assert early.status_code == 404 and early.get_json()["error"]["code"] == "not_drawn"
    no_findings = s.post(f"/tasks/{task['id']}/results", {"handle": drawn[0], "outcome": "fail", "inspected_on": "2026-11-30"})
    assert no_findings.status_code == 422
    s.post(f"/tasks/{task['id']}/results", {"handle": drawn[0], "outcome": "fail", "findings": "台账缺失",
                                            "inspected_on": "2026-11-30"}, expect=201)
    assert s.get(f"/tasks/{task['id']}").get_json()["state"] == "drawn"
    s.post(f"/tasks/{task['id']}/results", {"handle": drawn[1], "outcome": "pass", "inspected_on": "2026-11-30"},
           expect=201)
    assert s.get(f"/tasks/{task['id']}").get_json()["state"] == "completed"
    records = db.session.query(CreditRecord).filter(CreditRecord.document_no.like(f"{task['number']}-%")).all()
    assert sorted(r.result for r in records) == ["fail", "pass"]
    assert all(r.category == "product_inspection" and r.department == s.department for r in records)
    published = s.public(task["number"])
    outcomes = {d["handle"]: (d["outcome"], d["findings"]) for d in published["drawn"]}
    assert outcomes[drawn[0]] == ("fail", "台账缺失") and outcomes[drawn[1]] == ("pass", None)
    assert verify(published) == []  # results do not disturb the draw's proof
    assert db.session.query(DrawnObject).filter(DrawnObject.record_id.isnot(None)).count() == 2


def test_another_departments_task_is_out_of_reach(client):
    graded_merchants({"B": 2})
    s = Supervisor(client)
    task = s.task(s.item()["id"])
    other = Supervisor(client, "汕尾市生态环境局")
    resp = other.client.get(f"/api/dept/v1/supervision/tasks/{task['id']}", headers=other.headers)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "outside_department"
    assert client.get(f"/api/public/v1/supervision/tasks/{task['number']}").status_code == 404  # drafts unpublished


def test_the_drawn_rows_commit_and_roll_back_with_the_draw(client):
    from backend.models import Subject
    from backend.platform import dbio
    from backend.platform.db import use_case
    from backend.platform.errors import Conflict
    from backend.supervision.tasks import DRAWN_COLUMNS

    s = Supervisor(client)
    handles = graded_merchants({"B": 2})
    task = s.task(s.item()["id"])
    s.commit(task["id"])
    subject_id = db.session.query(Subject.id).filter_by(handle=handles[0]).scalar()
    row = (task["id"], subject_id, handles[0], "B", 1, "ab" * 32, ["ZF001", "执法员"])

    @use_case
    def store(fail: bool):
        assert dbio.copy_rows(DrawnObject.__table__, DRAWN_COLUMNS, [row], json_columns=("inspectors",)) == 1
        if fail:
            raise Conflict("回滚")

    with pytest.raises(Conflict):
        store(True)
    assert db.session.query(DrawnObject).filter_by(task_id=task["id"]).count() == 0
    store(False)
    [kept] = db.session.query(DrawnObject).filter_by(task_id=task["id"]).all()
    assert kept.inspectors == ["ZF001", "执法员"] and kept.rank == "ab" * 32
    assert db.session.get(SamplingTask, task["id"]).state == "committed"
