"""Benchmark the 双随机 draw: the pure draw and its verifier over 100k merchants, and the whole commit + draw use
cases (pool resolved from the database, frozen, drawn rows stored) on SQLite and, when reachable, PostgreSQL.

Run from the repo root: ``.venv/bin/python -m bench bench_supervision`` (BENCH_SUPERVISION_OBJECTS, default
100000; BENCH_QUICK=1: 10000; BENCH_SUPERVISION_SQLITE scratch file, default /tmp/bench_supervision.sqlite3;
BENCH_SUPERVISION_PG_URL, default the scratch database bench_supervision, "" skips PostgreSQL; a database named
*_bench is used as it is — it must exist — and only its tables are dropped and re-created).
"""

from __future__ import annotations

import hashlib
import os
import re
import statistics
import sys
import time

from bench.harness import bench_app, bench_secrets, knob, scratch_database
from sampling import commitment_of, derive_seed, draw, verify
from sampling.draw import commitment_document, revealed_bytes

OBJECTS = knob("BENCH_SUPERVISION_OBJECTS", 100_000, 10_000)
SQLITE = knob("BENCH_SUPERVISION_SQLITE", "/tmp/bench_supervision.sqlite3")
PG = knob("BENCH_SUPERVISION_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_supervision")
RATIOS = {"A": "0.05", "B": "0.10", "C": "0.30", "D": "0.70", "W": "0.30", "U": "0.10"}
GRADES = "AAAAABBBBCCD"  # roughly the shape of a real city: most merchants good
SHARES = ["甲份额-bench", "乙份额-bench"]
GOAL = "<= 2 s"
DRAWS = knob("BENCH_SUPERVISION_DRAWS", 3, 1)  # commit + draw runs per database


def _handle(i: int) -> str:
    return f"b{i:07d}"


def pure_rows() -> list[tuple[str, str, str]]:
    objects = [(_handle(i), "W" if i % 97 == 0 else GRADES[i % len(GRADES)]) for i in range(OBJECTS)]
    inspectors = [f"ZF{i:03d}" for i in range(40)]
    source = {"method": "shares", "share_sha256": [hashlib.sha256(s.encode()).hexdigest() for s in SHARES]}
    times, verifies = [], []
    for _ in range(3):
        started = time.perf_counter()
        doc = commitment_document(task_number="SSJ-bench", objects=objects, ratios=RATIOS, inspectors=inspectors,
                                  inspectors_per_object=2, recusals={}, seed_source=source)
        commitment = commitment_of(doc)
        seed = derive_seed(commitment, revealed_bytes(source, {"shares": SHARES}))
        drawn = draw(seed, objects, RATIOS, inspectors=inspectors, inspectors_per_object=2)
        times.append(time.perf_counter() - started)
        published = {"commitment": {"sha256": commitment, "document": doc}, "recusals": {},
                     "objects": [{"handle": h, "stratum": s} for h, s in objects], "reveal": {"shares": SHARES},
                     "seed": seed.hex(), "drawn": drawn}
        started = time.perf_counter()
        assert verify(published) == []
        verifies.append(time.perf_counter() - started)
    return [(f"pure draw (commit document + seed + draw + inspectors), {OBJECTS:,} objects",
             f"{statistics.median(times):.2f} s ({len(drawn):,} drawn)", GOAL),
            (f"standalone verifier re-run, {OBJECTS:,} objects", f"{statistics.median(verifies):.2f} s", GOAL)]


