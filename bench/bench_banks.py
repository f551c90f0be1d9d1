"""Benchmark the 信易贷 financing-profile fetch in-process (Flask test client, SQLite in memory): a subject with
BENCH_BANKS_RECORDS records (50; quick 20) and every scope authorised; each fetch reads the scopes, signs the
document (Ed25519), logs the fetch and appends to the audit chain. Also the subject's list of authorisations
with BENCH_BANKS_FETCHES fetches shown (the fetches made here).

Run: ``python -m bench bench_banks``. BENCH_BANKS_FETCHES (300; quick 50). No goal in issue 17: figures only.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from stdnum.cn import ric, uscc

from bench.harness import bench_app, bench_secrets, knob


def _timed(call, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        resp = call()
        out.append((time.perf_counter() - start) * 1000)
        assert resp.status_code == 200, resp.get_json()
    return out


def run() -> list[tuple[str, str, str]]:
    from backend.accounts import sessions as mp_sessions
    from backend.banks import create_bank_operator, register_bank
    from backend.credit.subjects import get_or_create_person
    from backend.keys import ensure_signing_key
    from backend.models import Base, CreditRecord
    from backend.platform.extensions import db

    records, fetches = knob("BENCH_BANKS_RECORDS", 50, 20), knob("BENCH_BANKS_FETCHES", 300, 50)
    app = bench_app("sqlite:///:memory:", bench_secrets(), BANK_RATE_LIMIT="1000000 per minute",
                    RATELIMIT_STORAGE_URI="memory://")
    with app.app_context():
        Base.metadata.create_all(db.engine)
        base = "44150219900101002"
        subject = get_or_create_person(base + ric.calc_check_digit(base + "0"), "测试居民")
        db.session.flush()
        for i in range(records):
            db.session.add(CreditRecord(subject_id=subject.id, category="admin_licence", title=f"许可{i}",
                                        department="汕尾市市场监督管理局", document_no=f"XK-{i}",
                                        legal_basis="《行政许可法》", decided_on=dt.date(2026, 1, 1)))
        db.session.commit()
        login = mp_sessions.login("o-bench-banks", "c2Vzc2lvbi1rZXk=")
        login.account.subject_id = subject.id
        db.session.commit()
        ensure_signing_key()
        code = "91441500MA5B0BENC"
        bank = register_bank("基准银行", code + uscc.calc_check_digit(code), "B0000H000000001", actor="bench")
        _, token = create_bank_operator(bank.id, "基准", actor="bench")
        client = app.test_client()
        mp = {"Authorization": f"Bearer {login.token}"}
        auth = client.post("/api/mp/v1/me/bank-authorisations", headers=mp, json={
            "bank_id": bank.id, "scopes": ["public_file", "grade", "lists", "declarations", "disclosures",
                                           "personal_data"]}).get_json()
        url = f"/api/bank/v1/authorisations/{auth['handle']}/profile"
        headers = {"Authorization": f"Bearer {token}"}
        fetch_ms = _timed(lambda: client.get(url, headers=headers), fetches)
        list_ms = _timed(lambda: client.get("/api/mp/v1/me/bank-authorisations", headers=mp), 20)
    p50 = statistics.median(fetch_ms)
    return [
        (f"profile fetch, {records} records, all scopes (SQLite, in-process) p50", f"{p50:.1f} ms", ""),
        ("profile fetch p99", f"{sorted(fetch_ms)[int(len(fetch_ms) * 0.99) - 1]:.1f} ms", ""),
        ("profile fetches per second (one thread)", f"{1000 / statistics.mean(fetch_ms):,.0f}/s", ""),
        (f"GET /me/bank-authorisations with {fetches} fetches p50", f"{statistics.median(list_ms):.1f} ms", ""),
    ]


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
