"""PostgreSQL stopped under load: quick JSON 503s, /healthz says so, recovery by itself, no redemption lost or doubled."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from sqlalchemy import func, select

from backend.models import Redemption
from backend.platform.extensions import db
from tests.factories import person, resident_id
from tests.faults.helpers import app_servers, call, private_postgres, redeem, seeding_app, verify
from tests.scanning.helpers import code_for, scan_setup

pytestmark = pytest.mark.faults
RESIDENTS = 200
IN_FLIGHT = 3  # client threads, each with one request in flight (2 gunicorn workers: requests queue too)
OUTAGE_SECONDS = 2
MAX_RECOVERY_ATTEMPTS = 40  # per client thread, 0.1 s apart


def _load(base: str, token: str, codes: list[str], phase: dict, results: list, stop: threading.Event) -> None:
    """Client threads: a redemption (own key per resident) then a verify; verifies only once residents run out."""
    counter, lock = itertools.count(), threading.Lock()

    def client() -> None:
        while not stop.is_set():
            with lock:
                i = next(counter)
            for kind in ("redeem", "verify") if i < len(codes) else ("verify",):
                started, at = phase["name"], time.monotonic()
                try:
                    if kind == "redeem":
                        status, body, took = redeem(base, token, codes[i], f"outage-{i:04d}")
                    else:
                        status, body, took = verify(base, token, codes[i % len(codes)])
                except Exception as e:  # a hang past the client timeout, or a dropped connection: a failure
                    status, body, took = None, {"exception": repr(e)}, time.monotonic() - at
                results.append({"i": i, "kind": kind, "status": status, "body": body, "took": took, "at": at,
                                "phase": (started, phase["name"])})
            time.sleep(0.05)

    threads = [threading.Thread(target=client) for _ in range(IN_FLIGHT)]
    for t in threads:
        t.start()
    return threads


def test_postgres_stopped_during_load_then_restarted(tmp_path):
    with private_postgres() as pg:
        url = pg.database("outage")
        with seeding_app(url):
            token = scan_setup()["transit"]["token"]
            codes = [code_for(person(grade="A", rid=resident_id(i))) for i in range(RESIDENTS)]
        phase, results, health, stop = {"name": "up"}, [], [], threading.Event()
        with app_servers(url, tmp_path) as (server,):
            threads = _load(server.base, token, codes, phase, results, stop)
            try:
                time.sleep(1)
                phase["name"], stopped_at = "stopping", time.monotonic()
                pg.stop()
                phase["name"], down_at = "down", time.monotonic()
                while time.monotonic() - down_at < OUTAGE_SECONDS:
                    health.append(call("GET", server.base + "/healthz"))
                    time.sleep(0.2)
                phase["name"], restart_at = "starting", time.monotonic()
                pg.start()
                phase["name"], up_at = "recovered", time.monotonic()
                deadline = up_at + MAX_RECOVERY_ATTEMPTS * 0.15
                while time.monotonic() < deadline and not any(
                        r["kind"] == "redeem" and r["status"] == 201 and r["at"] > up_at for r in list(results)):
                    time.sleep(0.1)
                time.sleep(0.5)
            finally:
                stop.set()
                for t in threads:
                    t.join(timeout=30)
            # After recovery, every key is retried (the client did not know which 503s had committed).
            retries = {i: redeem(server.base, token, codes[i], f"outage-{i:04d}")
                       for i in sorted({r["i"] for r in results if r["kind"] == "redeem"})}
            health_after = call("GET", server.base + "/healthz")

        assert all(r["status"] is not None for r in results), [r for r in results if r["status"] is None][:3]
        during = [r for r in results if r["phase"] == ("down", "down")]
        assert during, "no request was made while the database was down"
        assert {(r["status"], r["body"]["error"]["code"]) for r in during} == {(503, "database_unavailable")}
        assert {(s, b["database"]) for s, b, _ in health} == {(503, "unreachable")}
        assert health_after[:2] == (200, {"status": "ok", "database": "ok", "signing_key": "ok"})
        around = [r for r in results if r["phase"] != ("up", "up") and r["phase"] != ("recovered", "recovered")]
        assert {r["status"] for r in around} <= {200, 201, 503}
        after = [r for r in results if r["phase"] == ("recovered", "recovered")]
        first_ok = next((n for n, r in enumerate(after) if r["status"] in (200, 201)), None)
        assert first_ok is not None and first_ok < MAX_RECOVERY_ATTEMPTS, [r["body"] for r in after[:5]]
        assert {r["status"] for r in after[first_ok + IN_FLIGHT * 2:]} <= {200, 201}

        # Nothing lost or doubled: one grant per key tried, the receipt a 201 gave is the one kept.
        granted = {r["i"]: r["body"]["receipt"] for r in results if r["kind"] == "redeem" and r["status"] == 201}
        assert {s for s, _, _ in retries.values()} == {200, 201}
        for i, (status, body, _) in retries.items():
            if i in granted:
                assert (status, body["receipt"], body["replayed"]) == (200, granted[i], True)
        with seeding_app(url):
            rows = db.session.execute(select(Redemption.idempotency_key, func.count()).group_by(
                Redemption.idempotency_key)).all()
        assert sorted(k for k, _ in rows) == [f"outage-{i:04d}" for i in retries]
        assert {n for _, n in rows} == {1}

        to_503 = min(r["at"] + r["took"] for r in results if r["status"] == 503) - stopped_at
        to_ok = min(r["at"] + r["took"] for r in after if r["status"] in (200, 201)) - restart_at
        worst = max(r["took"] for r in results)
        print(f"\nfaults: stop->first 503 {to_503:.2f} s; pg start->first 2xx {to_ok:.2f} s "
              f"(pg_ctl start took {up_at - restart_at:.2f} s); slowest answer {worst:.2f} s; "
              f"{len(results)} requests, {len(during)} during the outage, {len(granted)} granted at first try, "
              f"{len(retries) - len(granted)} granted on retry; rows {len(rows)}")
