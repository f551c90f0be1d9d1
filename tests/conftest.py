"""App fixtures: a real database per test (SQLite in memory, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import functools
import os
import time

import pytest
from sqlalchemy import insert, text

from backend.app import create_app
from backend.config import TestConfig
from backend.models import Base, CalendarDay, CalendarYear
from backend.platform.calendar_entry import package_years
from backend.platform.extensions import db as _db

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def _qr_codes_only() -> None:
    """Every test decodes QR codes only: asked for any format, zxing-cpp now and then also reads a phantom ITF
    barcode out of a QR's modules (seen about once in 40 random personal codes), and `(found,) = …` fails."""
    try:
        import zxingcpp
    except ImportError:
        return
    read = zxingcpp.read_barcodes

    def read_qr_codes(image, formats=zxingcpp.BarcodeFormat.QRCode, **kw):
        return read(image, formats=formats, **kw)

    zxingcpp.read_barcodes = read_qr_codes


_qr_codes_only()


def _lazy_url_builders() -> None:
    """Werkzeug compiles two URL-builder functions (AST → code) for every rule as it is added: with ~330 rules
    that was ~85 % of create_app, ~0.15 s of every test's setup, and almost none are ever used by a test.
    Here each is compiled on its first url_for instead; matching requests is untouched. Tests only."""
    from werkzeug.routing.rules import Rule

    compile_now = Rule._compile_builder

    def compile_later(self, append_unknown=True):
        built = None

        def build(rule_self, *args, **kwargs):
            nonlocal built
            if built is None:
                built = compile_now(self, append_unknown)
            return built(rule_self, *args, **kwargs)

        return build

    Rule._compile_builder = compile_later


_lazy_url_builders()


class FakeClock:
    """Callable epoch-seconds clock that tests move by hand."""

    def __init__(self, start: float | None = None) -> None:
        self.now = float(start if start is not None else int(time.time()))

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def _postgres_schema():
    """Create the schema once per session on PostgreSQL; tests truncate afterwards."""
    if not POSTGRES_URL:
        yield None
        return
    app = create_app(TestConfig)
    with app.app_context():
        # Start from an empty schema: tables of models that no longer exist would block drop_all.
        if not _db.engine.url.database.startswith("test"):
            raise RuntimeError(f"refusing to empty {_db.engine.url.database!r}: test databases are named test*")
        with _db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        Base.metadata.create_all(_db.engine)
        _db.engine.dispose()
    yield POSTGRES_URL


@pytest.fixture
def app(_postgres_schema, clock):
    app = create_app(TestConfig)
    app.config["CLOCK"] = clock
    with app.app_context():
        if _postgres_schema is None:
            Base.metadata.create_all(_db.engine)
        seed_calendar()
        yield app
        _db.session.remove()
        if _postgres_schema is not None:
            _empty_postgres_tables()
        _db.engine.dispose()


def _empty_postgres_tables() -> None:
    """TRUNCATE only the tables the test wrote to: one query finds them (a test touches a dozen of the ~70),
    and truncating 70 tables took about 0.15 s a test, longer than most tests."""
    names = [t.name for t in Base.metadata.sorted_tables]
    probe = " UNION ALL ".join(f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM \"{n}\")" for n in names)
    with _db.engine.begin() as conn:
        used = [row[0] for row in conn.execute(text(probe))]
        if used:
            conn.execute(text(f"TRUNCATE {', '.join(used)} RESTART IDENTITY CASCADE"))


@functools.cache
def calendar_rows() -> tuple[list[dict], list[dict]]:
    years = package_years()
    return ([{"year": y, "source": "chinesecalendar (tests)"} for y in sorted(years)],
            [{"day": d, "year": d.year, "kind": k, "name": n} for y in sorted(years) for d, k, n in years[y]])


def seed_calendar() -> None:
    """Every test starts with the calendar a migrated database has: the chinesecalendar years (as 0015 seeds)."""
    years, days = calendar_rows()
    with _db.engine.begin() as conn:
        conn.execute(insert(CalendarYear), years)
        conn.execute(insert(CalendarDay), days)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    return _db
