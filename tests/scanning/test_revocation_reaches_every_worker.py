"""A device revoked through one worker stops working on every other worker at once when REDIS_URL is set
(the revocations group's version counter); without Redis, or with Redis down, the documented
SCAN_CACHE_SECONDS lag stays. Two app instances on one database stand for two gunicorn workers."""

from __future__ import annotations

import socket
import uuid

import pytest

from backend.app import create_app
from backend.config import TestConfig
from backend.models import Base
from backend.platform.extensions import db
from tests.factories import bearer, operator_token
from tests.scanning.helpers import scan_setup

REDIS_URL = "redis://127.0.0.1:6379/5"


def redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        pytest.skip("Redis is not running on 127.0.0.1:6379")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker(db_url: str, redis_url: str | None, prefix: str):
    return create_app(type("WorkerConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": db_url, "SQLALCHEMY_ENGINE_OPTIONS": {}, "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": prefix, "REDIS_TIMEOUT": 0.2,
        "SCAN_CACHE_SECONDS": 300}))  # far longer than the test: only the counter can end the cache


@pytest.fixture
def workers(tmp_path, request):
    redis_url = request.param
    if redis_url == REDIS_URL:
        redis_or_skip()
    elif redis_url == "down":
        redis_url = f"redis://127.0.0.1:{closed_port()}/0"
    url, prefix = f"sqlite:///{tmp_path / 'shared.sqlite3'}", f"test-{uuid.uuid4().hex}:"
    one, two = worker(url, redis_url, prefix), worker(url, redis_url, prefix)
    with one.app_context():
        Base.metadata.create_all(db.engine)
        device = scan_setup()["transit"]
        admin = operator_token("admin")
        db.session.commit()
    yield one, two, device, admin
    for app in (one, two):
        with app.app_context():
            db.engine.dispose()


def scan_status(app, device) -> int:
    resp = app.test_client().post("/api/scan/v1/verify", json={"code": "not-a-code"}, headers=bearer(device["token"]))
    return resp.status_code


def revoke(app, device, admin) -> None:
    resp = app.test_client().post(f"/api/dept/v1/devices/{device['id']}/revoke", headers=bearer(admin))
    assert resp.status_code == 200, resp.get_json()


@pytest.mark.parametrize("workers", [REDIS_URL], indirect=True)
def test_with_redis_a_revoked_device_is_refused_by_the_other_worker_at_once(workers):
    one, two, device, admin = workers
    assert scan_status(two, device) == 200  # worker two has the device cached now
    revoke(one, device, admin)
    assert scan_status(one, device) == 401
    assert scan_status(two, device) == 401


@pytest.mark.parametrize("workers", [REDIS_URL], indirect=True)
def test_with_redis_other_workers_keep_their_cache_until_something_is_revoked(workers):
    one, two, device, admin = workers
    assert scan_status(two, device) == 200
    devices = two.extensions["ttl_caches"]["scan_devices"]
    assert len(devices) == 1 and scan_status(two, device) == 200
    assert len(devices) == 1  # still the same entry: reading the counter does not drop it


@pytest.mark.parametrize("workers", [None], indirect=True)
def test_without_redis_the_other_worker_lags_as_documented(workers):
    one, two, device, admin = workers
    assert scan_status(two, device) == 200
    revoke(one, device, admin)
    assert scan_status(one, device) == 401
    assert scan_status(two, device) == 200  # within SCAN_CACHE_SECONDS, as docs/scanning.md says


@pytest.mark.parametrize("workers", ["down"], indirect=True)
def test_with_redis_down_scans_are_served_and_the_revoking_worker_refuses_at_once(workers, caplog):
    one, two, device, admin = workers
    assert scan_status(two, device) == 200
    revoke(one, device, admin)
    assert scan_status(one, device) == 401
    assert scan_status(two, device) == 200  # the TTL bounds it, as without Redis
    assert "redis unavailable" in caplog.text


@pytest.mark.parametrize("workers", [REDIS_URL], indirect=True)
def test_with_redis_a_compromised_key_stops_verifying_on_the_other_worker_at_once(workers):
    """`flask rotate-signing-key --compromised` runs in a process of its own: the workers learn it from Redis."""
    from backend.keys.ring import rotate
    from tests.factories import person
    from tests.scanning.helpers import code_for

    one, two, device, admin = workers
    two.config["KEYRING_REFRESH_SECONDS"] = 300
    with two.app_context():
        code = code_for(person("陈伟", grade="A"))
        db.session.commit()

    def outcome() -> str:
        resp = two.test_client().post("/api/scan/v1/verify", json={"code": code}, headers=bearer(device["token"]))
        return resp.get_json()["outcome"]

    assert outcome() == "valid"
    with one.app_context():  # the CLI's process
        rotate(actor="cli", compromised=True)
    assert outcome() in ("unknown_key", "bad_signature")
