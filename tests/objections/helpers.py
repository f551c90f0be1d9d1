"""Objection and declaration test helpers: a resident with a penalty on file, operators, calls."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import func, select

from backend.platform.extensions import db
from tests.credit.helpers import SAMR, TAX, penalty
from tests.factories import bearer, operator_token, resident_id

DAY = 86400
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Desk:
    """The operators an objection meets: the credit office (admin), SAMR and the tax bureau, a service window."""

    def __init__(self, client) -> None:
        self.client = client
        self.admin = bearer(operator_token("admin"))
        self.samr = bearer(operator_token("department", department=SAMR))
        self.tax = bearer(operator_token("department", department=TAX))
        self.window = bearer(operator_token("window", department="汕尾市政务服务中心"))

    def post(self, path: str, who: dict, **kw):
        return self.client.post("/api/dept/v1" + path, headers=who, **kw)

    def get(self, path: str, who: dict, **kw):
        return self.client.get("/api/dept/v1" + path, headers=who, **kw)

    def accept(self, number: str):
        return self.post(f"/objections/{number}/accept", self.admin)

    def forward(self, number: str):
        return self.post(f"/objections/{number}/check", self.admin, json={"own_error": False})

    def decide(self, number: str, who: dict, outcome: str, reason: str = "经核实", **body):
        return self.post(f"/objections/{number}/decide", who, json={"outcome": outcome, "reason": reason, **body})


def resident_with_penalty(client, desk: Desk, mp, n: int = 7, **over) -> tuple[str, int]:
    """Bind the mini-program user to a resident id, file a SAMR penalty about them; (resident id, record id)."""
    rid = resident_id(n)
    assert mp.bind(rid).status_code == 200
    resp = desk.post("/records", desk.samr, json=penalty({"resident_id": rid}, **over))
    assert resp.status_code == 201, resp.get_json()
    return rid, resp.get_json()["record"]["id"]


def objection_body(item_id: int, item: str = "record", **over) -> dict:
    return {"item": item, "item_id": item_id, "grounds": "wrong_facts",
            "statement": "处罚决定日期录入错误，应为决定书上载明的日期。", **over}


def evidence(mp, number: str, data: bytes = PDF, name: str = "决定书.pdf"):
    return mp.client.post(f"/api/mp/v1/me/objections/{number}/evidence", headers=bearer(mp.token),
                          content_type="multipart/form-data", data={"files": [(io.BytesIO(data), name)]})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)
