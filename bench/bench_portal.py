"""Benchmark the portal search (GET /api/public/v1/subjects?q=) at 100 k subjects on PostgreSQL, on gunicorn.

Issue 15's goal: p99 <= 50 ms for a search. The name indexes (migration 0024 / disclosure.models): pg_trgm GIN
for LIKE '%q%' of three characters or more, a GIN expression index on sw_bigrams(display_name) for two; at most
200 matches are taken. After the COPY, VACUUM merges the GIN pending lists (as autovacuum would). Subjects are
90 % organisations and merchants with generated Chinese names (place + two-character shop name + trade + form),
10 % persons (never found). Queries are measured by class, each open loop at a fixed rate (bench.harness.paced,
latency from the scheduled send time): a 4-character fragment (often a common phrase such as 水产有限), a
3-character one, a common 2-character trade word (thousands of matches), a full name, a USCC, and a person's
name (0 results).
EXPLAIN of a 3-character query is printed to show the index in use.

Run: ``python -m bench bench_portal``. Environment (BENCH_QUICK=1 shrinks the defaults):
BENCH_PORTAL_PG_URL (scratch database, default .../bench_portal, dropped and recreated),
BENCH_PORTAL_SUBJECTS (100000; quick 20000), BENCH_PORTAL_PORT (8095), BENCH_PORTAL_RATE (100 req/s),
BENCH_PORTAL_SECONDS (per class, 8; quick 3).
"""

from __future__ import annotations

import random
from urllib.parse import quote

from sqlalchemy import text
from stdnum.cn import uscc

from bench.harness import Gunicorn, bench_app, bench_secrets, knob, paced, pg_url, scratch_database

GOAL_MS = 50.0
PLACES = ["汕尾市", "海丰县", "陆丰市", "陆河县", "汕尾市城区", "红海湾"]
CHARS = "鑫华荣兴盛达利丰海鹏顺祥福源通宏伟嘉和泰安康乐美佳新恒昌隆永发金银明辉德信诚广宇天辰晟"
TRADES = ["水产", "海鲜", "贸易", "建材", "餐饮", "食品", "渔业", "物流", "电子", "服装", "五金", "茶叶", "酒店", "药房"]
FORMS = ["有限公司", "商行", "经营部", "水产档", "专业合作社", "店", "实业有限公司"]
SURNAMES = "陈林黄张李王吴刘蔡杨郑许谢洪郭邱曾廖赖徐周叶苏庄"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _name(rng: random.Random) -> str:
    return (rng.choice(PLACES) + rng.choice(CHARS) + rng.choice(CHARS) + rng.choice(TRADES) + rng.choice(FORMS))


def _code(i: int) -> str:
    base = f"92441502MA{i:07d}"
    return base + uscc.calc_check_digit(base)


def seed(url: str, app_secrets: dict, n: int) -> dict:
    """Schema, n subjects; returns sample queries by class."""
    from backend.models import Base
    from backend.platform.extensions import db

    rng = random.Random(15)
    app = bench_app(url, app_secrets)
    names = []
    with app.app_context():
        Base.metadata.create_all(db.engine)
        with db.engine.begin() as conn:
            raw = conn.connection.driver_connection
            with raw.cursor() as cur, cur.copy("COPY subjects (handle, kind, display_name, uscc, grade) FROM STDIN") as cp:
                for i in range(1, n + 1):
                    if i % 10 == 0:
                        cp.write_row((f"p{i:07d}", "person", rng.choice(SURNAMES) + "*" + rng.choice(GIVEN), None,
                                      "B"))
                        continue
                    name = _name(rng)
                    names.append(name)
                    cp.write_row((f"b{i:07d}", "merchant", name, _code(i), rng.choice("ABCD")))
        # The GIN indexes took the COPY into their pending lists (fastupdate), which every search would scan
        # until autovacuum merges them: merge now, as a running system's autovacuum would have.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE subjects"))
        with db.engine.connect() as conn:
            plan = conn.execute(text("EXPLAIN SELECT id FROM subjects WHERE kind <> 'person' AND "
                                     "display_name LIKE '%鑫华水%' LIMIT 1001")).scalars()
            plan = " / ".join(line.strip() for line in plan)
        db.engine.dispose()
    picks = rng.sample(names, 200)
    return {
        "4-char fragment": [p[len(p) - 8:len(p) - 4] for p in picks],
        "3-char fragment": [rng.choice(CHARS) + rng.choice(CHARS) + rng.choice(TRADES)[0] for _ in range(200)],
        "2-char trade word (common)": [rng.choice(TRADES) for _ in range(200)],
        "full name": picks,
        "USCC": [_code(rng.randrange(1, n + 1) // 10 * 10 + 1) for _ in range(200)],
        "person's name (0 results)": [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(200)],
        "_plan": plan,
    }


def run() -> list[tuple[str, str, str]]:
    n = knob("BENCH_PORTAL_SUBJECTS", 100000, 20000)
    rate, seconds = knob("BENCH_PORTAL_RATE", 100), knob("BENCH_PORTAL_SECONDS", 8, 3)
    url = scratch_database(pg_url("portal"))
    app_secrets = bench_secrets()
    queries = seed(url, app_secrets, n)
    plan = queries.pop("_plan")
    rows = [("subjects seeded (PostgreSQL, pg_trgm GIN)", f"{n:,}", ""),
            ("plan of LIKE '%鑫华水%'", "index" if "ix_subjects_display_name_trgm" in plan else "scan", plan[:120])]
    env = {**app_secrets, "DATABASE_URL": url}
    with Gunicorn(knob("BENCH_PORTAL_PORT", 8095), env) as server:
        def path(qs: list[str]):
            return lambda i: f"{server.base}/api/public/v1/subjects?q={quote(qs[i % len(qs)])}"
        paced(path(queries["full name"]), 50, 1)  # warm up
        for label, qs in queries.items():
            result = paced(path(qs), rate, seconds)
            ok = "ok" if result.p(99) <= GOAL_MS and not result.errors else "MISSED"
            rows.append((f"search: {label}, {rate} req/s", result.summary(), f"p99 <= {GOAL_MS:g} ms: {ok}"))
    return rows


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
