"""Migrations: one head, upgrade from empty on SQLite and PostgreSQL, and they match the models."""

from __future__ import annotations

import contextlib
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from backend.app import create_app
from backend.config import TestConfig
from backend.models import Base
from backend.platform.extensions import db

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def test_single_head():
    heads = ScriptDirectory(MIGRATIONS).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; merge them"


@contextlib.contextmanager
def scratch_postgres():
    """The URL of a new empty PostgreSQL database beside TEST_DATABASE_URL's, dropped afterwards (skips without it)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL not set")
    name = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def upgrade_and_compare(url: str) -> None:
    app = create_app(type("MigConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                         "SQLALCHEMY_ENGINE_OPTIONS": {}}))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        assert set(inspect(db.engine).get_table_names()) >= set(Base.metadata.tables)
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_from_empty_sqlite(tmp_path):
    upgrade_and_compare(f"sqlite:///{tmp_path / 'mig.sqlite3'}")


@pytest.mark.postgres
def test_upgrade_from_empty_postgres():
    with scratch_postgres() as url:
        upgrade_and_compare(url)


def backfill_0010(url: str) -> None:
    """Data written at 0006 comes through 0010: markets get the default department, merchants their stall name
    from the subject's name, and every recorded agency is on the list."""
    app = create_app(type("MigConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                         "SQLALCHEMY_ENGINE_OPTIONS": {}}))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0006")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO markets (id, slug, name) VALUES (1, 'magong', '马宫水产品批发市场')"))
            conn.execute(text("INSERT INTO subjects (id, handle, kind, display_name, uscc) VALUES "
                              "(1, 'Hh1', 'merchant', '阿海鲜活水产', '92441502MA4T000010'), "
                              "(2, 'Hh2', 'merchant', '林记渔行', '92441502MA4T000029')"))
            conn.execute(text("INSERT INTO merchants (id, subject_id, market_id, stall_no) VALUES "
                              "(1, 1, 1, 'M001'), (2, 2, 1, 'M002')"))
            conn.execute(text("INSERT INTO inspections (merchant_id, product, sampled_on, agency, result, report_no) "
                              "VALUES (1, '对虾', '2026-10-01', '汕尾市食品检验所', 'pass', 'R1'), "
                              "(2, '对虾', '2026-10-02', '汕尾市食品检验所', 'pass', 'R2'), "
                              "(2, '鱿鱼', '2026-10-03', '广东省食品检验所', 'fail', 'R3')"))
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT department FROM markets")).scalars().all() == ["汕尾市市场监督管理局"]
            assert conn.execute(text("SELECT id, stall_name FROM merchants ORDER BY id")).all() == [
                (1, "阿海鲜活水产"), (2, "林记渔行")]
            assert sorted(conn.execute(text("SELECT name FROM inspection_agencies WHERE active")).scalars()) == [
                "广东省食品检验所", "汕尾市食品检验所"]
        downgrade(directory=MIGRATIONS, revision="0006")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM merchants")).scalar_one() == 2
        db.engine.dispose()


def test_0010_fills_departments_stall_names_and_agencies_sqlite(tmp_path):
    backfill_0010(f"sqlite:///{tmp_path / 'mig.sqlite3'}")


@pytest.mark.postgres
def test_0010_fills_departments_stall_names_and_agencies_postgres():
    with scratch_postgres() as url:
        backfill_0010(url)


def test_unrated_migration_clears_the_invented_grade_of_subjects_with_nothing_to_grade(tmp_path):
    app = create_app(type("MigConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'u.sqlite3'}",
                                                         "SQLALCHEMY_ENGINE_OPTIONS": {}}))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0006")
        with db.engine.begin() as conn:
            for sid, handle in ((1, "EmptyOne"), (2, "HasFile1")):
                conn.execute(text("INSERT INTO subjects (id, handle, kind, display_name, uscc, grade, score, created_at) "
                                  f"VALUES ({sid}, '{handle}', 'merchant', 'x', '9144150000000000{sid}X', 'B', 0, "
                                  "CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO credit_records (subject_id, category, title, department, document_no, "
                              "legal_basis, decided_on, status, created_at) VALUES (2, 'admin_licence', 't', 'd', "
                              "'n1', 'b', '2026-01-01', 'active', CURRENT_TIMESTAMP)"))
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT handle, grade FROM subjects")).all())
        assert rows == {"EmptyOne": None, "HasFile1": "B"}
        db.engine.dispose()


def migrate_publication_windows(url: str) -> None:
    app = create_app(type("MigConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0021")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO subjects (id, handle, kind, display_name, uscc, code_generation, created_at) "
                              "VALUES (1, 'Merch001', 'merchant', 'x', '91441500000000001X', 0, CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO markets (id, slug, name, department, created_at) VALUES "
                              "(1, 'magong', '马宫', '汕尾市市场监督管理局', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO merchants (id, subject_id, market_id, stall_no, stall_name, code_serial, "
                              "created_at) VALUES (1, 1, 1, 'A1', '档', 1, CURRENT_TIMESTAMP)"))
            for n, (cat, sev, result, decided, status) in enumerate((
                    ("admin_penalty", "serious", None, "2024-02-29", "active"),
                    ("product_inspection", None, "fail", "2025-11-30", "active"),
                    ("honour", None, None, "2026-01-01", "active"),
                    ("admin_penalty", "minor", None, "2026-01-01", "removed"))):
                conn.execute(text(
                    "INSERT INTO credit_records (subject_id, category, severity, result, title, department, document_no, "
                    "legal_basis, decided_on, status, created_at) VALUES (1, :c, :s, :r, 't', 'd', :n, 'b', :d, :st, "
                    "CURRENT_TIMESTAMP)"), {"c": cat, "s": sev, "r": result, "n": f"N{n}", "d": decided, "st": status})
            for title, status in (("明码标价", "active"), ("足斤足两", "broken")):
                conn.execute(text("INSERT INTO commitments (subject_id, title, content, signed_on, status, "
                                  "status_changed_on, created_at) VALUES (1, :t, '承诺', '2026-05-01', :s, NULL, "
                                  "CURRENT_TIMESTAMP)"), {"t": title, "s": status})
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT document_no, severity_class, min_publish_until, max_publish_until, "
                                     "publication_state, class_defaulted FROM credit_records ORDER BY id")).all()
            got = [(r[0], r[1], str(r[2]) if r[2] else None, str(r[3]) if r[3] else None, r[4], bool(r[5]))
                   for r in rows]
            assert got == [("N0", "serious", "2025-02-28", "2027-02-28", "published", True),
                           ("N1", "general", "2026-02-28", "2026-11-30", "published", True),
                           ("N2", None, None, None, "published", False),
                           ("N3", "minor", "2026-01-01", "2026-04-01", "withdrawn", True)]
            moved = conn.execute(text("SELECT code, commitment_type, matter, accepting_unit, status, fulfilment "
                                      "FROM credit_commitments ORDER BY code")).all()
            assert [tuple(r) for r in moved] == [
                ("44150020260501000001", "self_discipline", "明码标价", "汕尾市市场监督管理局", "active", None),
                ("44150020260501000002", "self_discipline", "足斤足两", "汕尾市市场监督管理局", "broken", "none")]
        db.engine.dispose()


def test_publication_windows_migration_gives_existing_records_classes_and_windows_and_moves_commitments(tmp_path):
    migrate_publication_windows(f"sqlite:///{tmp_path / 'mig17.sqlite3'}")
