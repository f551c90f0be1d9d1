"""Benchmark credit files: recompute-grades (PostgreSQL, SQLite), CSV import, 一键查询 under load.

Run from the repo root: ``python -m bench bench_credit``. Sizes default to the issue's
(100,000 subjects, 10 records each, a 100,000-row CSV, 200 requests/s); shrink them with
BENCH_CREDIT_SUBJECTS, BENCH_CREDIT_RECORDS_PER_SUBJECT, BENCH_CREDIT_CSV_ROWS, BENCH_CREDIT_RATE,
BENCH_CREDIT_SECONDS. BENCH_CREDIT_PG_URL names a scratch PostgreSQL database (its tables are
dropped and recreated; the database is created if missing); BENCH_CREDIT_SQLITE a scratch SQLite
file ("" skips SQLite); BENCH_CREDIT_PORT the port of the gunicorn it starts and stops.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.credit_data import generate, uscc_for
from bench.loadgen import fixed_rate

ENV = os.environ.get
SUBJECTS = int(ENV("BENCH_CREDIT_SUBJECTS", "100000"))
PER_SUBJECT = int(ENV("BENCH_CREDIT_RECORDS_PER_SUBJECT", "10"))
CSV_ROWS = int(ENV("BENCH_CREDIT_CSV_ROWS", "100000"))
RATE = float(ENV("BENCH_CREDIT_RATE", "200"))
SECONDS = float(ENV("BENCH_CREDIT_SECONDS", "20"))
PG_URL = ENV("BENCH_CREDIT_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_credit")
SQLITE = ENV("BENCH_CREDIT_SQLITE", "/tmp/bench_credit.sqlite3")
PORT = int(ENV("BENCH_CREDIT_PORT", "8090"))
DEPARTMENT = "汕尾市市场监督管理局"
SECRETS = {"SECRET_KEY": "bench-secret", "ID_HASH_KEY": "bench-id-hash",
           "KEY_ENCRYPTION_KEY": "0l3J4Z9w7bH0yXw5m2QZt7cQy1xK3h6uN8pV9rS2dE4="}
ROOT = Path(__file__).resolve().parent.parent


def make_app(url: str):
    from backend.app import create_app

    # No statement timeout here: bulk loading a million rows takes longer than a request may.
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}, **SECRETS})


def ensure_pg_database(url: str) -> None:
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}).first():
            conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def recompute(label: str) -> tuple[str, str, str]:
    from backend.services import regrade

    started = time.perf_counter()
    run = regrade.run_batches(regrade.open_run(restart=True), batch_size=1000)
    took = time.perf_counter() - started
    goal = "< 180 s (PostgreSQL, 100k/1M)" if label == "PostgreSQL" else "-"
    return (f"recompute-grades {SUBJECTS:,} subjects / {SUBJECTS * PER_SUBJECT:,} records, {label}",
            f"{took:.1f} s, {run.processed / took:,.0f} subjects/s ({run.changed:,} changed)", goal)


def csv_import() -> tuple[str, str, str]:
    from backend.services import record_import

    lines = ["uscc,department,category,severity,result,title,document_no,legal_basis,decided_on"]
    day = dt.date.today() - dt.timedelta(days=10)
    for i in range(CSV_ROWS):
        sev = "general" if i % 3 == 0 else ""
        cat, res = ("admin_penalty", "") if sev else ("product_inspection", "pass")
        lines.append(f"{uscc_for(i % SUBJECTS + 1)},{DEPARTMENT},{cat},{sev},{res},抽检或处罚,CSV-{i},《食品安全法》,{day}")
    raw = ("\n".join(lines) + "\n").encode("gbk")
    started = time.perf_counter()
    decoded, encoding = record_import.decode_csv(raw)
    report = record_import.store_rows(record_import.parse_csv(decoded), operator=None, actor="bench",
                                      source="csv", encoding=encoding)
    took = time.perf_counter() - started
    return (f"CSV import {CSV_ROWS:,} rows (GBK, PostgreSQL)",
            f"{took:.1f} s ({report['created']:,} rows, {report['subjects_regraded']:,} re-graded)", "< 60 s")


def start_gunicorn(url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, **SECRETS, "APP_ENV": "production"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
                             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def joint_query_load(url: str, token: str) -> list[tuple[str, str, str]]:
    purpose = quote("政府采购供应商资格审查")

    def path(i: int) -> str:
        return f"/api/dept/v1/joint-measures?uscc={uscc_for(i * 7919 % SUBJECTS + 1)}&purpose={purpose}"

    headers = {"Authorization": f"Bearer {token}"}
    proc = start_gunicorn(url)
    try:
        fixed_rate("127.0.0.1", PORT, 20, 2, path, headers)  # warm both workers
        results = fixed_rate("127.0.0.1", PORT, RATE, SECONDS, path, headers)
        rows = [_latency_row(results)]
        rows.append(_wrk(path, token))
    finally:
        stop(proc)
    return rows


def _latency_row(results: list[tuple[float, int]]) -> tuple[str, str, str]:
    latencies = sorted(r[0] * 1000 for r in results)
    errors = sum(1 for r in results if r[1] != 200)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    return (f"一键查询 at {RATE:.0f} req/s for {SECONDS:.0f} s (gunicorn 2 workers, PostgreSQL)",
            f"p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, {errors} errors / {len(results)}",
            "p99 < 25 ms")


def _wrk(path, token: str) -> tuple[str, str, str]:
    paths = ", ".join(f'"{path(i)}"' for i in range(500))
    script = (f'local paths = {{{paths}}}\nlocal i = 0\nwrk.headers["Authorization"] = "Bearer {token}"\n'
              'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end\n')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(["wrk", "-t2", "-c8", "-d8s", "-s", f.name, f"http://127.0.0.1:{PORT}/"],
                             capture_output=True, text=True, timeout=60).stdout
    except FileNotFoundError:
        return ("一键查询 max throughput (wrk)", "wrk not installed", "-")
    finally:
        os.unlink(f.name)
    rps = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
    return ("一键查询 max throughput (wrk -c8, closed loop)", f"{rps} req/s", "≥ 200 req/s")


def run() -> list[tuple[str, str, str]]:
    from backend.extensions import db
    from backend.services import joint, operators

    rows = []
    ensure_pg_database(PG_URL)
    app = make_app(PG_URL)
    with app.app_context():
        generate(SUBJECTS, PER_SUBJECT, dt.date.today())
        rows.append(recompute("PostgreSQL"))
        rows.append(csv_import())
        joint.sync_catalogue(actor="bench")
        _, token = operators.create_operator("bench desk", "department", department=DEPARTMENT, actor="bench")
        db.engine.dispose()
    rows += joint_query_load(PG_URL, token)
    if SQLITE:
        Path(SQLITE).unlink(missing_ok=True)
        app = make_app(f"sqlite:///{SQLITE}")
        with app.app_context():
            generate(SUBJECTS, PER_SUBJECT, dt.date.today())
            rows.append(recompute("SQLite"))
            db.engine.dispose()
        Path(SQLITE).unlink(missing_ok=True)
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
