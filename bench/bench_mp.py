"""Benchmark GET /api/mp/v1/me/code on gunicorn (2 workers) + PostgreSQL against GET /.well-known/jwks.json.

The baseline, /.well-known/jwks.json, reads no database per request (the key ring is cached per
worker) and runs on the same Flask/JSON stack, so the ratio isolates what the code path adds
(session lookup, rate-limit hit, Ed25519 signing). Issue 4's goal: ratio >= 0.6. wrk rounds
alternate the two endpoints (bench.harness.ratio_rounds); the ratio is the median of per-round ratios.

Run: ``python -m bench bench_mp``. Environment (BENCH_QUICK=1 shrinks the defaults):
BENCH_MP_PG_URL (scratch database, default .../bench_mp, dropped and recreated), BENCH_MP_PORT
(8091), BENCH_MP_ROUNDS (3; quick 2), BENCH_MP_SECONDS (5; quick 2), BENCH_MP_CONNECTIONS (16),
BENCH_MP_REDIS (a redis:// URL for the rate-limit storage; default per-worker memory).
"""

from __future__ import annotations

import shutil

from stdnum.cn import ric

from bench.harness import TRIVIAL, Gunicorn, bench_app, bench_secrets, knob, pg_url, ratio_rounds, scratch_database, wrk

RATIO_GOAL = 0.6
CODE = "/api/mp/v1/me/code"


def _prepare(url: str, app_secrets: dict) -> str:
    """Create the schema, a bound resident and a session; return the session token."""
    from backend.accounts import sessions as mp_sessions
    from backend.credit.subjects import get_or_create_person
    from backend.keys.codes import issue_code
    from backend.models import Base
    from backend.platform.extensions import db

    app = bench_app(url, app_secrets)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        base = "44150219900101001"
        subject = get_or_create_person(base + ric.calc_check_digit(base + "0"), "测试居民")
        db.session.commit()
        login = mp_sessions.login("o-bench", "c2Vzc2lvbi1rZXk=")
        login.account.subject_id = subject.id
        db.session.commit()
        issue_code(subject)  # creates the first signing key
        db.engine.dispose()
    return login.token


def run() -> list[tuple[str, str, str]]:
    """Start gunicorn, measure both endpoints round by round, stop it; return (metric, value, goal) rows."""
    if shutil.which("wrk") is None:
        return [("me/code / jwks ratio", "skipped: wrk not installed", f">= {RATIO_GOAL}")]
    port, rounds = knob("BENCH_MP_PORT", 8091), knob("BENCH_MP_ROUNDS", 3, 2)
    seconds, conns = knob("BENCH_MP_SECONDS", 5, 2), knob("BENCH_MP_CONNECTIONS", 16)
    url = scratch_database(pg_url("mp"))
    app_secrets = bench_secrets()
    auth = {"Authorization": f"Bearer {_prepare(url, app_secrets)}"}
    env = {**app_secrets, "DATABASE_URL": url, "MP_CODE_RATE_LIMIT": "1000000 per minute"}
    if knob("BENCH_MP_REDIS", ""):
        env["REDIS_URL"] = knob("BENCH_MP_REDIS", "")
    with Gunicorn(port, env) as server:
        wrk(server.base + CODE, 1, conns, headers=auth)  # warm up both workers on both paths
        wrk(server.base + TRIVIAL, 1, conns)
        r = ratio_rounds(lambda: wrk(server.base + CODE, seconds, conns, headers=auth).rps,
                         lambda: wrk(server.base + TRIVIAL, seconds, conns).rps, rounds)
    return [
        ("GET /api/mp/v1/me/code (PostgreSQL)", f"{r.a:,.0f} req/s", ""),
        ("GET /.well-known/jwks.json (baseline)", f"{r.b:,.0f} req/s", ""),
        ("me/code / jwks ratio", f"{r.ratio:.2f}", f">= {RATIO_GOAL}"),
    ]


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
