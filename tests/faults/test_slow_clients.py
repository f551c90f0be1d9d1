"""Slowloris (issue 11, item 6): half-open HTTP connections against the deployment the README documents.

gunicorn's sync workers alone freeze on two connections that never finish their headers; behind
deploy/nginx/credit-codes.conf (started here as shipped, only its ports changed) 100 such connections leave
/healthz answering within a second; `make run`'s gthread workers keep answering with a couple of them.
Everything runs on free 127.0.0.1 ports and is stopped by pid; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.faults.helpers import AppServer, seeding_app
from tests.scanning.servers import ROOT, free_port

pytestmark = pytest.mark.faults

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
SHIPPED = ROOT / "deploy" / "nginx" / "credit-codes.conf"
HALF_OPEN = 100
ANSWER_WITHIN = 1.0


def half_open(port: int, n: int) -> list[socket.socket]:
    """n connections that send the start of a request and never finish its headers."""
    conns = []
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-{i}: ".encode())
        conns.append(s)
    time.sleep(0.5)  # let the server accept them and start waiting for the rest
    return conns


def close_all(conns: list[socket.socket]) -> None:
    for s in conns:
        with contextlib.suppress(OSError):
            s.close()


def healthz(base: str, timeout: float) -> tuple[int | None, float]:
    """(status, seconds) of GET /healthz, status None when nothing came back within timeout."""
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=timeout) as r:
            return r.status, time.monotonic() - t0
    except (TimeoutError, urllib.error.URLError):
        return None, time.monotonic() - t0


def nginx_config(directory: Path, listen: int, upstream: int) -> Path:
    """The shipped server file with its two addresses changed, inside a minimal main file of our own."""
    shipped = SHIPPED.read_text()
    assert shipped.count("listen 80;") == 1 and shipped.count("server 127.0.0.1:8000;") == 1, \
        "deploy/nginx/credit-codes.conf changed shape: update this test"
    site = directory / "credit-codes.conf"
    site.write_text(shipped.replace("listen 80;", f"listen 127.0.0.1:{listen};")
                    .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"))
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    main = directory / "nginx.conf"
    main.write_text(f"""{user}worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {site};
}}
""")
    return main


@contextlib.contextmanager
def nginx(upstream: int):
    """nginx in the foreground (daemon off) on a free port in front of 127.0.0.1:upstream; stopped by pid."""
    directory = Path(tempfile.mkdtemp(prefix="faults-nginx-"))
    directory.chmod(0o755)  # its workers run as nobody when we are root
    port = free_port()
    conf = nginx_config(directory, port, upstream)
    proc = subprocess.Popen([NGINX, "-p", str(directory), "-c", str(conf), "-e", str(directory / "error.log"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {proc.stderr.read().decode(errors='replace')}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not listen within 10 s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'credit.sqlite3'}"
    with seeding_app(url):
        pass
    return url


@contextlib.contextmanager
def gunicorn(url: str, tmp_path: Path, name: str, **env: str):
    server = AppServer(url, tmp_path / f"{name}.log", **env)
    try:
        yield server.start()
    finally:
        server.stop()


def test_sync_workers_alone_freeze_and_nginx_in_front_keeps_them_answering(database, tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian package nginx)")
    with gunicorn(database, tmp_path, "sync", TRUSTED_PROXY_HOPS="1") as app:
        # gunicorn alone: the two sync workers wait for headers that never come.
        conns = half_open(app.port, HALF_OPEN)
        try:
            alone, waited = healthz(app.base, timeout=2 * ANSWER_WITHIN)
        finally:
            close_all(conns)
        assert alone is None, f"gunicorn answered in {waited:.2f} s with {HALF_OPEN} half-open connections"
        assert healthz(app.base, timeout=5)[0] == 200  # closing them frees the workers

        # The same through nginx: it holds the half-open connections, the workers see only complete requests.
        with nginx(app.port) as proxied:
            conns = half_open(int(proxied.rsplit(":", 1)[1]), HALF_OPEN)
            try:
                answers = [healthz(proxied, timeout=5) for _ in range(5)]
            finally:
                close_all(conns)
    print(f"\n{HALF_OPEN} half-open: gunicorn alone no answer in {waited:.2f} s; through nginx "
          + ", ".join(f"{s:.3f}" for _, s in answers) + " s")
    assert all(status == 200 for status, _ in answers), answers
    assert max(s for _, s in answers) < ANSWER_WITHIN, answers


def test_make_run_gthread_workers_answer_with_a_couple_of_idle_connections(database, tmp_path):
    with gunicorn(database, tmp_path, "gthread", GUNICORN_THREADS="4") as app:
        for _ in range(4):  # both workers' first requests (cold: a loaded machine once took over 1 s) come first
            healthz(app.base, timeout=10)
        conns = half_open(app.port, 2)
        conns += [socket.create_connection(("127.0.0.1", app.port), timeout=5) for _ in range(2)]  # silent ones
        try:
            answers = [healthz(app.base, timeout=5) for _ in range(3)]
        finally:
            close_all(conns)
    print("\nmake run (gthread), 2 half-sent + 2 silent connections: " + ", ".join(f"{s:.3f}" for _, s in answers) + " s")
    assert all(status == 200 for status, _ in answers), answers
    assert max(s for _, s in answers) < ANSWER_WITHIN, answers
