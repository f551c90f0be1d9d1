"""Start-up refuses what would fail later: weak production secrets, a KEY_ENCRYPTION_KEY that cannot open the
signing key (issue 11, item 12). /healthz reports the signing key's state."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

import backend.app as app_module
from backend.app import create_app
from backend.config import TestConfig
from backend.keys import ensure_signing_key
from backend.models import Base
from backend.platform.extensions import db
from tests.scanning.servers import ROOT, free_port


def strong() -> dict:
    return {"SECRET_KEY": secrets.token_urlsafe(32), "ID_HASH_KEY": secrets.token_urlsafe(32),
            "KEY_ENCRYPTION_KEY": Fernet.generate_key().decode()}


def config(url: str = "sqlite://", env: str = "production", **settings) -> type:
    return type("StartupConfig", (TestConfig,), {"ENV_NAME": env, "TESTING": False, "SQLALCHEMY_DATABASE_URI": url,
                                                 "SQLALCHEMY_ENGINE_OPTIONS": {}, **settings})


def database_with_signer(path, kek: str) -> str:
    """A SQLite file with the schema and an active signing key encrypted under `kek`; its URL."""
    url = f"sqlite:///{path}"
    app = create_app(config(url, env="testing", KEY_ENCRYPTION_KEY=kek))
    with app.app_context():
        Base.metadata.create_all(db.engine)
        ensure_signing_key()
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.mark.parametrize("override, complaint", [
    ({"SECRET_KEY": TestConfig.SECRET_KEY}, "SECRET_KEY is a development value"),
    ({"ID_HASH_KEY": TestConfig.ID_HASH_KEY}, "ID_HASH_KEY is a development value"),
    ({"KEY_ENCRYPTION_KEY": TestConfig.KEY_ENCRYPTION_KEY}, "KEY_ENCRYPTION_KEY (key 1 of 1) is a development value"),
    ({"SECRET_KEY": "change-me-please"}, "SECRET_KEY is too weak"),
    ({"ID_HASH_KEY": "ab" * 20}, "ID_HASH_KEY is too weak"),
    ({"KEY_ENCRYPTION_KEY": "not-a-fernet-key"}, "is not a Fernet key"),
    ({"KEY_ENCRYPTION_KEY": "A" * 43 + "="}, "is not random"),
])
def test_production_refuses_weak_or_known_secrets(override, complaint):
    with pytest.raises(RuntimeError, match="refusing to start with APP_ENV=production") as raised:
        create_app(config(**{**strong(), **override}))
    assert complaint in str(raised.value)


def test_production_refuses_one_secret_for_two_purposes():
    same = secrets.token_urlsafe(32)
    with pytest.raises(RuntimeError, match="SECRET_KEY and ID_HASH_KEY must be different"):
        create_app(config(**{**strong(), "SECRET_KEY": same, "ID_HASH_KEY": same}))


def test_production_refuses_this_checkouts_generated_development_secrets(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "INSTANCE_DIR", tmp_path)
    generated = create_app(config(env="development", SECRET_KEY=None, ID_HASH_KEY=None, KEY_ENCRYPTION_KEY=None))
    copied = {name: generated.config[name] for name in ("SECRET_KEY", "ID_HASH_KEY", "KEY_ENCRYPTION_KEY")}
    with pytest.raises(RuntimeError, match="is the development secret from"):
        create_app(config(**copied))


def test_production_starts_with_strong_secrets_and_a_kek_being_rotated(tmp_path):
    old = Fernet.generate_key().decode()
    url = database_with_signer(tmp_path / "rotating.sqlite3", old)
    app = create_app(config(url, **{**strong(), "KEY_ENCRYPTION_KEY": f"{Fernet.generate_key().decode()},{old}"}))
    assert app.test_client().get("/healthz").get_json()["signing_key"] == "ok"


def test_wrong_key_encryption_key_stops_production_start_up(tmp_path):
    url = database_with_signer(tmp_path / "credit.sqlite3", Fernet.generate_key().decode())
    with pytest.raises(RuntimeError, match="KEY_ENCRYPTION_KEY cannot decrypt the active signing key"):
        create_app(config(url, **strong()))


def test_a_database_down_or_not_migrated_does_not_stop_start_up(tmp_path):
    down = create_app(config("postgresql+psycopg://postgres@127.0.0.1:1/none",
                             SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}}, **strong()))
    assert down.test_client().get("/healthz").get_json() == {
        "status": "degraded", "database": "unreachable", "signing_key": "unknown"}
    empty = create_app(config(f"sqlite:///{tmp_path / 'empty.sqlite3'}", **strong()))
    health = empty.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json() == {
        "status": "degraded", "database": "ok", "signing_key": "unknown"}


def test_healthz_says_undecryptable_with_503_when_the_kek_is_wrong(tmp_path):
    url = database_with_signer(tmp_path / "credit.sqlite3", Fernet.generate_key().decode())
    app = create_app(config(url, env="testing", KEY_ENCRYPTION_KEY=Fernet.generate_key().decode()))
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "degraded", "database": "ok", "signing_key": "undecryptable"}


def test_healthz_reports_missing_then_ok(client, app):
    first = client.get("/healthz")
    assert first.status_code == 200 and first.get_json() == {"status": "ok", "database": "ok", "signing_key": "missing"}
    ensure_signing_key()
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "signing_key": "ok"}


def test_gunicorn_in_production_with_a_wrong_kek_exits_with_the_reason(tmp_path):
    url = database_with_signer(tmp_path / "credit.sqlite3", Fernet.generate_key().decode())
    env = {**os.environ, **strong(), "APP_ENV": "production", "DATABASE_URL": url, "LOG_FORMAT": "text",
           "PUBLIC_BASE_URL": "https://xy.example.cn"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    cmd = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", "1",
           "--bind", f"127.0.0.1:{free_port()}", "wsgi:app"]
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("gunicorn kept running with a key-encryption key that cannot open the signing key")
    assert done.returncode != 0
    assert "KEY_ENCRYPTION_KEY cannot decrypt the active signing key" in done.stderr
