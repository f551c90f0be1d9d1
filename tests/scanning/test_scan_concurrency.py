"""100 concurrent redemptions of a once-a-day perk through two app servers on PostgreSQL: exactly one grant."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from backend.models import Redemption
from tests.factories import person
from tests.scanning.helpers import code_for, scan_setup
from tests.scanning.servers import gunicorn

pytestmark = pytest.mark.postgres
REQUESTS = 100


def post(url: str, token: str, body: dict, key: str) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_hundred_concurrent_redemptions_grant_exactly_once(app, db):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL not set")
    devices = scan_setup()
    token, code = devices["transit"]["token"], code_for(person(grade="A"))
    db.session.commit()
    with gunicorn(url) as a, gunicorn(url) as b:
        start = threading.Barrier(REQUESTS, timeout=60)

        def one(i: int) -> tuple[int, dict]:
            start.wait()
            base = (a, b)[i % 2]
            return post(f"{base}/api/scan/v1/redemptions", token, {"code": code, "incentive": "bus-discount"},
                        f"concurrent-{i:04d}")

        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            results = list(pool.map(one, range(REQUESTS)))
    statuses = sorted(s for s, _ in results)
    assert statuses == [201] + [409] * (REQUESTS - 1)
    refusals = [body["error"] for s, body in results if s == 409]
    assert {(e["code"], e["details"]["reason"]) for e in refusals} == {("over_quota", "over_quota")}
    assert db.session.scalar(select(func.count()).select_from(Redemption)) == 1
