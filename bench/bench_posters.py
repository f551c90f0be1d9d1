"""Benchmark the batch of posters: all stalls of a market as one PDF (GET /api/dept/v1/merchants/posters.pdf).

Issue 18's number: 30 stalls render in <= 5 s. Measured through the real endpoint on the Flask test client with
SQLite in memory (the rendering dominates: fpdf2 drawing each QR as rectangles and subsetting the Chinese font
once), the median of a few rounds after one warm-up (the font file is parsed once per process).

Run: ``python -m bench bench_posters``. Environment: BENCH_POSTERS_STALLS (30), BENCH_POSTERS_ROUNDS (5; quick 2).
"""

from __future__ import annotations

import statistics
import time

from bench.harness import bench_secrets, knob

STALLS = knob("BENCH_POSTERS_STALLS", 30)
ROUNDS = knob("BENCH_POSTERS_ROUNDS", 5, 2)
GOAL_S = 5.0


def run() -> list[tuple[str, str, str]]:
    from backend.app import create_app
    from backend.models import Base
    from backend.operators import services as operators
    from backend.platform.extensions import db
    from tests.merchants.helpers import market, merchant

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SQLALCHEMY_ENGINE_OPTIONS": {}, "TESTING": True,
                      "PUBLIC_BASE_URL": "https://xy.shanwei.gov.cn", **bench_secrets()})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        market("magong")
        for i in range(1, STALLS + 1):
            merchant(f"第{i:02d}号档口", stall_no=f"A-{i:02d}")
        _, token = operators.create_operator("bench", "market", market_slug="magong", actor="bench")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def once() -> tuple[float, int]:
            start = time.perf_counter()
            resp = client.get("/api/dept/v1/merchants/posters.pdf", headers=headers)
            elapsed = time.perf_counter() - start
            assert resp.status_code == 200, resp.get_data(as_text=True)[:200]
            return elapsed, len(resp.data)

        first, _ = once()  # the font file parsed once per process
        runs = [once() for _ in range(ROUNDS)]
    median = statistics.median(t for t, _ in runs)
    size = runs[-1][1]
    return [(f"posters.pdf, {STALLS} stalls (median of {ROUNDS})", f"{median:.2f} s", f"<= {GOAL_S:.0f} s"),
            ("first request of the process (font parsed)", f"{first:.2f} s", f"<= {GOAL_S:.0f} s"),
            ("posters.pdf size", f"{size / 1024:.0f} KiB", "-"),
            ("per stall", f"{median / STALLS * 1000:.0f} ms", "-")]


if __name__ == "__main__":
    for row in run():
        print(*row, sep="\t")
