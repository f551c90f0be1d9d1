"""Helpers for hardening tests: a seeded world with a credential per role, and per-route credentials."""

from __future__ import annotations

import copy
import time
from dataclasses import asdict, dataclass, field

from flask import Flask
from sqlalchemy import insert, select, text

from backend.demo import data as D
from backend.demo.seed import demo_resident_id, seed_demo
from backend.models import Base
from backend.platform.extensions import db
from tests.conftest import owned_sequences
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


# Seeding the demo world takes about 2 s; the hardening tests and every operation of the contract fuzzing start
# from it. The first test of a process seeds it, and the rows it wrote are kept here and inserted again into the
# next test's empty database (about 0.1 s). The calendar is left out: the app fixture seeds it for every test.
_SNAPSHOT: dict | None = None
_SNAPSHOT_MAX_AGE = 20 * 60  # seconds: the mini-program session and the demo's dates stay current (TTL is 7 days)
_FIXTURE_TABLES = frozenset({"calendar_years", "calendar_days"})


def build_world(client, wechat) -> World:
    """The demo data, a mini-program user logged in through the fake WeChat and bound to resident 0.

    Seeded once per process and copied into each later test's database (see _SNAPSHOT)."""
    global _SNAPSHOT
    if _SNAPSHOT is None or time.monotonic() - _SNAPSHOT["taken"] > _SNAPSHOT_MAX_AGE:
        world = _seed_world(client, wechat)
        _SNAPSHOT = {"world": asdict(world), "rows": _dump_rows(), "taken": time.monotonic()}
    else:
        _restore_rows(_SNAPSHOT["rows"])
    return World(**copy.deepcopy(_SNAPSHOT["world"]))


def _seed_world(client, wechat) -> World:
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


def _dump_rows() -> list[tuple[str, list[dict]]]:
    """Every row of every table but the calendar's, in dependency order, as the ORM types read them."""
    db.session.commit()
    out = []
    for table in Base.metadata.sorted_tables:
        if table.name in _FIXTURE_TABLES:
            continue
        pk = list(table.primary_key.columns)
        rows = [dict(r) for r in db.session.execute(select(table).order_by(*pk)).mappings()]
        if rows:
            out.append((table.name, rows))
    db.session.commit()
    return out


def _restore_rows(dump: list[tuple[str, list[dict]]]) -> None:
    """Insert the dumped rows into this test's (empty) database; on PostgreSQL move each id sequence past them."""
    tables = Base.metadata.tables
    for name, rows in dump:
        db.session.execute(insert(tables[name]), rows)  # the parameters are only read
    if db.engine.dialect.name == "postgresql":
        owned = owned_sequences(db.session.connection())
        moves = [f"setval('{seq}', (SELECT max({col}) FROM {name}))" for name, _ in dump for seq, col in
                 owned.get(name, ())]
        if moves:
            db.session.execute(text("SELECT " + ", ".join(moves)))
    db.session.commit()


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
