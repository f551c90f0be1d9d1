"""Benchmark GET /api/mp/v1/me/code on gunicorn (2 workers) against GET /.well-known/jwks.json.

jwks.json is the app's cheapest JSON endpoint that touches no database per request (the key
ring is cached per worker): the same Flask, gunicorn and JSON stack, so the ratio isolates what
the code path adds (session lookup, rate-limit hit, Ed25519 signing). Rounds alternate the two
endpoints so both see the same machine load; the ratio is the median of per-round ratios.

Run: ``python -m bench bench_mp``. Environment: BENCH_MP_DATABASE_URL (default a fresh SQLite
file; e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench_i4, emptied first), BENCH_MP_PORT
(8140), BENCH_MP_ROUNDS (3), BENCH_MP_SECONDS (5), BENCH_MP_CONNECTIONS (8), BENCH_MP_REDIS (a
redis:// URL for the rate-limit storage; default per-worker memory).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet
from stdnum.cn import ric

ROOT = Path(__file__).resolve().parent.parent
RATIO_GOAL = 0.6


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _prepare(url: str, secrets: dict) -> str:
    """Create the schema, a bound resident and a session; return the session token."""
    from backend.app import create_app
    from backend.config import _engine_options
    from backend.extensions import db
    from backend.models import Base
    from backend.services import mp_sessions
    from backend.services.codes import issue_code
    from backend.services.subjects import get_or_create_person

    app = create_app({**secrets, "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(url)})
    with app.app_context():
        Base.metadata.drop_all(db.engine)
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


def _wrk(url: str, seconds: int, connections: int, token: str | None) -> float:
    """Requests per second wrk measured; raises RuntimeError on non-2xx answers."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"non-2xx answers from {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _wait_ready(base: str, proc: subprocess.Popen, deadline: float = 30.0) -> None:
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            urllib.request.urlopen(base + "/.well-known/jwks.json", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not become ready")


def run() -> list[tuple[str, str, str]]:
    """Start gunicorn, measure both endpoints round by round, stop it; return (metric, value, goal) rows."""
    if shutil.which("wrk") is None:
        return [("me/code / jwks ratio", "skipped: wrk not installed", f">= {RATIO_GOAL}")]
    port, rounds = int(_env("BENCH_MP_PORT", "8140")), int(_env("BENCH_MP_ROUNDS", "3"))
    seconds, conns = int(_env("BENCH_MP_SECONDS", "5")), int(_env("BENCH_MP_CONNECTIONS", "8"))
    tmp = Path(tempfile.mkdtemp(prefix="bench_mp_"))
    url = _env("BENCH_MP_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    secrets = {"SECRET_KEY": "bench-secret", "ID_HASH_KEY": "bench-id-hash", "KEY_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    token = _prepare(url, secrets)
    env = {**os.environ, **secrets, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp), "APP_ENV": "development",
           "MP_CODE_RATE_LIMIT": "1000000 per minute"}
    if os.environ.get("BENCH_MP_REDIS"):
        env["REDIS_URL"] = os.environ["BENCH_MP_REDIS"]
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
    try:
        _wait_ready(base, proc)
        for path, tok in (("/api/mp/v1/me/code", token), ("/.well-known/jwks.json", None)):
            _wrk(base + path, 1, conns, tok)  # warm up both workers
        code_rps, jwks_rps = [], []
        for _ in range(rounds):
            code_rps.append(_wrk(base + "/api/mp/v1/me/code", seconds, conns, token))
            jwks_rps.append(_wrk(base + "/.well-known/jwks.json", seconds, conns, None))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = statistics.median(c / j for c, j in zip(code_rps, jwks_rps))
    db_kind = url.split(":", 1)[0].split("+")[0]
    return [
        (f"GET /api/mp/v1/me/code ({db_kind})", f"{statistics.median(code_rps):,.0f} req/s", ""),
        ("GET /.well-known/jwks.json", f"{statistics.median(jwks_rps):,.0f} req/s", ""),
        ("me/code / jwks ratio", f"{ratio:.2f}", f">= {RATIO_GOAL}"),
    ]


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
