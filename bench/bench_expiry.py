"""Benchmark `flask expire-publications` (backend/credit/expiry.py) over 1,000,000 records on PostgreSQL.

Issue 13's number: the expiry job over 1 M records in ≤ 30 s on PostgreSQL. The data are bench_credit's
synthetic files (100,000 subjects × 10 records: about a fifth negative, decided up to 1,200 days ago),
given classes and windows the way migration 0017 does (an administrative penalty's severity, else 一般;
PostgreSQL's date + interval clamps to the month's end like the civil code). Three runs are timed:

- backlog: every record whose window has closed ends in one run (the first run after migration 0017,
  or after a long outage): most negative records, re-grading most subjects;
- daily: 10,000 records due (a busy day), after the backlog is cleared;
- idle: nothing due (the hourly periodic job on a quiet hour).

Run: ``python -m bench bench_expiry``. Environment: BENCH_EXPIRY_SUBJECTS (100000; quick 2000),
BENCH_EXPIRY_RECORDS_PER_SUBJECT (10), BENCH_EXPIRY_DAILY (10000; quick 200), BENCH_EXPIRY_BATCH (5000),
BENCH_EXPIRY_PG_URL (scratch database, default .../bench_expiry, dropped and recreated).
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import text

from bench.credit_data import generate
from bench.harness import bench_app, bench_secrets, knob, pg_url, scratch_database

SUBJECTS = knob("BENCH_EXPIRY_SUBJECTS", 100000, 2000)
PER_SUBJECT = knob("BENCH_EXPIRY_RECORDS_PER_SUBJECT", 10)
DAILY = knob("BENCH_EXPIRY_DAILY", 10000, 200)
BATCH = knob("BENCH_EXPIRY_BATCH", 5000)
GOAL = "≤ 30 s (PostgreSQL, 1M records)"

WINDOWS = """
UPDATE credit_records SET
  severity_class = CASE WHEN category = 'admin_penalty' AND severity IS NOT NULL THEN severity ELSE 'general' END,
  publish_from = decided_on
WHERE category IN ('admin_penalty', 'court_dishonesty', 'commitment_broken')
   OR (category = 'product_inspection' AND result = 'fail') OR (category = 'contract_performance' AND result = 'broken');
UPDATE credit_records SET
  min_publish_until = (decided_on + (CASE severity_class WHEN 'minor' THEN interval '0 month'
                       WHEN 'general' THEN interval '3 months' ELSE interval '12 months' END))::date,
  max_publish_until = (decided_on + (CASE severity_class WHEN 'minor' THEN interval '3 months'
                       WHEN 'general' THEN interval '12 months' ELSE interval '36 months' END))::date
WHERE severity_class IS NOT NULL;
UPDATE credit_records SET publish_from = decided_on WHERE publish_from IS NULL;
ANALYZE credit_records;
"""


def timed(label: str, day: dt.date) -> tuple[str, str, str]:
    from backend.credit.expiry import due_count, expire_publications

    due = due_count(day)
    started = time.perf_counter()
    ended = expire_publications(day=day, batch=BATCH)
    took = time.perf_counter() - started
    rate = f", {ended / took:,.0f} records/s" if ended else ""
    return (f"expire-publications, {label}: {SUBJECTS * PER_SUBJECT:,} records, {due:,} due",
            f"{took:.2f} s ({ended:,} ended{rate})", GOAL)


def run() -> list[tuple[str, str, str]]:
    from backend.credit.grades import recompute_many
    from backend.models import Subject
    from backend.platform.extensions import db

    rows = []
    url = scratch_database(pg_url("expiry"))
    app = bench_app(url, bench_secrets())
    today = dt.date.today()
    with app.app_context():
        generate(SUBJECTS, PER_SUBJECT, today)
        with db.engine.begin() as conn:
            for statement in WINDOWS.split(";"):
                if statement.strip():
                    conn.execute(text(statement))
        # Grades as they stand before expiry (so the job's re-grading changes real grades).
        ids = [i for (i,) in db.session.execute(db.select(Subject.id))]
        recompute_many(ids, reason="bench: before expiry")
        db.session.commit()
        rows.append(timed("backlog (first run after 0017)", today))
        with db.engine.begin() as conn:
            conn.execute(text(
                "UPDATE credit_records SET max_publish_until = :d WHERE id IN (SELECT id FROM credit_records "
                "WHERE publication_state = 'published' AND max_publish_until >= :t ORDER BY id LIMIT :n)"),
                {"d": today - dt.timedelta(days=1), "t": today, "n": DAILY})
            conn.execute(text("ANALYZE credit_records"))
        rows.append(timed("daily", today))
        rows.append(timed("idle (nothing due)", today))
        db.engine.dispose()
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
