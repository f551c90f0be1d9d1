"""What the server benchmarks share: scratch databases, gunicorn, wrk, a paced load, A/B rounds.

A server benchmark wipes its own PostgreSQL database (scratch_database), starts gunicorn with 2
sync workers on its own port (Gunicorn), measures throughput with wrk (closed loop) and latency
with paced() (open loop at a fixed rate), and compares an endpoint with the trivial
GET /.well-known/jwks.json in interleaved rounds (ratio_rounds). knob() reads sizes from the
environment; BENCH_QUICK=1 picks every module's smoke-run values instead of the full ones.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
TRIVIAL = "/.well-known/jwks.json"  # the baseline everywhere: no database, same Flask/JSON stack


def knob(name: str, full, quick=None):
    """The environment's value of name (converted to full's type), else quick under BENCH_QUICK=1, else full."""
    raw = os.environ.get(name)
    if raw is not None:
        return type(full)(raw)
    return quick if QUICK and quick is not None else full


def pg_url(area: str) -> str:
    """BENCH_<AREA>_PG_URL, else the area's own scratch database bench_<area> on the local server."""
    return knob(f"BENCH_{area.upper()}_PG_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/bench_{area}")


def scratch_database(url: str) -> str:
    """Create url's PostgreSQL database, dropping it first if it exists; returns url.

    Raises ValueError unless the name starts with bench_ (so a test or real database is never wiped).
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if not u.drivername.startswith("postgresql") or not re.fullmatch(r"bench_\w+", u.database or ""):
        raise ValueError(f"refusing to wipe {u.render_as_string()}: only PostgreSQL databases named bench_*")
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    finally:
        admin.dispose()
    return url


def bench_secrets() -> dict[str, str]:
    """Fresh SECRET_KEY, ID_HASH_KEY and KEY_ENCRYPTION_KEY for one run (its database is fresh too)."""
    from cryptography.fernet import Fernet

    return {"SECRET_KEY": secrets.token_urlsafe(32), "ID_HASH_KEY": secrets.token_urlsafe(32),
            "KEY_ENCRYPTION_KEY": Fernet.generate_key().decode()}


def bench_app(url: str, app_secrets: dict, **config):
    """The Flask app on url for seeding in this process (no statement timeout: bulk loads are long)."""
    from backend.app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}, **app_secrets, **config})


class Gunicorn:
    """gunicorn serving wsgi:app on 127.0.0.1:port with the repo's gunicorn.conf.py, as a context manager.

    Its output (a JSON log line per request, as in production) goes to a temporary file,
    quoted in the error when it fails to start and deleted when it stops.
    env is added to this process's environment (minus DATABASE_URL/REDIS_URL/TEST_DATABASE_URL,
    so only what the benchmark passes counts; APP_ENV defaults to production). Entering waits for
    GET /healthz until `deadline` seconds; raises RuntimeError if the port is taken, gunicorn exits
    or the deadline passes. Leaving sends SIGTERM to its own pid, and SIGKILL to its process group
    if it has not stopped within 15 s.
    """

    def __init__(self, port: int, env: dict, workers: int = 2, app: str = "wsgi:app", deadline: float = 30.0):
        self.port, self.workers, self.app, self.deadline = port, workers, app, deadline
        inherited = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_URL")}
        # Production requires PUBLIC_BASE_URL (the sticker host); a benchmark prints no stickers.
        self.env = {**inherited, "APP_ENV": "production", "PUBLIC_BASE_URL": "https://xy.shanwei.gov.cn", **env}
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log")

    def __enter__(self) -> Gunicorn:
        with socket.socket() as probe:  # else /healthz could be answered by someone else's server
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError as exc:
                raise RuntimeError(f"port {self.port} is in use") from exc
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--config", str(ROOT / "gunicorn.conf.py"), "--log-level", "warning", self.app],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready()
        except BaseException as exc:  # Ctrl-C included: never leave the server running
            self.stop()
            self.log.seek(0)
            tail = "".join(self.log.readlines()[-20:])
            self.log.close()
            if isinstance(exc, RuntimeError):
                raise RuntimeError(f"{exc}; gunicorn said:\n{tail}") from exc
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log.close()

    def _wait_ready(self) -> None:
        until = time.monotonic() + self.deadline
        while time.monotonic() < until:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.proc.returncode}")
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {self.deadline:g} s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int = 0


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def wrk(url: str, seconds: float, connections: int = 16, threads: int = 2, lua: str | None = None,
        headers: dict | None = None, check: bool = True) -> WrkResult:
    """One closed-loop wrk run (lua: script text; headers: sent with every request).

    Raises RuntimeError when check is set and any answer was not 2xx/3xx (a benchmark of error pages).
    """
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s", "--latency"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    script = None
    if lua:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(lua)
        script = f.name
        cmd += ["-s", script]
    try:
        out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    finally:
        if script:
            os.unlink(script)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s|m))$", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result = WrkResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(*re.fullmatch(r"([\d.]+)(\w+)", latency["50"]).groups()),
        p99_ms=_ms(*re.fullmatch(r"([\d.]+)(\w+)", latency["99"]).groups()),
        non2xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=sum(map(int, sock.groups())) if sock else 0)
    if check and result.non2xx:
        raise RuntimeError(f"{result.non2xx} non-2xx answers from {url}:\n{out}")
    return result


def _lua_str(s: str) -> str:
    if not s.isascii():
        raise ValueError("wrk's Lua gets ASCII strings only")
    return json.dumps(s)  # JSON string syntax is valid Lua for ASCII


def rotate_lua(paths: list[str], method: str = "GET", body: str | None = None) -> str:
    """A wrk script cycling through paths (each wrk thread from its own start), method and body fixed."""
    items = ", ".join(_lua_str(p) for p in paths)
    body_lua = _lua_str(body) if body is not None else "nil"
    return (f"local paths = {{{items}}}\nlocal i = 0\n"
            f"request = function() i = i % #paths + 1; return wrk.format({_lua_str(method)}, paths[i], nil, {body_lua}) end\n")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank q-th percentile (0 < q <= 100) of values; nan when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class PacedResult:
    latencies_ms: list[float] = field(default_factory=list)  # 2xx answers, from their scheduled send time
    errors: int = 0  # non-2xx answers, timeouts, refused connections
    unsent: int = 0  # scheduled but not sent before the hard stop (the server fell far behind)
    achieved_rps: float = 0.0  # answers per second from the first scheduled send to the last answer

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    def summary(self) -> str:
        extra = f", {self.errors} errors" if self.errors else ""
        extra += f", {self.unsent} unsent" if self.unsent else ""
        return f"p99 {self.p(99):.1f} ms, p50 {self.p(50):.1f} ms at {self.achieved_rps:.0f} req/s{extra}"


def paced(url: str | Callable[[int], str], rate: float, seconds: float, method: str = "GET", body: str | bytes | None = None,
          headers: dict | None = None, workers: int = 32, timeout: float = 5.0) -> PacedResult:
    """Open-loop load: request i is due at start + i/rate and its latency counts from then, so a slow
    server cannot slow the schedule down (no coordinated omission). url may be a function of i.

    At most `workers` requests are in flight; whatever is not sent by seconds + timeout + 5 is
    counted as unsent, so the run always ends within about seconds + 2 * timeout + 5.
    """
    url_for = url if callable(url) else (lambda _i: url)
    first = urlsplit(url_for(0))
    total, counter = int(rate * seconds), itertools.count()
    start = time.perf_counter() + 0.1
    hard_stop = start + seconds + timeout + 5
    outcomes: list[list[tuple[float, float, bool]]] = []  # per worker: (due, done, ok); merged after join

    def worker(mine: list) -> None:
        conn = HTTPConnection(first.hostname, first.port, timeout=timeout)
        while (i := next(counter)) < total:  # next() on a count is atomic under the GIL
            due, now = start + i / rate, time.perf_counter()
            if now > hard_stop:
                mine.append((due, math.nan, False))
                continue
            time.sleep(max(0.0, due - now))
            target = urlsplit(url_for(i))
            try:  # http.client reconnects by itself after gunicorn's sync workers close the connection
                conn.request(method, target.path + (f"?{target.query}" if target.query else ""), body, headers or {})
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except (OSError, HTTPException):
                conn.close()
                ok = False
            mine.append((due, time.perf_counter(), ok))
        conn.close()

    threads = []
    for _ in range(min(workers, max(total, 1))):
        outcomes.append([])
        threads.append(threading.Thread(target=worker, args=(outcomes[-1],), daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = PacedResult()
    answered = [o for mine in outcomes for o in mine if not math.isnan(o[1])]
    result.unsent = total - len(answered)
    result.latencies_ms = [(done - due) * 1000 for due, done, ok in answered if ok]
    result.errors = len(answered) - len(result.latencies_ms)
    if answered:
        result.achieved_rps = len(answered) / (max(done for _, done, _ in answered) - start)
    return result


@dataclass
class Rounds:
    a: float  # median of a's values
    b: float
    ratio: float  # median of the per-round ratios a/b
    a_values: list[float]
    b_values: list[float]


def ratio_rounds(measure_a: Callable[[], float], measure_b: Callable[[], float], rounds: int) -> Rounds:
    """Alternate measure_a() and measure_b() (each returns a rate) for `rounds` rounds, swapping which
    goes first every round, so both see the same machine load; returns medians."""
    a_values, b_values = [], []
    for n in range(rounds):
        if n % 2:
            b_values.append(measure_b())
            a_values.append(measure_a())
        else:
            a_values.append(measure_a())
            b_values.append(measure_b())
    return Rounds(statistics.median(a_values), statistics.median(b_values),
                  statistics.median(a / b for a, b in zip(a_values, b_values)), a_values, b_values)
