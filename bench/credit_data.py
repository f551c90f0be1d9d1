"""Bulk synthetic credit files for the credit benchmark: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import text
from stdnum.cn import uscc

from backend.models import Base
from backend.platform.extensions import db

DEPARTMENTS = ["汕尾市市场监督管理局", "国家税务总局汕尾市税务局", "汕尾市城区人民法院", "汕尾市发展和改革局"]
# (category, weight, severity choices, result choices)
MIX = [
    ("admin_licence", 30, None, None), ("admin_penalty", 15, ["minor", "minor", "general", "serious"], None),
    ("court_dishonesty", 1, None, None), ("tax_rating", 10, None, list("AABBMCD")), ("honour", 5, None, None),
    ("contract_performance", 10, None, ["kept"] * 9 + ["broken"]),
    ("product_inspection", 15, None, ["pass"] * 6 + ["fail"]), ("commitment_kept", 10, None, None),
    ("commitment_broken", 2, None, None), ("declaration", 2, None, None),
]
SUBJECT_COLS = ("handle", "kind", "display_name", "uscc", "grade", "score")
RECORD_COLS = ("subject_id", "category", "severity", "result", "title", "department", "document_no", "legal_basis",
               "decided_on", "tolerant_first_offence", "emergency", "status")
LIST_COLS = ("subject_id", "list_type", "reason", "legal_basis", "decision_document", "department", "starts_on")


def uscc_for(i: int) -> str:
    base = f"92441502MA{i:07d}"
    return base + uscc.calc_check_digit(base)


def _subjects(n: int):
    for i in range(1, n + 1):
        yield (f"b{i:07d}", "merchant", f"商户{i}", uscc_for(i), "B", 0.0)


def _records(n: int, per_subject: int, today: dt.date, rng: random.Random):
    cats = [m for m in MIX for _ in range(m[1])]
    for sid in range(1, n + 1):
        for k in range(per_subject):
            cat, _, severities, results = rng.choice(cats)
            yield (sid, cat, rng.choice(severities) if severities else None, rng.choice(results) if results else None,
                   cat, DEPARTMENTS[k % 4], f"B{sid}-{k}", "《广东省社会信用条例》",
                   today - dt.timedelta(days=rng.randrange(1, 1200)), False, False, "active")


def _lists(n: int, today: dt.date, rng: random.Random):
    for sid in rng.sample(range(1, n + 1), max(n // 100 * 3, 3)):
        yield (sid, rng.choice(["red", "black", "watch"]), "基准数据", "《广东省社会信用条例》", f"L{sid}",
               DEPARTMENTS[0], today - dt.timedelta(days=30))


def _copy(raw, table: str, cols: tuple, rows) -> None:
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_many(raw, table: str, cols: tuple, rows) -> None:
    marks = ", ".join("?" for _ in cols)
    raw.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                    (tuple(c.isoformat() if isinstance(c, dt.date) else c for c in row) for row in rows))


def generate(n: int, per_subject: int, today: dt.date, seed: int = 3) -> None:
    """Drop and recreate the schema, then load n subjects, n*per_subject records and ~3 % list entries."""
    Base.metadata.drop_all(db.engine)
    Base.metadata.create_all(db.engine)
    rng = random.Random(seed)
    with db.engine.begin() as conn:
        raw = conn.connection.driver_connection
        load = _copy if db.engine.dialect.name == "postgresql" else _insert_many
        load(raw, "subjects", SUBJECT_COLS, _subjects(n))
        load(raw, "credit_records", RECORD_COLS, _records(n, per_subject, today, rng))
        load(raw, "list_entries", LIST_COLS, _lists(n, today, rng))
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
