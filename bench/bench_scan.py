"""Benchmark the scanner API on gunicorn (2 workers) + PostgreSQL, and the offline verifier on one core.

Issue 5's numbers: POST /api/scan/v1/verify throughput as a ratio to GET /.well-known/jwks.json
(the trivial baseline: no database, same Flask/JSON stack) in interleaved wrk rounds, goal >= 0.5;
verify p99 at 150 requests/s, open loop (bench.harness.paced; the achieved rate is reported), goal
<= 30 ms; redemptions per second with correct quotas (3 attempts per subject at a 2-per-month perk
must give exactly 2 x 201 + 1 x 409 each); offline verifications per second with the trust bundle.

Run: ``python -m bench bench_scan``. Environment (BENCH_QUICK=1 shrinks the defaults):
BENCH_SCAN_PG_URL (scratch database, default .../bench_scan, dropped and recreated), BENCH_SCAN_PORT
(8092), BENCH_SCAN_SECONDS (per wrk run, 5; quick 2), BENCH_SCAN_ROUNDS (3; quick 2),
BENCH_SCAN_RATE (150), BENCH_SCAN_RATE_SECONDS (10; quick 3), BENCH_SCAN_SUBJECTS (redemption
subjects, 200; quick 30), BENCH_SCAN_OFFLINE_OPS (20000; quick 2000).

The same verify on the SQLite default that `make run` serves (issue 12: WAL, synchronous=NORMAL), as a
ratio to GET /healthz (goal >= 0.4) and to jwks.json, in interleaved rounds: BENCH_SCAN_SQLITE (a scratch
SQLite file, default /tmp/bench_scan.sqlite3, removed first; "" skips it) on BENCH_SCAN_SQLITE_PORT (8095).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection

from bench.harness import (
    TRIVIAL,
    Gunicorn,
    bench_app,
    bench_secrets,
    knob,
    paced,
    pg_url,
    ratio_rounds,
    rotate_lua,
    scratch_database,
    wrk,
)

_people = itertools.count()
VERIFY = "/api/scan/v1/verify"


def setup(app) -> dict:
    """Schema and demo data; returns each scenario's device token."""
    from backend.demo.seed import seed_demo
    from backend.models import Base
    from backend.platform.extensions import db
    with app.app_context():
        Base.metadata.create_all(db.engine)
        return {d["scenario"]: d["token"] for d in seed_demo()["devices"]}


def codes_for(app, n: int, grade: str = "A") -> list[str]:
    """Fresh personal codes of n new residents of the grade."""
    from stdnum.cn import ric

    from backend.credit.subjects import get_or_create_person
    from backend.keys.codes import issue_code
    from backend.platform.extensions import db
    with app.app_context():
        people = []
        for _ in range(n):
            k = next(_people)
            birth = (dt.date(1960, 1, 1) + dt.timedelta(days=k)).strftime("%Y%m%d")
            base = f"441502{birth}{k % 1000:03d}"
            person = get_or_create_person(base + ric.calc_check_digit(base + "0"), "测试")
            person.grade = grade
            people.append(person)
        db.session.commit()
        return [issue_code(p).token for p in people]


