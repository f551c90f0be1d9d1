"""Benchmark the scanner API on gunicorn (2 workers) + PostgreSQL, and the offline verifier on one core.

Run: ``BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<db> python -m bench bench_scan``.
The database named there is dropped and recreated. Sizes: BENCH_SCAN_SECONDS (wrk phase
length, default 5), BENCH_SCAN_ROUNDS (interleaved verify/trivial rounds, 3), BENCH_SCAN_RATE_SECONDS
(the 150 rps phase, 10), BENCH_SCAN_SUBJECTS (redemption subjects, 200), BENCH_SCAN_OFFLINE_OPS (20000),
BENCH_SCAN_PORT (8156). wrk runs 2 threads, 16 connections.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

_people = itertools.count()
ROOT = Path(__file__).resolve().parents[1]
ENV = os.environ.get
# Never TEST_DATABASE_URL: this database is dropped and recreated.
PG_URL = ENV("BENCH_PG_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/bench_scan"
SECONDS, ROUNDS = int(ENV("BENCH_SCAN_SECONDS", "5")), int(ENV("BENCH_SCAN_ROUNDS", "3"))
RATE, RATE_SECONDS = 150, int(ENV("BENCH_SCAN_RATE_SECONDS", "10"))
SUBJECTS, OFFLINE_OPS = int(ENV("BENCH_SCAN_SUBJECTS", "200")), int(ENV("BENCH_SCAN_OFFLINE_OPS", "20000"))
PORT = int(ENV("BENCH_SCAN_PORT", "8156"))
SECRETS = {"SECRET_KEY": "bench-secret", "ID_HASH_KEY": "bench-id-hash", "KEY_ENCRYPTION_KEY": Fernet.generate_key().decode()}


def fresh_database(url: str) -> None:
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def make_app():
    from backend.app import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": PG_URL, "SQLALCHEMY_ENGINE_OPTIONS": {}, **SECRETS})


def setup(app) -> dict:
    from backend.extensions import db
    from backend.models import Base
    from backend.services.demo import seed_demo
    with app.app_context():
        Base.metadata.create_all(db.engine)
        return {d["scenario"]: d["token"] for d in seed_demo()["devices"]}


def codes_for(app, n: int, grade: str = "A") -> list[str]:
    from backend.extensions import db
    from backend.services.codes import issue_code
    from backend.services.subjects import get_or_create_person
    from stdnum.cn import ric
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


class Server:
    def __init__(self) -> None:
        env = {**os.environ, **SECRETS, "DATABASE_URL": PG_URL, "APP_ENV": "development"}
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{PORT}",
                                      "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def wrk(path: str, script: str | None = None) -> float:
    args = ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--timeout", "5s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script or "")
    if script:
        args += ["-s", f.name]
    out = subprocess.run(args + [f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True,
                         timeout=SECONDS + 30).stdout
    os.unlink(f.name)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{path}: {non2xx.group(1)} failed responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def verify_script(token: str, code: str) -> str:
    body = json.dumps({"code": code}).replace('"', '\\"')
    return (f'wrk.method = "POST"\nwrk.body = "{body}"\n'
            f'wrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer {token}"\n')


def fixed_rate(token: str, code: str) -> list[float]:
    """Open loop at RATE rps; latency counted from the scheduled send time (no coordinated omission)."""
    due: queue.Queue = queue.Queue()
    latencies: list[float] = []
    body = json.dumps({"code": code})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def worker() -> None:
        conn = HTTPConnection("127.0.0.1", PORT, timeout=10)
        while (when := due.get()) is not None:
            conn.request("POST", "/api/scan/v1/verify", body, headers)
            conn.getresponse().read()
            latencies.append(time.perf_counter() - when)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    start = time.perf_counter()
    for i in range(RATE * RATE_SECONDS):
        when = start + i / RATE
        time.sleep(max(0.0, when - time.perf_counter()))
        due.put(when)
    for _ in threads:
        due.put(None)
    for t in threads:
        t.join()
    return latencies


def redemptions(token: str, codes: list[str]) -> tuple[float, dict]:
    """Three attempts per subject at a 2-per-month perk: expect 2 grants and 1 refusal each."""
    def one(i: int) -> int:
        conn = HTTPConnection("127.0.0.1", PORT, timeout=10)
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
    return len(statuses) / elapsed, {s: statuses.count(s) for s in set(statuses)}


def offline_rate(app, token: str) -> float:
    import qr
    from backend.services.signing_keys import keyring
    with app.app_context():
        keys = keyring().verification_keys(int(time.time()))
    raw = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{PORT}/api/scan/v1/trust-bundle",
                                                        headers={"Authorization": f"Bearer {token}"})).read()
    bundle = qr.load_bundle(json.loads(raw)["bundle"], keys)
    code, now = codes_for(app, 1)[0], int(time.time())
    assert qr.verify_offline(code, bundle, now=now).outcome == "valid"
    start = time.perf_counter()
    for _ in range(OFFLINE_OPS):
        qr.verify_offline(code, bundle, now=now)
    return OFFLINE_OPS / (time.perf_counter() - start)


def run() -> list[tuple[str, str, str]]:
    fresh_database(PG_URL)
    app = make_app()
    tokens = setup(app)
    server = Server()
    try:
        ratios, verify_rps, trivial_rps = [], [], []
        for _ in range(ROUNDS):
            code = codes_for(app, 1)[0]
            trivial_rps.append(wrk("/.well-known/jwks.json"))
            verify_rps.append(wrk("/api/scan/v1/verify", verify_script(tokens["transit"], code)))
            ratios.append(verify_rps[-1] / trivial_rps[-1])
        lat = sorted(fixed_rate(tokens["transit"], codes_for(app, 1)[0]))
        p99 = lat[int(len(lat) * 0.99) - 1] * 1000
        rate, statuses = redemptions(tokens["medical"], codes_for(app, SUBJECTS))
        expected = {201: 2 * SUBJECTS, 409: SUBJECTS}
        offline = offline_rate(app, tokens["transit"])
    finally:
        server.stop()
        with app.app_context():
            from backend.extensions import db
            db.engine.dispose()
    return [
        ("verify rps (gunicorn -w2, PostgreSQL)", f"{statistics.median(verify_rps):.0f}", ""),
        ("trivial JSON rps (jwks, same run)", f"{statistics.median(trivial_rps):.0f}", ""),
        ("verify / trivial", f"{statistics.median(ratios):.2f}", ">= 0.5"),
        (f"verify p99 at {RATE} rps", f"{p99:.1f} ms (p50 {statistics.median(lat) * 1000:.1f})", "<= 30 ms"),
        ("redemption requests/s (PostgreSQL)", f"{rate:.0f}", ""),
        ("redemption quotas correct", str(statuses == expected) + f" {statuses}", "True"),
        ("offline verifications/s (one core)", f"{offline:.0f}", ""),
    ]


if __name__ == "__main__":
    for row in run():
        print(*row, sep="  |  ")
