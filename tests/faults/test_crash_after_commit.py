"""An app server killed after a redemption's commit, before its response: the retry returns the original receipt.

No hook in the app: the private cluster is told to wait for a synchronous standby that does not
exist, so the redemption's COMMIT is written to the WAL and then waits (wait_event SyncRep).
While it waits the whole gunicorn process group gets SIGKILL; then the wait is lifted, the
commit completes for nobody, and a fresh app server receives the client's retry.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.factories import person
from tests.faults.helpers import AppServer, app_servers, private_postgres, redeem, seeding_app
from tests.scanning.helpers import code_for, scan_setup

pytestmark = pytest.mark.faults
KEY = "crash-after-commit-0001"


def _wait_for(probe, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := probe():
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting after {seconds} s")


def _sync_standby(pg, name: str | None) -> None:
    pg.sql(f"ALTER SYSTEM SET synchronous_standby_names = '{name}'" if name
           else "ALTER SYSTEM RESET synchronous_standby_names")
    pg.sql("SELECT pg_reload_conf()")


def test_worker_killed_between_commit_and_response_retry_returns_the_original_receipt(tmp_path):
    with private_postgres() as pg:
        url = pg.database("crash")
        with seeding_app(url):
            token, code = scan_setup()["transit"]["token"], code_for(person(grade="A"))
        server, outcome = AppServer(url, tmp_path / "crashed.log").start(), {}

        def client() -> None:
            try:
                outcome["response"] = redeem(server.base, token, code, KEY, timeout=30)
            except Exception as e:  # expected: the connection dies with the worker
                outcome["error"] = e

        try:
            _sync_standby(pg, "nobody")
            thread = threading.Thread(target=client)
            thread.start()
            _wait_for(lambda: pg.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")[0][0])
            server.kill()
            thread.join(timeout=10)
        finally:
            _sync_standby(pg, None)
            server.stop()
        assert "response" not in outcome and isinstance(outcome.get("error"), OSError), outcome

        rows = _wait_for(lambda: pg.sql("SELECT idempotency_key, receipt FROM redemptions", "crash"))
        assert [k for k, _ in rows] == [KEY]
        with app_servers(url, tmp_path) as (fresh,):
            status, body, _ = redeem(fresh.base, token, code, KEY)
            again = redeem(fresh.base, token, code, "crash-after-commit-0002")
        assert (status, body["replayed"], body["receipt"]) == (200, True, rows[0][1])
        assert again[:2][0] == 409 and again[1]["error"]["code"] == "over_quota"
        assert pg.sql("SELECT count(*) FROM redemptions", "crash") == [(1,)]
