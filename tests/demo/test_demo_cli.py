"""`flask seed-demo` (idempotent data, fresh random tokens, never in production) and `flask issue-code`."""

from __future__ import annotations

import json
from collections import Counter

import zxingcpp
from PIL import Image
from sqlalchemy import func, select

import qr
from backend.app import create_app
from backend.config import TestConfig
from backend.demo.data import OPERATORS, PARTNERS
from backend.keys.ring import keyring, seal_key
from backend.models import AuditEntry, Base, GradeChange, ListEntry, Merchant, Operator, ScannerDevice, Subject
from backend.platform.clock import local_time
from backend.platform.extensions import db as _db
from tests.factories import bearer


def seed(runner) -> dict:
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def counts(db) -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Subject, Merchant, Operator, ScannerDevice, ListEntry, GradeChange))


def without_tokens(data: dict) -> dict:
    return {**data, "operator_tokens": sorted(data["operator_tokens"]),
            "operators": [{k: v for k, v in op.items() if k != "token"} for op in data["operators"]],
            "devices": [{k: v for k, v in d.items() if k != "token"} for d in data["devices"]]}


def tokens(data: dict) -> set[str]:
    return {op["token"] for op in data["operators"]} | {d["token"] for d in data["devices"]}


def operators_status(client, token: str) -> int:
    return client.get("/api/dept/v1/operators", headers=bearer(token)).status_code


def verify_status(client, token: str) -> int:
    return client.post("/api/scan/v1/verify", headers=bearer(token), json={"code": "not-a-code"}).status_code


def test_seed_data_is_idempotent_and_every_run_issues_fresh_tokens(runner, db, client):
    first = seed(runner)
    before = counts(db)
    second = seed(runner)
    assert counts(db) == before
    assert without_tokens(first) == without_tokens(second)
    assert not tokens(first) & tokens(second)
    for role in ("admin", "department", "market", "partner"):
        assert second["operator_tokens"][role].startswith("op_")
    # The new tokens work; the previous run's are replaced (only their hashes were stored).
    assert operators_status(client, second["operator_tokens"]["admin"]) == 200
    assert operators_status(client, first["operator_tokens"]["admin"]) == 401
    assert verify_status(client, second["devices"][0]["token"]) != 401
    assert verify_status(client, first["devices"][0]["token"]) == 401
    stored = set(db.session.scalars(select(Operator.token_hash))) | set(db.session.scalars(select(ScannerDevice.token_hash)))
    assert not tokens(second) & stored


def test_demo_tokens_are_random_not_derived_from_secret_key(tmp_path):
    """Two installations with one SECRET_KEY (and the same data) get different demo tokens."""
    seen = []
    for n in range(2):
        url = f"sqlite:///{tmp_path / f'install{n}.sqlite3'}"
        app = create_app(type("InstallConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                               "SQLALCHEMY_ENGINE_OPTIONS": {}}))
        with app.app_context():
            Base.metadata.create_all(_db.engine)
            seen.append(tokens(seed(app.test_cli_runner())))
            _db.session.remove()
            _db.engine.dispose()
    assert not seen[0] & seen[1]


def test_seed_demo_refuses_in_production(app, runner, db):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 1
    assert "不能在 APP_ENV=production 下运行" in result.output
    assert "op_" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Operator)) == 0
    assert db.session.scalar(select(func.count()).select_from(Subject)) == 0


def test_plain_seed_prints_each_new_token_once_and_audits_without_them(runner, db, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    printed = [word for line in result.output.splitlines() for word in line.split() if word.startswith(("op_", "dev_"))]
    assert len(printed) == len(set(printed)) == len(OPERATORS) + 1 + len(PARTNERS)  # + the demo bank's operator
    admin = next(line.split()[2] for line in result.output.splitlines() if line.split()[:2] == ["operator", "admin"])
    assert operators_status(client, admin) == 200
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "demo.credentials.issue")).scalar_one()
    assert entry.actor == "cli:seed-demo" and len(entry.details["devices"]) == 4
    assert not any(token in json.dumps(entry.details) for token in printed)


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
    ring = keyring()
    claims = qr.verify_code(token, ring.verification_keys(now), now=now)
    assert claims.version == 2 and resident["handle"] not in token
    assert qr.open_handle(seal_key(ring, claims.kid), claims.sub) == (resident["handle"], 0)
    assert qr.qr_version(token) <= 10
    expiry = local_time(claims.expires_at).strftime("%Y-%m-%d %H:%M:%S")
    assert f"expires at {expiry} China time (in {claims.expires_at - now} s)" in result.stderr
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [token]


def test_issue_code_unknown_handle(runner):
    result = runner.invoke(args=["issue-code", "nobody"])
    assert result.exit_code == 1 and "没有公开标识为 'nobody' 的信用主体" in result.output
