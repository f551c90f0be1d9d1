"""The personal code in the mini-program: JSON, SVG, PNG, refresh and expiry, limits per account."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
import zxingcpp
from joserfc import jws
from joserfc.jwk import KeySet
from PIL import Image

import qr
from backend.accounts import sessions as mp_sessions
from backend.app import create_app
from backend.config import TestConfig
from backend.models import Base, ListEntry, MpAccount, Subject
from backend.platform.extensions import db
from qr.b64 import b64url_decode
from tests.factories import bearer, person, resident_id

REDIS_URL = "redis://127.0.0.1:6379/4"


@pytest.fixture
def bound(mp):
    rid = resident_id(21)
    assert mp.bind(rid, "林海生").status_code == 200
    mp.rid = rid
    return mp


def jwks_keys(client) -> dict:
    return {k["kid"]: qr.public_from_jwk(k) for k in client.get("/.well-known/jwks.json").get_json()["keys"]}


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")  # joserfc, RFC 9864
def test_code_verifies_against_jwks_and_carries_no_personal_data(app, client, bound, clock):
    resp = bound.get("/me/code")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    body = resp.get_json()
    ttl = app.config["CODE_TTL_SECONDS"]
    assert body["expires_at"] == int(clock.now) + ttl and body["refresh_at"] < body["expires_at"]
    assert body["refresh_in"] == body["refresh_at"] - int(clock.now) > 0
    obj = jws.deserialize_compact(body["code"], KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json()),
                                  algorithms=["EdDSA"])
    claims = json.loads(obj.payload)
    me = bound.get("/me/credit").get_json()
    assert set(claims) == {"sub", "exp", "e"} and body["grade"] == me["grade"]  # the grade is shown, not coded
    # A person with nothing in the file is unrated: 未评价, and the code carries no offline incentive.
    assert (me["grade"], me["grade_zh"], me["score"], me["breakdown"]["score"]) == (None, "未评价", None, None)
    assert body["grade_zh"] == "未评价"
    decoded = "".join(b64url_decode(part).decode("latin-1") for part in body["code"].split(".")[:2])
    handle = db.session.execute(db.select(Subject.handle)).scalars().first()
    for personal in (bound.rid, bound.rid[-4:] + "\"", "林海生", "林", bound.openid, handle):
        assert personal not in decoded and personal not in body["code"]


def test_each_fetch_is_a_new_code_and_an_old_one_expires(app, client, bound, clock):
    first, second = (bound.get("/me/code").get_json() for _ in range(2))
    assert first["code"] != second["code"]
    keys = jwks_keys(client)
    assert qr.verify_code(first["code"], keys, now=int(clock.now)).expires_at == first["expires_at"]
    clock.advance(first["refresh_in"])
    refreshed = bound.get("/me/code").get_json()
    assert refreshed["expires_at"] > first["expires_at"]
    clock.advance(first["expires_at"] - int(clock.now) + qr.LEEWAY + 1)
    with pytest.raises(qr.ExpiredCode):
        qr.verify_code(first["code"], keys, now=int(clock.now))
    qr.verify_code(refreshed["code"], keys, now=int(clock.now))


def test_svg_and_png_render_a_fresh_code(client, bound, clock):
    png = bound.get("/me/code.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    claims = qr.verify_code(found.text, jwks_keys(client), now=int(clock.now))
    assert claims.expires_at == int(png.headers["X-Code-Expires"])
    svg = bound.get("/me/code.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and svg.data.startswith(b"<svg")


def test_code_needs_real_name_binding(mp):
    for path in ("/me/code", "/me/code.svg", "/me/code.png"):
        resp = mp.get(path)
        assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "identity_required"


def test_black_listed_resident_still_gets_a_code(bound, clock):
    subject_id = db.session.execute(db.select(MpAccount.subject_id)).scalar_one()
    db.session.add(ListEntry(subject_id=subject_id, list_type="black", reason="失信被执行人",
                             legal_basis="《最高人民法院关于公布失信被执行人名单信息的若干规定》",
                             decision_document="(2026)粤1502执100号", department="汕尾市城区人民法院",
                             starts_on=dt.date.fromtimestamp(clock.now) - dt.timedelta(days=1)))
    db.session.commit()
    assert bound.get("/me/code").status_code == 200
    assert bound.get("/me/credit").get_json()["list_status"] == {"red": False, "black": True, "watch": False}


def test_code_issuance_is_limited_per_account_across_sessions_and_formats(app, client, wechat, bound, other_mp):
    app.config["MP_CODE_RATE_LIMIT"] = "3 per minute"
    assert [bound.get(p).status_code for p in ("/me/code", "/me/code.svg", "/me/code.png")] == [200] * 3
    resp = bound.get("/me/code")
    assert resp.status_code == 429 and resp.get_json()["error"]["code"] == "rate_limited"
    assert int(resp.headers["Retry-After"]) >= 1
    bound.login()  # a new session of the same WeChat account shares the budget
    assert bound.get("/me/code").status_code == 429
    assert other_mp.bind(resident_id(22)).status_code == 200 and other_mp.get("/me/code").status_code == 200


def _shared_app(url: str, storage: str, prefix: str):
    config = type("SharedConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}, "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": prefix, "MP_CODE_RATE_LIMIT": "2 per minute"})
    return create_app(config)


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        pytest.skip("Redis is not running on 127.0.0.1:6379")


@pytest.mark.parametrize("storage, shared", [(REDIS_URL, True), ("memory://", False)])
def test_two_app_instances_share_the_count_through_redis(tmp_path, storage, shared):
    """Like two gunicorn workers: with Redis the second sees the first's count; in memory it does not."""
    if storage.startswith("redis"):
        _redis_or_skip()
    url, prefix = f"sqlite:///{tmp_path / 'shared.sqlite3'}", f"test-{uuid.uuid4().hex}"
    worker1 = _shared_app(url, storage, prefix)
    with worker1.app_context():
        Base.metadata.create_all(db.engine)
        subject = person("黄志强", rid=resident_id(23))
        token = mp_sessions.login("o-shared", "c2Vzc2lvbi1rZXk=").token
        account = db.session.execute(db.select(MpAccount)).scalar_one()
        account.subject_id = subject.id
        db.session.commit()
    assert worker1.test_client().get("/api/mp/v1/me/code", headers=bearer(token)).status_code == 200
    worker2 = _shared_app(url, storage, prefix)  # a second worker: its own limiter storage connection
    statuses = [worker2.test_client().get("/api/mp/v1/me/code", headers=bearer(token)).status_code for _ in range(2)]
    assert statuses == ([200, 429] if shared else [200, 200])
    for app in (worker1, worker2):
        with app.app_context():
            db.engine.dispose()
