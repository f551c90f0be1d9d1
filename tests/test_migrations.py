"""Migrations: one head, upgrade from empty on SQLite and PostgreSQL, and they match the models."""

from __future__ import annotations

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
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL not set")
    name = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        upgrade_and_compare(make_url(base).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL not set")
    name = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        backfill_0010(make_url(base).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
