"""Builders for supervision tests: graded merchants in a market, an item, inspectors and tasks through the API."""

from __future__ import annotations

import hashlib

from tests.credit.helpers import SAMR, dept
from tests.merchants.helpers import handle_of, merchant

SHARES = ["局长份额-3b9d0c", "纪检份额-a41e77"]
SHARE_HASHES = [hashlib.sha256(s.encode()).hexdigest() for s in SHARES]


def graded_merchants(counts: dict[str, int], slug: str = "magong") -> list[str]:
    """Merchants of the market with these grades (None: unrated); their handles."""
    handles = []
    for grade, n in counts.items():
        for i in range(n):
            handles.append(handle_of(merchant(f"商户{grade}{i}", grade=grade, slug=slug)))
    return handles


class Supervisor:
    """A department operator of SAMR driving tasks through /api/dept/v1/supervision."""

    def __init__(self, client, department: str = SAMR) -> None:
        self.client, self.headers, self.department = client, dept(department), department

    def post(self, path, json=None, expect=None):
        resp = self.client.post("/api/dept/v1/supervision" + path, json=json or {}, headers=self.headers)
        if expect is not None:
            assert resp.status_code == expect, resp.get_json()
        return resp

    def get(self, path, expect=200, **kw):
        resp = self.client.get("/api/dept/v1/supervision" + path, headers=self.headers, **kw)
        assert resp.status_code == expect, resp.get_json()
        return resp

    def item(self, code="SJ-001", **over):
        body = {"code": code, "name": "食用农产品市场销售质量安全检查", "basis": "《中华人民共和国食品安全法》第八十七条",
                "object_type": "市场内经营户", **over}
        return self.post("/items", body, expect=201).get_json()

    def inspectors(self, n=3, prefix="ZF"):
        return [self.post("/inspectors", {"ref": f"{prefix}{i:03d}", "name": f"执法员{i}"}, expect=201).get_json()
                for i in range(n)]

    def task(self, item_id, inspector_ids=(), pool=None, **over):
        body = {"item_id": item_id, "title": "2026年第四季度马宫市场抽查", "pool": pool or {"market": "magong"},
                "inspector_ids": list(inspector_ids), **over}
        return self.post("/tasks", body, expect=201).get_json()

    def commit(self, task_id, **body):
        body = body or {"seed_method": "shares", "share_sha256": SHARE_HASHES}
        return self.post(f"/tasks/{task_id}/commit", body, expect=200).get_json()

    def draw(self, task_id, shares=None):
        return self.post(f"/tasks/{task_id}/draw", {"shares": shares or SHARES}, expect=200).get_json()

    def public(self, number):
        resp = self.client.get(f"/api/public/v1/supervision/tasks/{number}")
        assert resp.status_code == 200, resp.get_json()
        return resp.get_json()
