"""App fixtures: a real database per test (SQLite in memory, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import functools
import os
import sqlite3
import time

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

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
            _sqlite_from_template()
        else:
            seed_calendar()
        yield app
        _db.session.remove()
        if _postgres_schema is not None:
            _empty_postgres_tables()
        _db.engine.dispose()


_SQLITE_TEMPLATE: sqlite3.Connection | None = None


def _sqlite_from_template() -> None:
    """The test's in-memory SQLite database as a copy of one made with the schema and the calendar (sqlite3's
    backup, a few ms), not create_all and the calendar again (0.07-0.12 s a test)."""
    global _SQLITE_TEMPLATE
    raw = _db.engine.raw_connection()  # the one connection of the in-memory database (a StaticPool)
    try:
        if _SQLITE_TEMPLATE is None:
            Base.metadata.create_all(_db.engine)
            seed_calendar()
            _SQLITE_TEMPLATE = sqlite3.connect(":memory:", check_same_thread=False)
            raw.driver_connection.backup(_SQLITE_TEMPLATE)
        else:
            _SQLITE_TEMPLATE.backup(raw.driver_connection)
    finally:
        raw.close()


_SEQUENCES: dict[str, list[tuple[str, str]]] | None = None


def owned_sequences(conn) -> dict[str, list[tuple[str, str]]]:
    """PostgreSQL: table → [(sequence, column)] of its serial and identity columns, read from the catalog once
    per process (every worker's database has the same schema)."""
    global _SEQUENCES
    if _SEQUENCES is None:
        _SEQUENCES = {}
        for table, sequence, column in conn.execute(text(
                "SELECT t.relname, s.oid::regclass::text, a.attname FROM pg_class s "
                "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
                "JOIN pg_class t ON t.oid = d.refobjid "
                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
                "WHERE s.relkind = 'S' AND t.relnamespace = 'public'::regnamespace")):
            _SEQUENCES.setdefault(table, []).append((sequence, column))
    return _SEQUENCES


def _empty_postgres_tables() -> None:
    """Empty only the tables the test wrote to: one query finds them (a test touches a dozen of the ~100).

    DELETE with foreign-key triggers off (session_replication_role = replica, for this transaction) and the
    tables' sequences set back to 1: about 0.02 s a test, where TRUNCATE … RESTART IDENTITY CASCADE of the same
    tables took 0.13-0.17 s (its cost is per table, not per row). A server role that may not set it (not a
    superuser) gets the TRUNCATE."""
    names = [t.name for t in Base.metadata.sorted_tables]
    probe = " UNION ALL ".join(f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM \"{n}\")" for n in names)
    with _db.engine.begin() as conn:
        used = [row[0] for row in conn.execute(text(probe))]
    if not used:
        return
    try:
        with _db.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for name in used:
                conn.execute(text(f'DELETE FROM "{name}"'))
            sequences = [seq for name in used for seq, _ in owned_sequences(conn).get(name, ())]
            if sequences:
                conn.execute(text("SELECT setval(s, 1, false) FROM unnest(CAST(:seqs AS regclass[])) AS s"),
                             {"seqs": sequences})
    except DBAPIError as e:
        if "session_replication_role" not in str(e):
            raise
        with _db.engine.begin() as conn:
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
