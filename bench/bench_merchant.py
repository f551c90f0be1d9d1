"""Benchmark GET /m/<merchant> on gunicorn (2 workers) + PostgreSQL against a trivial endpoint.

Run from the repo root: ``.venv/bin/python -m bench bench_merchant``. Needs wrk and a
PostgreSQL database it may wipe (BENCH_DATABASE_URL, default the issue's test_i6).
Rounds interleave the trivial endpoint and the pages with wrk (the machine is shared and
noisy); the ratio is the median of per-round ratios. Page requests cycle through all 30
demo merchants' sticker URLs (a Lua script). Then a paced wrk run (Lua delay) holds about
BENCH_RATE requests/s on the pages and reports its p99 latency. Last, one run with the
per-worker page cache off (MERCHANT_PAGE_CACHE_SECONDS=0) shows what the cache buys.

Environment: BENCH_SECONDS (per wrk run, default 5), BENCH_ROUNDS (3), BENCH_RATE (200),
BENCH_PORT (8160), BENCH_CONNECTIONS (16), BENCH_MERCHANTS (how many demo merchants' pages to
cycle through, default all 30; 1 = one hot stall).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_i6")
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
RATE = int(os.environ.get("BENCH_RATE", "200"))
PORT = int(os.environ.get("BENCH_PORT", "8160"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
MERCHANTS = int(os.environ.get("BENCH_MERCHANTS", "30"))
RATIO_GOAL = 0.7
ROTATE_LUA = "paths = {{{paths}}}\ni = 0\nrequest = function() i = i % #paths + 1 return wrk.format(nil, paths[i]) end\n"
PACE_LUA = "delay = function() return {ms} end\n"


def seed(env: dict) -> list[str]:
    """Fresh schema and demo data; returns every demo merchant's sticker path."""
    code = ("import json; from backend.app import create_app; from backend.extensions import db; "
            "from backend.models import Base; from backend.services.demo import seed_demo\n"
            "app = create_app()\nwith app.app_context():\n"
            "    Base.metadata.drop_all(db.engine); Base.metadata.create_all(db.engine)\n"
            "    print(json.dumps([m['page_path'] for m in seed_demo()['merchants']]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> tuple[float, float]:
    """(requests/s, p99 ms) from one wrk run; raises RuntimeError on socket errors or non-2xx."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    return rps, float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def start_server(env: dict) -> subprocess.Popen:
    """gunicorn with 2 sync workers on 127.0.0.1:PORT; waits until it answers; raises RuntimeError."""
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
                             "--log-level", "warning", "bench.merchant_app:app"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/hello", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def lua(text: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(text)
    return f.name


def serve_and_measure(env: dict, rotate: str, trivial: str, rounds: int) -> tuple[list[float], list[float], tuple[float, float]]:
    """(trivial req/s per round, page req/s per round, (paced req/s, p99 ms)) on a fresh gunicorn."""
    proc = start_server(env)
    base = f"http://127.0.0.1:{PORT}"
    try:
        wrk(base, 1, CONNECTIONS, trivial)  # warm up both workers
        wrk(base, 1, CONNECTIONS, rotate)
        hello, page = [], []
        for _ in range(rounds):  # both through a Lua request(): wrk's own cost is the same on each side
            hello.append(wrk(base, SECONDS, CONNECTIONS, trivial)[0])
            page.append(wrk(base, SECONDS, CONNECTIONS, rotate)[0])
        pace_connections = 8
        paced = lua(open(rotate).read() + PACE_LUA.format(ms=round(1000 * pace_connections / RATE)))
        try:
            latency = wrk(base, max(SECONDS * 2, 5), pace_connections, paced)
        finally:
            os.unlink(paced)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return hello, page, latency


def run() -> list[tuple[str, str, str]]:
    """Measure and return rows of (metric, value, goal)."""
    if shutil.which("wrk") is None:
        return [("GET /m/<merchant>", "skipped: wrk not installed", "")]
    instance = tempfile.mkdtemp(prefix="bench-i6-")
    env = {**os.environ, "DATABASE_URL": DB_URL, "INSTANCE_PATH": instance, "APP_ENV": "development",
           "PUBLIC_BASE_URL": "https://xy.shanwei.gov.cn", "PYTHONPATH": str(ROOT)}
    paths = seed(env)[:max(MERCHANTS, 1)]
    rotate = lua(ROTATE_LUA.format(paths=", ".join(f'"{p}"' for p in paths)))
    trivial = lua(ROTATE_LUA.format(paths='"/bench/hello"'))
    try:
        hello, page, (paced_rps, p99) = serve_and_measure(env, rotate, trivial, ROUNDS)
        _, uncached, (_, uncached_p99) = serve_and_measure({**env, "MERCHANT_PAGE_CACHE_SECONDS": "0"}, rotate,
                                                           trivial, 1)
    finally:
        os.unlink(rotate)
        os.unlink(trivial)
        shutil.rmtree(instance, ignore_errors=True)
    ratio = statistics.median(p / h for p, h in zip(page, hello))
    return [
        ("trivial endpoint (2 workers)", f"{statistics.median(hello):,.0f} req/s", ""),
        (f"GET /m/<merchant> x{len(paths)} (2 workers, PostgreSQL)", f"{statistics.median(page):,.0f} req/s", ""),
        ("page / trivial", f"{ratio:.2f}", f">= {RATIO_GOAL}"),
        (f"p99 at ~{RATE} req/s (measured {paced_rps:.0f})", f"{p99:.1f} ms", ""),
        ("page, cache off (comparison)", f"{uncached[0]:,.0f} req/s ({uncached[0] / statistics.median(hello):.2f}x), "
         f"p99 at ~{RATE} req/s {uncached_p99:.1f} ms", ""),
    ]


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