def database_rows(url: str, label: str) -> list[tuple[str, str, str]]:
    from sqlalchemy import insert

    from backend.models import Base, Operator, Subject
    from backend.platform.extensions import db
    from backend.supervision import catalog, tasks

    app = bench_app(url, bench_secrets(), JOBS_IMMEDIATE=True)
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        rows = [{"handle": _handle(i), "kind": "merchant", "display_name": f"商户{i}", "uscc": f"U{i:017d}",
                 "grade": GRADES[i % len(GRADES)], "code_generation": 0} for i in range(OBJECTS)]
        for i in range(0, len(rows), 5000):
            db.session.execute(insert(Subject.__table__), rows[i:i + 5000])
        op = Operator(name="bench", role="department", department="汕尾市市场监督管理局", token_hash="x" * 64)
        db.session.add(op)
        db.session.commit()
        item = catalog.create_item({"code": "B-1", "name": "抽查", "basis": "依据", "object_type": "经营户",
                                    "method": "现场", "frequency": "每年"}, operator=op, actor="bench")
        inspectors = [catalog.create_inspector({"ref": f"ZF{i:03d}", "name": f"员{i}"}, operator=op, actor="bench").id
                      for i in range(40)]
        committed, drew = [], []
        for n in range(DRAWS):  # each a new task over the same pool (later commits see earlier inspectors)
            task = tasks.create_task({"item_id": item.id, "title": f"bench {n}", "pool": {"kinds": ["merchant"]},
                                      "inspector_ids": inspectors}, operator=op, actor="bench")
            started = time.perf_counter()
            tasks.commit_task(task.id, {"seed_method": "shares", "share_sha256": [
                hashlib.sha256(s.encode()).hexdigest() for s in SHARES]}, operator=op, actor="bench")
            committed.append(time.perf_counter() - started)
            started = time.perf_counter()
            tasks.draw_task(task.id, {"shares": SHARES}, operator=op, actor="bench")
            drew.append(time.perf_counter() - started)
        stored = storing(task.id)
        db.session.remove()
        db.engine.dispose()
    return [(f"commit use case (pool query, recusals, freeze), {OBJECTS:,} merchants, {label}", _spread(committed),
             "-"),
            (f"draw use case (seed, draw, store drawn rows), {OBJECTS:,} merchants, {label}", _spread(drew), GOAL),
            *((f"  of which storing the drawn rows by {how}, {label}", _spread(t), "-") for how, t in stored.items())]


def storing(task_id: int) -> dict[str, list[float]]:
    """Store the task's drawn rows again, alternately by executemany (1000 a statement, the earlier way) and by
    the draw's own path (dbio.copy_rows: COPY on PostgreSQL), each in a transaction rolled back."""
    from sqlalchemy import insert, select

    from backend.models import DrawnObject
    from backend.platform import dbio
    from backend.platform.extensions import db
    from backend.supervision.tasks import DRAWN_COLUMNS

    table = DrawnObject.__table__
    rows = [dict(r._mapping) for r in db.session.execute(select(*(table.c[c] for c in DRAWN_COLUMNS))
                                                         .where(table.c.task_id == task_id))]
    db.session.rollback()
    out: dict[str, list[float]] = {"executemany": [], "copy_rows (COPY on PostgreSQL)": []}
    for _ in range(DRAWS):
        for how in out:
            db.session.execute(table.delete().where(table.c.task_id == task_id))
            started = time.perf_counter()
            if how == "executemany":
                for i in range(0, len(rows), 1000):
                    db.session.execute(insert(table), rows[i:i + 1000])
            else:
                dbio.copy_rows(table, DRAWN_COLUMNS, (tuple(r[c] for c in DRAWN_COLUMNS) for r in rows),
                               json_columns=("inspectors",))
            db.session.flush()
            out[how].append(time.perf_counter() - started)
            db.session.rollback()
    return out


def _spread(times: list[float]) -> str:
    """Median and range over the runs."""
    if len(times) == 1:
        return f"{times[0]:.2f} s"
    return f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"


def run() -> list[tuple[str, str, str]]:
    out = pure_rows()
    if SQLITE:
        if os.path.exists(SQLITE):
            os.remove(SQLITE)
        out += database_rows(f"sqlite:///{SQLITE}", "SQLite")
    if PG:
        try:
            url = PG if re.fullmatch(r"\w+_bench", PG.rsplit("/", 1)[-1]) else scratch_database(PG)
        except Exception as e:  # no PostgreSQL here: say so instead of failing the SQLite figures
            out.append(("PostgreSQL", f"skipped ({type(e).__name__})", "-"))
        else:
            out += database_rows(url, "PostgreSQL")
    return out


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row), file=sys.stdout)
