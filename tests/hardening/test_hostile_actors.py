"""Injection in shown text, forged and replayed codes, other roles' tokens, hostile CSV files."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select

from backend.credit.subjects import subject_by_handle
from backend.keys import codes
from backend.models import Redemption
from tests.factories import bearer, uscc_code
from tests.hardening.helpers import row_counts

XSS = "<script>alert(1)</script>"
SQLI = ["' OR '1'='1", "'; DROP TABLE subjects; --", "\" OR 1=1 --", "%' UNION SELECT token_hash FROM operators --"]


def envelope(resp) -> dict:
    body = resp.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]


def test_merchant_named_with_markup_is_escaped_on_public_pages(client, world):
    resp = client.post("/api/dept/v1/merchants", headers=bearer(world.operators["market"]),
                       json={"uscc": uscc_code(901), "name": XSS, "stall_no": "X-01"})
    assert resp.status_code == 201, resp.get_json()
    handle = resp.get_json()["handle"]
    market = world.merchants[0]["market"]
    for path in (f"/m/{handle}", f"/markets/{market}", f"/markets/{market}?q=%3Cscript%3E"):
        page = client.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, path
        assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
    public = client.get(f"/api/public/v1/merchants/{handle}")
    assert public.status_code == 200 and public.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("q", SQLI + [XSS])
def test_search_strings_are_data_not_sql(client, world, q):
    market = world.merchants[0]["market"]
    before = row_counts()
    for path, headers in ((f"/api/public/v1/markets/{market}/merchants", {}),
                          ("/api/dept/v1/merchants", bearer(world.operators["market"]))):
        resp = client.get(path, query_string={"q": q}, headers=headers)
        assert resp.status_code in (200, 422), resp.get_data(as_text=True)
        if resp.status_code == 200:
            assert resp.get_json()["items"] == [], q
        else:
            envelope(resp)
    page = client.get(f"/markets/{market}", query_string={"q": q})
    assert page.status_code == 200
    assert XSS not in page.get_data(as_text=True)  # the search box echoes q, escaped
    assert row_counts() == before


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def forged_codes(client, world, clock) -> dict[str, str]:
    """Codes a scanner might be shown by an attacker, each with what it tries."""
    holder = subject_by_handle(world.residents[0]["handle"])
    good = codes.issue_code(holder).token
    other = codes.issue_code(subject_by_handle(world.residents[1]["handle"])).token
    head, claims, sig = good.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=="))
    kid = json.loads(base64.urlsafe_b64decode(head + "=="))["kid"]
    bundle = client.get("/api/scan/v1/trust-bundle", headers=bearer(world.device)).get_json()["bundle"]
    return {
        "tampered_eligibility": f"{head}.{_b64({**decoded, 'e': 'AAAA' if decoded['e'] != 'AAAA' else '____'})}.{sig}",
        "tampered_subject": f"{head}.{_b64({**decoded, 'sub': world.residents[1]['handle']})}.{sig}",
        "another_codes_pseudonym": f"{head}.{_b64({**decoded, 'sub': json.loads(base64.urlsafe_b64decode(other.split('.')[1] + '=='))['sub']})}.{sig}",
        "format_1_claims": f"{head}.{_b64({'sub': holder.handle, 'g': 'A', 'exp': decoded['exp'], 'jti': 'x1234567'})}.{sig}",
        "alg_none": f"{_b64({'alg': 'none', 'kid': kid})}.{claims}.",
        "other_kid": f"{_b64({'alg': 'EdDSA', 'kid': 'AAAAAAAA'})}.{claims}.{sig}",
        "hs256_with_public_key": f"{_b64({'alg': 'HS256', 'kid': kid})}.{claims}.{sig}",
        "trust_bundle_as_code": bundle,
        "sql_in_code": "' OR 1=1 --",
        "markup_in_code": XSS,
    }


def test_forged_codes_are_refused_and_grant_nothing(client, world, clock, db):
    before = db.session.scalar(select(func.count()).select_from(Redemption))
    for name, code in forged_codes(client, world, clock).items():
        verified = client.post("/api/scan/v1/verify", json={"code": code}, headers=bearer(world.device))
        assert verified.status_code == 200 and verified.get_json()["outcome"] != "valid", name
        assert XSS not in verified.get_data(as_text=True), name
        resp = client.post("/api/scan/v1/redemptions", json={"code": code, "incentive": "bus-discount"},
                           headers={**bearer(world.device), "Idempotency-Key": f"forged-{name}"})
        assert 400 <= resp.status_code < 500, (name, resp.get_json())
        envelope(resp)
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == before


def test_replayed_codes_after_expiry_and_receipts_as_codes(client, world, clock, db):
    code = codes.issue_code(subject_by_handle(world.residents[0]["handle"])).token
    granted = client.post("/api/scan/v1/redemptions", json={"code": code, "incentive": "bus-discount"},
                          headers={**bearer(world.device), "Idempotency-Key": "replay-1"})
    assert granted.status_code == 201, granted.get_json()
    receipt = granted.get_json()["receipt"]
    clock.advance(3600)
    before = db.session.scalar(select(func.count()).select_from(Redemption))
    for name, token in (("expired", code), ("receipt", receipt)):
        resp = client.post("/api/scan/v1/redemptions", json={"code": token, "incentive": "bus-discount"},
                           headers={**bearer(world.device), "Idempotency-Key": f"replay-{name}"})
        assert 400 <= resp.status_code < 500 and envelope(resp)["details"]["outcome"] != "valid", name
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == before


WRONG_TOKENS = [
    # (who, path, method, expected status)
    ("device", "/api/dept/v1/records", "POST", 401),
    ("device", "/api/dept/v1/joint-measures/catalogue", "GET", 401),
    ("mp", "/api/dept/v1/operators", "GET", 401),
    ("mp", "/api/scan/v1/verify", "POST", 401),
    ("operator:admin", "/api/scan/v1/verify", "POST", 401),
    ("operator:partner", "/api/mp/v1/me/code", "GET", 401),
    ("device", "/api/mp/v1/me", "GET", 401),
    ("operator:department", "/api/dept/v1/devices", "POST", 403),
    ("operator:department", "/api/dept/v1/merchants", "POST", 403),
    ("operator:market", "/api/dept/v1/records", "POST", 403),
    ("operator:market", "/api/dept/v1/signing-keys/rotate", "POST", 403),
    ("operator:partner", "/api/dept/v1/records/import", "POST", 403),
    ("operator:partner", "/api/dept/v1/operators", "POST", 403),
    ("operator:department", "/api/dept/v1/operators", "GET", 403),
]


@pytest.mark.parametrize("who,path,method,status", WRONG_TOKENS)
def test_tokens_of_other_roles_are_refused(client, world, who, path, method, status):
    token = {"device": world.device, "mp": world.mp_token}.get(who) or world.operators[who.split(":")[1]]
    before = row_counts()
    resp = client.open(path, method=method, headers={**bearer(token), "Idempotency-Key": "k-role"},
                       json={"code": "x", "name": "x"} if method == "POST" and "import" not in path else None)
    assert resp.status_code == status, resp.get_json()
    envelope(resp)
    assert row_counts() == before


HOSTILE_CSV = {
    "invalid_bytes": b"\xff\xfe\x00\x81\x00\xc3\x28",
    "nul_in_row": "统一社会信用代码,主体名称,category,title\n{u},a\x00b,admin_penalty,t\n".encode(),
    "markup_and_sql": ("统一社会信用代码,身份证号,主体名称,category,severity,result,title,document_no,legal_basis,"
                       "decided_on,包容审慎\n{u},,<script>alert(1)</script>,admin_penalty,general,,"
                       "'; DROP TABLE subjects; --,X1,L,2026-99-01,否\n").encode(),
    "huge_field": ("统一社会信用代码,主体名称\n{u}," + "甲" * 200000 + "\n").encode(),
    "nul_in_valid_row": ("统一社会信用代码,身份证号,主体名称,category,severity,result,title,document_no,legal_basis,"
                         "decided_on,包容审慎\n{u},,林记\x00渔行,admin_penalty,general,,占道经营,X2,L,2026-05-01,否\n").encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CSV))
def test_hostile_csv_is_refused_and_stores_nothing(app, client, runner, world, tmp_path, name):
    data = HOSTILE_CSV[name].replace(b"{u}", uscc_code(777).encode())
    before = row_counts()
    resp = client.post("/api/dept/v1/records/import", data=data,
                       headers={**bearer(world.operators["department"]), "Content-Type": "text/csv"})
    assert 400 <= resp.status_code < 500, resp.get_data(as_text=True)[:300]
    assert "<script>" not in resp.get_data(as_text=True)
    envelope(resp)
    path = tmp_path / "hostile.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["import-records", str(path), "--department", "汕尾市市场监督管理局"])
    assert result.exit_code != 0, result.output
    assert row_counts() == before
