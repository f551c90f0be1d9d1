"""Migration 0026: talks' rectification texts become credit commitments, and the downgrade puts them back."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from backend.app import create_app
from backend.config import TestConfig
from backend.platform.extensions import db
from tests.test_migrations import MIGRATIONS, scratch_postgres

TALK = ("INSERT INTO talks (id, number, warning_id, subject_id, department, kind, state, scheduled_at, place, "
        "attendees, content, rectification, rectification_days, commitment_text, commitment_signer, held_at, "
        "verified_at, escalation, history, created_at) VALUES (:id, :n, :w, 1, '汕尾市市场监督管理局', 'warning', :s, "
        "'2026-11-02 01:30:00', '会议室', '[]', '约谈', :r, 5, :c, '经营者', :h, :v, :e, '[]', CURRENT_TIMESTAMP)")


def migrate_talk_commitments(url: str) -> None:
    app = create_app(type("MigConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0024")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO subjects (id, handle, kind, display_name, uscc, code_generation, created_at) "
                              "VALUES (1, 'Merch001', 'merchant', '海味行', '91441500000000001X', 0, CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO credit_records (id, subject_id, category, severity, title, department, document_no, "
                "legal_basis, decided_on, status, created_at) VALUES (7, 1, 'admin_penalty', 'minor', '无台账', "
                "'汕尾市市场监督管理局', '汕市监罚〔2026〕1号', '《食品安全法》', '2026-10-01', 'active', CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO credit_commitments (code, subject_id, commitment_type, matter, content, liability, "
                "committed_on, accepting_unit, disclosure, status, signed_online, recorded_by, created_at) VALUES "
                "('44150020261102000001', 1, 'voluntary', '诚信经营', '承诺', '责任', '2026-11-02', '信用汕尾', 'public', "
                "'active', true, 'mp', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO risk_warnings (id, subject_id, rule, cause_key, summary, details, status, "
                              "created_at) VALUES (3, 1, 'key_sector_penalty', 'key_sector_penalty:record:7', 'x', '{}', "
                              "'talk', CURRENT_TIMESTAMP)"))
            for row in (
                    {"id": 1, "n": "YT2026-00001", "w": 3, "s": "verified", "r": "建台账", "c": "七日内建台账",
                     "h": "2026-11-02 02:00:00", "v": "2026-11-10 03:00:00", "e": None},
                    {"id": 2, "n": "YT2026-00002", "w": None, "s": "escalated", "r": "整改标价", "c": "规范标价",
                     "h": "2026-11-02 17:00:00", "v": None, "e": "penalty"},  # 01:00 next day in China
                    {"id": 3, "n": "YT2026-00003", "w": None, "s": "held", "r": None, "c": "按时整改",
                     "h": "2026-11-02 02:00:00", "v": None, "e": None},
                    {"id": 4, "n": "YT2026-00004", "w": None, "s": "planned", "r": None, "c": None,
                     "h": None, "v": None, "e": None}):
                conn.execute(text(TALK), row)
        upgrade(directory=MIGRATIONS, revision="0026")
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT t.id, c.code, c.commitment_type, c.record_id, c.content, c.status, c.fulfilment, "
                "c.accepting_unit, c.disclosure, c.committed_on, c.matter FROM talks t "
                "LEFT JOIN credit_commitments c ON c.id = t.commitment_id ORDER BY t.id")).all()
            got = [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], str(r[9]) if r[9] else None) for r in rows]
            assert got == [
                (1, "44150020261102000002", "repair", 7, "七日内建台账", "kept", "full", "2026-11-02"),
                (2, "44150020261103000001", "other", None, "规范标价", "broken", "none", "2026-11-03"),
                (3, "44150020261102000003", "other", None, "按时整改", "active", None, "2026-11-02"),
                (4, None, None, None, None, None, None, None)]
            assert {r[7] for r in rows[:3]} == {"汕尾市市场监督管理局"} and {r[8] for r in rows[:3]} == {"restricted"}
            assert rows[0][10] == "警示约谈YT2026-00001整改承诺"
            with pytest.raises(Exception):  # noqa: B017  the text column is gone
                conn.execute(text("SELECT commitment_text FROM talks"))
        downgrade(directory=MIGRATIONS, revision="0024")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT id, commitment_text, commitment_id FROM talks ORDER BY id")).all()
            assert [tuple(r) for r in back] == [(1, "七日内建台账", None), (2, "规范标价", None), (3, "按时整改", None),
                                                (4, None, None)]
            assert conn.execute(text("SELECT code FROM credit_commitments")).scalars().all() == [
                "44150020261102000001"]  # only what the migration made is gone
        db.engine.dispose()


def test_talk_commitments_move_into_credit_commitments_sqlite(tmp_path):
    migrate_talk_commitments(f"sqlite:///{tmp_path / 'mig26.sqlite3'}")


@pytest.mark.postgres
def test_talk_commitments_move_into_credit_commitments_postgres():
    with scratch_postgres() as url:
        migrate_talk_commitments(url)
