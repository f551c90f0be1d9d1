"""Migration 0025: declarations' truthfulness commitments move into credit_commitments (主动型), the breached one
as broken with its watch-list entry, serials continuing the day's; the downgrade puts them back. SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from backend.app import create_app
from backend.config import TestConfig
from backend.platform.extensions import db
from tests.test_migrations import MIGRATIONS, scratch_postgres

TEXT = "本主体郑重承诺：申报信息真实。"


def _seed(conn) -> None:
    conn.execute(text("INSERT INTO subjects (id, handle, kind, display_name, uscc, code_generation, created_at) "
                      "VALUES (1, 'Pers0001', 'person', '张三', NULL, 0, CURRENT_TIMESTAMP), "
                      "(2, 'Merch001', 'merchant', '阿海水产', '91441500000000001X', 0, CURRENT_TIMESTAMP)"))
    conn.execute(text("INSERT INTO list_entries (id, subject_id, list_type, reason, legal_basis, decision_document, "
                      "department, starts_on, created_at) VALUES (7, 2, 'watch', '自主申报信息经查不实', '方案', "
                      "'SB20261002000002', '汕尾市市场监督管理局', '2026-10-05', CURRENT_TIMESTAMP)"))
    # a commitment already numbered on 30 September: the moved one continues that day's serial
    conn.execute(text("INSERT INTO credit_commitments (code, subject_id, commitment_type, matter, content, liability, "
                      "committed_on, accepting_unit, disclosure, status, signed_online, recorded_by, created_at) VALUES "
                      "('44150020260930000001', 2, 'self_discipline', '明码标价', '承诺', '责任', '2026-09-30', '市场', "
                      "'public', 'active', false, 'operator:1', CURRENT_TIMESTAMP)"))
    for did, subject, number, state, note, watch in ((1, 1, "SB20260929000001", "verifying", None, None),
                                                     (2, 2, "SB20261002000002", "found_false", "无此文件", 7)):
        conn.execute(text(
            "INSERT INTO declarations (id, number, subject_id, category, title, issuer, document_no, issued_on, "
            "valid_until, department, state, note, watch_entry_id, created_at) VALUES (:id, :n, :s, 'honour', '示范户', "
            "'汕尾市市场监督管理局', 'X1', '2026-06-01', '2027-05-31', '汕尾市市场监督管理局', :st, :note, :w, "
            "CURRENT_TIMESTAMP)"), {"id": did, "n": number, "s": subject, "st": state, "note": note, "w": watch})
    # accepted 29 Sep 17:30 UTC = 30 Sep 01:30 in China; the other breached 5 Oct 02:00 UTC (China 5 Oct)
    conn.execute(text("INSERT INTO declaration_commitments (declaration_id, text, accepted_at, accepted_by, "
                      "breached_at) VALUES (1, :t, '2026-09-29 17:30:00', 'mp:1', NULL), "
                      "(2, :t, '2026-10-02 03:00:00', 'mp:2', '2026-10-05 02:00:00')"), {"t": TEXT})


def migrate_declaration_commitments(url: str) -> None:
    app = create_app(type("MigConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0024")
        with db.engine.begin() as conn:
            _seed(conn)
        upgrade(directory=MIGRATIONS, revision="0025")
        assert "declaration_commitments" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            moved = conn.execute(text(
                "SELECT d.number, d.channel, c.code, c.commitment_type, c.matter, c.content, c.committed_on, "
                "c.valid_until, c.accepting_unit, c.status, c.fulfilment, c.assessed_on, c.watch_entry_id, "
                "c.signed_online, c.recorded_by FROM declarations d JOIN credit_commitments c ON c.id = d.commitment_id "
                "ORDER BY d.id")).all()
            got = [tuple(str(v) if v is not None and not isinstance(v, (int, str)) else v for v in r) for r in moved]
            assert got == [
                ("SB20260929000001", "resident", "44150020260930000002", "voluntary",
                 "自主申报信息真实性承诺（SB20260929000001）", TEXT, "2026-09-30", "2027-05-31", "汕尾市市场监督管理局",
                 "active", None, None, None, True, "mp:1"),
                ("SB20261002000002", "merchant", "44150020261002000001", "voluntary",
                 "自主申报信息真实性承诺（SB20261002000002）", TEXT, "2026-10-02", "2027-05-31", "汕尾市市场监督管理局",
                 "broken", "none", "2026-10-05", 7, True, "mp:2")]
            assert "经查不实" in conn.execute(text("SELECT c.liability FROM credit_commitments c WHERE code = "
                                               "'44150020261002000001'")).scalar()
        downgrade(directory=MIGRATIONS, revision="0024")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT declaration_id, text, accepted_by, commitment_id, breached_at IS NOT NULL "
                                     "FROM declaration_commitments ORDER BY declaration_id")).all()
            assert [tuple(r) for r in back] == [(1, TEXT, "mp:1", None, False), (2, TEXT, "mp:2", None, True)]
            assert conn.execute(text("SELECT code FROM credit_commitments")).scalars().all() == [
                "44150020260930000001"]
        upgrade(directory=MIGRATIONS)  # and up again, to the head
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM declarations WHERE commitment_id IS NOT NULL")).scalar() == 2
        db.engine.dispose()


def test_0025_moves_declaration_commitments_into_credit_commitments_sqlite(tmp_path):
    migrate_declaration_commitments(f"sqlite:///{tmp_path / 'mig25.sqlite3'}")


@pytest.mark.postgres
def test_0025_moves_declaration_commitments_into_credit_commitments_postgres():
    with scratch_postgres() as url:
        migrate_declaration_commitments(url)
