"""`flask seed-demo` (idempotent, --json) and `flask issue-code`."""

from __future__ import annotations

import json
from collections import Counter

import zxingcpp
from PIL import Image
from sqlalchemy import func, select

import qr
from backend.keys.ring import keyring
from backend.models import GradeChange, ListEntry, Merchant, Operator, ScannerDevice, Subject
from backend.platform.clock import local_time


def seed(runner) -> dict:
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def counts(db) -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Subject, Merchant, Operator, ScannerDevice, ListEntry, GradeChange))


def test_seed_is_idempotent_and_prints_working_tokens(runner, db, client):
    first = seed(runner)
    before = counts(db)
    second = seed(runner)
    assert counts(db) == before
    assert first == second
    for role in ("admin", "department", "market", "partner"):
        assert first["operator_tokens"][role].startswith("op_")
    resp = client.get("/api/dept/v1/operators", headers={"Authorization": f"Bearer {first['operator_tokens']['admin']}"})
    assert resp.status_code == 200


def test_seed_covers_markets_grades_scenarios(runner):
    data = seed(runner)
    by_market = Counter(m["market"] for m in data["merchants"])
    assert by_market == {"magong": 15, "sanmalu": 15}
    for market in by_market:
        assert {m["grade"] for m in data["merchants"] if m["market"] == market} == set("ABCD")
    assert len(data["residents"]) >= 20 and {r["grade"] for r in data["residents"]} == set("ABCD")
    assert sum(r["blacklisted"] for r in data["residents"]) == 1
    assert {d["scenario"] for d in data["devices"]} == {"transit", "lodging", "medical", "tourism"}
    assert all(d["token"].startswith("dev_") for d in data["devices"])
    # The printed sticker's path carries the code serial (a reissued sticker voids the old one).
    assert all(m["page_path"] == f"/m/{m['handle']}-1" for m in data["merchants"])


def test_seeded_persons_keep_no_clear_personal_data(runner, db):
    seed(runner)
    person = db.session.execute(select(Subject).where(Subject.kind == "person")).scalars().first()
    assert "*" in person.display_name and "*" in person.resident_id_masked
    assert not person.resident_id_enc.startswith("4415")


def test_issue_code_prints_a_verifiable_code_its_expiry_and_a_png(runner, app, tmp_path):
    resident = seed(runner)["residents"][0]
    png = tmp_path / "code.png"
    result = runner.invoke(args=["issue-code", resident["handle"], "--png", str(png)])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()  # alone on stdout: CODE=$(flask issue-code …) works
    now = int(app.config["CLOCK"]())
    claims = qr.verify_code(token, keyring().verification_keys(now), now=now)
    assert claims.sub == resident["handle"] and claims.grade == resident["grade"]
    assert qr.qr_version(token) <= 10
    expiry = local_time(claims.expires_at).strftime("%Y-%m-%d %H:%M:%S")
    assert f"expires at {expiry} China time (in {claims.expires_at - now} s)" in result.stderr
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [token]


def test_issue_code_unknown_handle(runner):
    result = runner.invoke(args=["issue-code", "nobody"])
    assert result.exit_code == 1 and "没有公开标识为 'nobody' 的信用主体" in result.output
