"""Benchmark GET /m/<merchant> on gunicorn (2 workers) + PostgreSQL against GET /.well-known/jwks.json.

Issue 6's numbers: page throughput as a ratio to a trivial endpoint of the same app (goal >= 0.7)
and p99 latency at 200 requests/s. The baseline is /.well-known/jwks.json (no database, same
Flask/JSON stack). wrk rounds interleave baseline and pages, both through a Lua request() so wrk's
own cost is the same on each side; page requests cycle through every demo merchant's sticker path.
The p99 comes from an open-loop load at a fixed rate over the same paths (bench.harness.paced;
latency from the scheduled send time; the achieved rate is reported). Last, the same on a
gunicorn with the per-worker page cache off (MERCHANT_PAGE_CACHE_SECONDS=0) shows what it buys.

Run: ``python -m bench bench_merchant``. Environment (BENCH_QUICK=1 shrinks the defaults):
BENCH_MERCHANT_PG_URL (scratch database, default .../bench_merchant, dropped and recreated),
BENCH_MERCHANT_PORT (8093), BENCH_MERCHANT_SECONDS (per wrk run, 5; quick 2), BENCH_MERCHANT_ROUNDS
(3; quick 2), BENCH_MERCHANT_RATE (200), BENCH_MERCHANT_RATE_SECONDS (10; quick 3),
BENCH_MERCHANT_CONNECTIONS (16), BENCH_MERCHANT_MERCHANTS (pages to cycle through, default all 30
demo merchants; 1 = one hot stall).
"""

from __future__ import annotations

import shutil

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

RATIO_GOAL = 0.7
PUBLIC_BASE_URL = "https://xy.shanwei.gov.cn"


def seed(url: str, app_secrets: dict) -> list[str]:
    """Schema and demo data; returns every demo merchant's sticker path."""
    from backend.demo.seed import seed_demo
    from backend.models import Base
    from backend.platform.extensions import db

    app = bench_app(url, app_secrets, PUBLIC_BASE_URL=PUBLIC_BASE_URL)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        paths = [m["page_path"] for m in seed_demo()["merchants"]]
        db.engine.dispose()
    return paths


def measure(env: dict, paths: list[str], rounds: int, seconds: int, rate: int, rate_seconds: int, conns: int):
    """(ratio_rounds result, paced result) on a fresh gunicorn with env."""
    pages, trivial = rotate_lua(paths), rotate_lua([TRIVIAL])
    with Gunicorn(knob("BENCH_MERCHANT_PORT", 8093), env) as server:
        wrk(server.base, 1, conns, lua=trivial)  # warm up both workers
        wrk(server.base, 1, conns, lua=pages)
        r = ratio_rounds(lambda: wrk(server.base, seconds, conns, lua=pages).rps,
                         lambda: wrk(server.base, seconds, conns, lua=trivial).rps, rounds)
        p = paced(lambda i: server.base + paths[i % len(paths)], rate, rate_seconds)
    return r, p


def run() -> list[tuple[str, str, str]]:
    """Seed, measure with the page cache on and off; return (metric, value, goal) rows."""
    if shutil.which("wrk") is None:
        return [("GET /m/<merchant>", "skipped: wrk not installed", "")]
    seconds, rounds = knob("BENCH_MERCHANT_SECONDS", 5, 2), knob("BENCH_MERCHANT_ROUNDS", 3, 2)
    rate, rate_seconds = knob("BENCH_MERCHANT_RATE", 200), knob("BENCH_MERCHANT_RATE_SECONDS", 10, 3)
    conns, merchants = knob("BENCH_MERCHANT_CONNECTIONS", 16), knob("BENCH_MERCHANT_MERCHANTS", 30)
    url = scratch_database(pg_url("merchant"))
    app_secrets = bench_secrets()
    paths = seed(url, app_secrets)[:max(merchants, 1)]
    env = {**app_secrets, "DATABASE_URL": url, "PUBLIC_BASE_URL": PUBLIC_BASE_URL}
    r, p = measure(env, paths, rounds, seconds, rate, rate_seconds, conns)
    off, p_off = measure({**env, "MERCHANT_PAGE_CACHE_SECONDS": "0"}, paths, 1, seconds, rate, rate_seconds, conns)
    return [
        ("GET /.well-known/jwks.json (baseline)", f"{r.b:,.0f} req/s", ""),
        (f"GET /m/<merchant> x{len(paths)} (PostgreSQL)", f"{r.a:,.0f} req/s", ""),
        ("page / jwks ratio", f"{r.ratio:.2f}", f">= {RATIO_GOAL}"),
        (f"page latency, open loop at {rate} req/s for {rate_seconds} s", p.summary(), "p99 reported"),
        ("page, cache off (comparison)", f"{off.a:,.0f} req/s ({off.ratio:.2f} of jwks); {p_off.summary()}", ""),
    ]


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
