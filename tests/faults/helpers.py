"""Throwaway servers for fault tests: a private PostgreSQL cluster, a private Redis, gunicorn app servers.

Never the machine's shared PostgreSQL (5432) or Redis (6379): other suites use them. Everything
here runs on free ports in a temporary directory and is stopped by pid.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from backend.accounts import sessions as mp_sessions
from backend.app import create_app
from backend.config import TestConfig, engine_options
from backend.models import Base, MpAccount
from backend.platform.extensions import db
from tests.scanning.servers import ROOT, free_port, wait_ready

INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
REDIS_SERVER = shutil.which("redis-server")


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres OS user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PrivatePostgres:
    """A PostgreSQL cluster of our own (trust auth, 127.0.0.1, free port) that tests may stop and start."""

    def __init__(self) -> None:
        if not INITDB:
            pytest.skip("PostgreSQL server binaries (initdb) are not installed")
        self.bin = Path(INITDB[-1]).parent
        # Not under pytest's tmp_path: root's is mode 0700, and socket paths must stay short.
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.data, self.port = self.dir / "data", free_port()
        subprocess.run(_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--no-sync"]), check=True, capture_output=True, timeout=60)

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "30", *args]),
                       check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self._ctl("-l", str(self.dir / "server.log"), "-o", opts, "start")

    def stop(self) -> None:
        """Immediate stop: like a crash, every backend is killed without a checkpoint."""
        self._ctl("-m", "immediate", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def sql(self, statement: str, dbname: str = "postgres") -> list[tuple]:
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}",
                             autocommit=True, connect_timeout=3) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else []

    def database(self, name: str) -> str:
        """A new database with the app's schema; its SQLAlchemy URL."""
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def private_postgres():
    pg = PrivatePostgres()
    try:
        pg.start()
        yield pg
    finally:
        if pg.running():
            pg.stop()
        shutil.rmtree(pg.dir, ignore_errors=True)


class PrivateRedis:
    """redis-server on a free port, no persistence; stop() kills it like a crash, start() brings it back empty."""

    def __init__(self) -> None:
        if not REDIS_SERVER:
            pytest.skip("redis-server is not installed")
        self.port, self.proc = free_port(), None

    def start(self) -> None:
        self.proc = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), __import__("socket").create_connection(("127.0.0.1", self.port), 0.2):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextlib.contextmanager
def private_redis():
    r = PrivateRedis()
    r.start()
    try:
        yield r
    finally:
        r.stop()


@contextlib.contextmanager
def seeding_app(url: str):
    """The app on `url` (test secrets, same as the servers) in an app context; creates the schema."""
    config = type("FaultConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                  "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url)})
    app = create_app(config)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def mp_token(openid: str, subject) -> str:
    """A mini-program session for a new account bound to `subject` (no WeChat login needed)."""
    result = mp_sessions.login(openid, "c2Vzc2lvbi1rZXk=")
    db.session.get(MpAccount, result.account.id).subject_id = subject.id
    db.session.commit()
    return result.token


class AppServer:
    """gunicorn wsgi:app (2 sync workers) on a free port; its stderr (the app's log) goes to a file."""

    def __init__(self, database_url: str, log: Path, workers: int = 2, **env: str) -> None:
        self.port, self.log_path, self.proc = free_port(), log, None
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": TestConfig.SECRET_KEY,
                    "KEY_ENCRYPTION_KEY": TestConfig.KEY_ENCRYPTION_KEY, "ID_HASH_KEY": TestConfig.ID_HASH_KEY,
                    "DB_POOL_SIZE": "2", "DB_MAX_OVERFLOW": "2", "KEYRING_REFRESH_SECONDS": "0", **env}
        self.cmd = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
                    "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5", "--access-logfile", "-",
                    "wsgi:app"]

    def start(self) -> AppServer:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, start_new_session=True,
                                         stdout=subprocess.DEVNULL, stderr=log)
        wait_ready(self.base, self.proc)
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group (arbiter and workers): a crash, nothing answers afterwards."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def app_servers(database_url: str, tmp: Path, n: int = 1, **env: str):
    servers = [AppServer(database_url, tmp / f"app{i}.log", **env) for i in range(n)]
    try:
        for s in servers:
            s.start()
        yield servers
    finally:
        for s in servers:
            s.stop()


def call(method: str, url: str, body: dict | None = None, headers: dict | None = None,
         timeout: float = 5) -> tuple[int, dict, float]:
    """One HTTP request: (status, JSON body, seconds). A hang past `timeout` raises (the test fails)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw, hdrs = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, raw, hdrs = e.code, e.read(), e.headers
    try:
        return status, json.loads(raw) if raw else {}, time.monotonic() - t0
    except ValueError:
        raise AssertionError(f"not JSON: HTTP {status} {dict(hdrs)} {raw[:300]!r}") from None


def redeem(base: str, device_token: str, code: str, key: str, incentive: str = "bus-discount", timeout: float = 5):
    return call("POST", f"{base}/api/scan/v1/redemptions", {"code": code, "incentive": incentive},
                {"Authorization": f"Bearer {device_token}", "Idempotency-Key": key}, timeout)


def verify(base: str, device_token: str, code: str, timeout: float = 5):
    return call("POST", f"{base}/api/scan/v1/verify", {"code": code},
                {"Authorization": f"Bearer {device_token}"}, timeout)


def me_code(base: str, token: str):
    return call("GET", f"{base}/api/mp/v1/me/code", headers={"Authorization": f"Bearer {token}"})
