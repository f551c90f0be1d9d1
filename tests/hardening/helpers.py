"""Helpers for hardening tests: a seeded world with a credential per role, and per-route credentials."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from backend.demo import data as D
from backend.demo.seed import demo_resident_id, seed_demo
from backend.models import Base
from backend.platform.extensions import db
from tests.factories import bearer

OPERATOR_ROLES = ("admin", "department", "market", "partner", "window", "bank")


@dataclass
class World:
    """The demo seed plus a mini-program session bound to a grade-A resident."""

    operators: dict[str, str]
    devices: dict[str, str]
    merchants: list[dict]
    residents: list[dict]
    mp_token: str
    extra: dict = field(default_factory=dict)

    @property
    def device(self) -> str:
        return self.devices["transit"]


def build_world(client, wechat) -> World:
    """Seed the demo data, log a mini-program user in through the fake WeChat and bind resident 0."""
    seeded = seed_demo()
    resp = client.post("/api/mp/v1/login", json={"code": wechat.issue_login_code("o-hardening-1")})
    assert resp.status_code == 200, resp.get_json()
    token = resp.get_json()["token"]
    name = D.RESIDENTS[0][0]
    resp = client.post("/api/mp/v1/me/identity/face-verifications", headers=bearer(token),
                       json={"name": name, "id_number": demo_resident_id(0)})
    assert resp.status_code == 201, resp.get_json()
    wechat.finish_face_verification(resp.get_json()["verify_id"])
    resp = client.post(f"/api/mp/v1/me/identity/face-verifications/{resp.get_json()['verification_id']}/confirm",
                       headers=bearer(token))
    assert resp.status_code == 200, resp.get_json()
    return World(operators=dict(seeded["operator_tokens"]),
                 devices={d["scenario"]: d["token"] for d in seeded["devices"]},
                 merchants=seeded["merchants"], residents=seeded["residents"], mp_token=token)


def _closure_values(func) -> list:
    values = []
    for cell in getattr(func, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:
            continue
    return values


def operator_roles(app: Flask, endpoint: str) -> tuple[str, ...]:
    """The roles `require_operator(...)` allows on a view, read from the decorator's closure (or its check's)."""
    func = app.view_functions[endpoint]
    seen = set()
    while func is not None and id(func) not in seen:
        seen.add(id(func))
        values = _closure_values(func)
        values += [v for f in values if callable(f) and not isinstance(f, type) for v in _closure_values(f)]
        for value in values:
            if isinstance(value, tuple) and value and all(v in OPERATOR_ROLES for v in value):
                return value
        func = getattr(func, "__wrapped__", None)
    return ()


def credential_for(app: Flask, world: World, path: str, endpoint: str) -> str | None:
    """The bearer token that gets a request on this route past authentication (None: public)."""
    if path.startswith("/api/dept/"):
        roles = operator_roles(app, endpoint)
        return world.operators[roles[0]] if roles else world.operators["admin"]
    if path.startswith("/api/bank/"):
        return world.operators["bank"]
    if path.startswith("/api/scan/"):
        return world.device
    if path.startswith("/api/mp/") and not path.endswith("/login"):
        return world.mp_token
    return None


def api_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(method, rule, endpoint) for every JSON route under /api/."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, rule.rule, rule.endpoint))
    return sorted(out)


def row_counts() -> dict[str, int]:
    """Rows per table, to check that a rejected request stored nothing."""
    with db.engine.connect() as conn:
        return {t.name: conn.execute(t.select().with_only_columns(db.func.count())).scalar_one()
                for t in Base.metadata.sorted_tables}