def redemptions(port: int, token: str, codes: list[str]) -> tuple[float, dict]:
    """Three attempts per subject at a 2-per-month perk: expect 2 grants and 1 refusal each."""
    def one(i: int) -> int:
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/api/scan/v1/redemptions",
                     json.dumps({"code": codes[i // 3], "incentive": "clinic-pay-later"}),
                     {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                      "Idempotency-Key": f"bench-{i:08d}"})
        status = conn.getresponse().status
        conn.close()
        return status

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(one, range(3 * len(codes))))
    elapsed = time.perf_counter() - start
    return len(statuses) / elapsed, {s: statuses.count(s) for s in sorted(set(statuses))}


def offline_rate(app, base: str, token: str, ops: int) -> float:
    """Verifications per second of one code against the served trust bundle, in this process."""
    import qr
    from backend.keys.ring import keyring
    with app.app_context():
        keys = keyring().verification_keys(int(time.time()))
    raw = urllib.request.urlopen(urllib.request.Request(f"{base}/api/scan/v1/trust-bundle",
                                                        headers={"Authorization": f"Bearer {token}"})).read()
    bundle = qr.load_bundle(json.loads(raw)["bundle"], keys)
    code, now = codes_for(app, 1)[0], int(time.time())
    assert qr.verify_offline(code, bundle, now=now).outcome == "valid"
    start = time.perf_counter()
    for _ in range(ops):
        qr.verify_offline(code, bundle, now=now)
    return ops / (time.perf_counter() - start)


def sqlite_rows(seconds: int, rounds: int) -> list[tuple[str, str, str]]:
    """verify / healthz and verify / jwks.json on a fresh SQLite file, as `make run` serves it."""
    path = knob("BENCH_SCAN_SQLITE", "/tmp/bench_scan.sqlite3")
    if not path:
        return []
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    url = f"sqlite:///{path}"
    app_secrets = bench_secrets()
    app = bench_app(url, app_secrets)
    token = setup(app)["transit"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with Gunicorn(knob("BENCH_SCAN_SQLITE_PORT", 8095), {**app_secrets, "DATABASE_URL": url}) as server:
        def verify_rps() -> float:
            body = json.dumps({"code": codes_for(app, 1)[0]})
            return wrk(server.base + VERIFY, seconds, headers=headers, lua=rotate_lua([VERIFY], "POST", body)).rps

        verify_rps()  # warm up both workers
        health = ratio_rounds(verify_rps, lambda: wrk(server.base + "/healthz", seconds).rps, rounds)
        trivial = ratio_rounds(verify_rps, lambda: wrk(server.base + TRIVIAL, seconds).rps, rounds)
    with app.app_context():
        from backend.platform.extensions import db
        db.engine.dispose()
    return [("POST /api/scan/v1/verify (SQLite, WAL)", f"{health.a:,.0f} req/s", ""),
            ("GET /healthz (SQLite)", f"{health.b:,.0f} req/s", ""),
            ("verify / healthz ratio (SQLite)", f"{health.ratio:.2f}", ">= 0.4"),
            ("verify / jwks ratio (SQLite)", f"{trivial.ratio:.2f}", "")]


def run() -> list[tuple[str, str, str]]:
    """Seed, start gunicorn, measure, stop it; return (metric, value, goal) rows."""
    port, seconds, rounds = knob("BENCH_SCAN_PORT", 8092), knob("BENCH_SCAN_SECONDS", 5, 2), knob("BENCH_SCAN_ROUNDS", 3, 2)
    rate, rate_seconds = knob("BENCH_SCAN_RATE", 150), knob("BENCH_SCAN_RATE_SECONDS", 10, 3)
    subjects, offline_ops = knob("BENCH_SCAN_SUBJECTS", 200, 30), knob("BENCH_SCAN_OFFLINE_OPS", 20000, 2000)
    url = scratch_database(pg_url("scan"))
    app_secrets = bench_secrets()
    app = bench_app(url, app_secrets)
    tokens = setup(app)
    transit = {"Authorization": f"Bearer {tokens['transit']}", "Content-Type": "application/json"}

    def verify_rps() -> float:  # a fresh code each round: codes expire within minutes
        body = json.dumps({"code": codes_for(app, 1)[0]})
        return wrk(server.base + VERIFY, seconds, headers=transit, lua=rotate_lua([VERIFY], "POST", body)).rps

    try:
        with Gunicorn(port, {**app_secrets, "DATABASE_URL": url}) as server:
            verify_rps()  # warm up both workers
            r = ratio_rounds(verify_rps, lambda: wrk(server.base + TRIVIAL, seconds).rps, rounds)
            body = json.dumps({"code": codes_for(app, 1)[0]})
            p = paced(server.base + VERIFY, rate, rate_seconds, "POST", body, transit)
            redeem_rate, statuses = redemptions(port, tokens["medical"], codes_for(app, subjects))
            offline = offline_rate(app, server.base, tokens["transit"], offline_ops)
    finally:
        with app.app_context():
            from backend.platform.extensions import db
            db.engine.dispose()
    expected = {201: 2 * subjects, 409: subjects}
    return sqlite_rows(seconds, rounds) + [
        ("POST /api/scan/v1/verify (PostgreSQL)", f"{r.a:,.0f} req/s", ""),
        ("GET /.well-known/jwks.json (baseline)", f"{r.b:,.0f} req/s", ""),
        ("verify / jwks ratio", f"{r.ratio:.2f}", ">= 0.5"),
        (f"verify latency, open loop at {rate} req/s for {rate_seconds} s", p.summary(), "p99 <= 30 ms"),
        ("redemptions (PostgreSQL)", f"{redeem_rate:,.0f} req/s", ""),
        ("redemption quotas correct", f"{statuses == expected} {statuses}", "True"),
        ("offline verifications (one core)", f"{offline:,.0f}/s", ""),
    ]


if __name__ == "__main__":
    for row in run():
        print(*row, sep="  |  ")
