"""Link requests under concurrency, through two gunicorns on PostgreSQL: a client's retries filed at once make one
pending request; approvers deciding at once create one merchant."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from backend.models import AuditEntry, Merchant, MerchantLinkRequest
from tests.credit.helpers import penalty
from tests.factories import operator_token, uscc_code
from tests.merchants.helpers import market_operator
from tests.scanning.servers import gunicorn

pytestmark = pytest.mark.postgres
CONCURRENT = 16


def post(url: str, token: str, body: dict) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def at_once(servers: tuple[str, str], calls: list) -> list[tuple[int, dict]]:
    start = threading.Barrier(len(calls), timeout=60)

    def one(i: int):
        start.wait()
        path, token, body = calls[i]
        return post(servers[i % 2] + path, token, body)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, range(len(calls))))


def test_concurrent_filing_and_deciding(app, client, db):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL not set")
    ref = {"uscc": uscc_code()}
    department = operator_token("department", department="汕尾市市场监督管理局")
    assert client.post("/api/dept/v1/records", json=penalty(ref, subject_name="汕尾市海润食品有限公司"),
                       headers={"Authorization": f"Bearer {department}"}).status_code == 201
    market = market_operator()
    admin = operator_token("admin")
    db.session.commit()
    body = {"uscc": ref["uscc"], "name": "阿润海鲜档", "stall_no": "M088"}
    with gunicorn(url) as a, gunicorn(url) as b:
        filed = at_once((a, b), [("/api/dept/v1/merchants", market, body)] * CONCURRENT)
        assert {s for s, _ in filed} == {202}, filed
        ids = {r["id"] for _, r in filed}
        assert len(ids) == 1
        (request_id,) = ids
        decide = [(f"/api/dept/v1/merchant-links/{request_id}/approve", (admin, department)[i % 2], {})
                  for i in range(CONCURRENT)]
        decided = at_once((a, b), decide)
    statuses = sorted(s for s, _ in decided)
    assert statuses == [200] + [409] * (CONCURRENT - 1), decided
    assert {r["error"]["code"] for s, r in decided if s == 409} == {"link_request_decided"}
    db.session.expire_all()
    assert db.session.scalar(select(func.count(MerchantLinkRequest.id))) == 1
    assert db.session.scalar(select(func.count(Merchant.id))) == 1
    actions = list(db.session.execute(select(AuditEntry.action).where(AuditEntry.action.startswith("merchant"))
                                      .order_by(AuditEntry.seq)).scalars())
    assert actions.count("merchant_link.request") == 1 and actions.count("merchant.create") == 1
    assert actions.count("merchant_link.denied") == CONCURRENT - 1
