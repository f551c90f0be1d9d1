"""Start-up settings: PUBLIC_BASE_URL follows PORT in development, is required in production, and must fit
the sticker QR (checked once at start, not per poster request)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from backend.app import create_app
from backend.config import TestConfig

ROOT = Path(__file__).resolve().parents[2]


def config_in_fresh_process(env: dict) -> str:
    """PUBLIC_BASE_URL as backend.config computes it from `env` (a fresh interpreter reads the environment)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "PUBLIC_BASE_URL", "APP_ENV")}
    out = subprocess.run([sys.executable, "-c", "from backend.config import Config; print(Config.PUBLIC_BASE_URL)"],
                         cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_public_base_url_follows_port_in_development():
    assert config_in_fresh_process({"PORT": "9000"}) == "http://127.0.0.1:9000"
    assert config_in_fresh_process({}) == "http://127.0.0.1:8000"
    assert config_in_fresh_process({"PORT": "9000", "PUBLIC_BASE_URL": "https://xy.example.cn"}) == "https://xy.example.cn"


def strong_secrets() -> dict:
    """Production secrets that pass the start-up checks, so the check under test is the one that stops it."""
    return {"SECRET_KEY": secrets.token_urlsafe(32), "ID_HASH_KEY": secrets.token_urlsafe(32),
            "KEY_ENCRYPTION_KEY": Fernet.generate_key().decode()}


def test_production_without_public_base_url_refuses_to_start():
    assert config_in_fresh_process({"APP_ENV": "production"}) == "None"
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(type("Prod", (TestConfig,), {"ENV_NAME": "production", "PUBLIC_BASE_URL": None, **strong_secrets()}))


def test_a_base_url_too_long_for_the_sticker_qr_stops_the_app_at_start():
    too_long = "https://credit.shanwei.gov.cn/a/much/longer/prefix/than/a/sticker/allows"
    with pytest.raises(RuntimeError, match="shorten PUBLIC_BASE_URL"):
        create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "PUBLIC_BASE_URL": too_long})
    with pytest.raises(RuntimeError, match="http"):
        create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "PUBLIC_BASE_URL": "xy.cn"})
    assert create_app(TestConfig).config["PUBLIC_BASE_URL"] == "http://127.0.0.1:8000"


def test_sqlite_is_set_up_as_a_server_database(tmp_path):
    from sqlalchemy import text

    from backend.platform.extensions import db

    app = create_app(type("FileDb", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                                                     "SQLALCHEMY_ENGINE_OPTIONS": {}}))
    with app.app_context(), db.engine.connect() as conn:
        pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}
        assert pragmas == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 5000, "foreign_keys": 1}
        conn.execute(text("CREATE TABLE a (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE b (a_id INTEGER REFERENCES a(id))"))
        with pytest.raises(Exception, match="FOREIGN KEY"):
            conn.execute(text("INSERT INTO b VALUES (42)"))
    with app.app_context():
        db.engine.dispose()


def test_only_views_with_a_limit_pay_for_the_rate_limit_check(client):
    assert "X-RateLimit-Limit" not in client.get("/.well-known/jwks.json").headers  # skipped: no limit here
    login = client.post("/api/mp/v1/login", json={"code": "x"})  # a limited view: checked and counted
    assert login.headers["X-RateLimit-Limit"] == "20"
