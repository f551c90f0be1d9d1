"""Two `flask expire-publications` runs at once on PostgreSQL: every due record ends exactly once, one feed
item each, the subjects re-graded, the audit chain intact."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from backend.config import TestConfig
from backend.models import Change, CreditRecord, GradeChange, Subject
from backend.platform.audit import verify_chain
from backend.platform.clock import china_today

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
SUBJECTS = 400


def seed(db) -> None:
    today = china_today()
    db.session.execute(insert(Subject), [
        {"handle": f"x{i:07d}", "kind": "organisation", "display_name": f"单位{i}", "uscc": f"12441500X{i:08d}"[:18],
         "grade": "C", "score": 60.0, "code_generation": 0} for i in range(SUBJECTS)])
    ids = list(db.session.execute(select(Subject.id).order_by(Subject.id)).scalars())
    rows = []
    for n, sid in enumerate(ids):
        for k in range(2):  # two due records per subject: both runs may meet the same subject
            decided = today - dt.timedelta(days=400 + k)
            rows.append({"subject_id": sid, "category": "admin_penalty", "severity": "general", "title": "罚款",
                         "department": "汕尾市市场监督管理局", "document_no": f"D{n}-{k}", "legal_basis": "法",
                         "decided_on": decided, "status": "active", "severity_class": "general",
                         "publish_from": decided, "min_publish_until": decided + dt.timedelta(days=90),
                         "max_publish_until": today - dt.timedelta(days=30 + k), "publication_state": "published"})
    db.session.execute(insert(CreditRecord), rows)
    db.session.commit()


def run_cli(url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": TestConfig.SECRET_KEY,
           "KEY_ENCRYPTION_KEY": TestConfig.KEY_ENCRYPTION_KEY, "ID_HASH_KEY": TestConfig.ID_HASH_KEY,
           "FLASK_APP": "wsgi.py"}
    return subprocess.Popen([sys.executable, "-m", "flask", "expire-publications", "--batch-size", "25"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_concurrent_runs_end_each_record_once(app, db):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL not set")
    seed(db)
    first, second = run_cli(url), run_cli(url)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    ended = [int(out.strip().splitlines()[-1].split()[0]) for out, _ in outs]
    assert sum(ended) == 2 * SUBJECTS, outs  # split between the runs, none twice
    db.session.expire_all()
    states = dict(db.session.execute(select(CreditRecord.publication_state, func.count()).group_by(
        CreditRecord.publication_state)).all())
    assert states == {"expired": 2 * SUBJECTS}
    items = db.session.execute(select(Change.record_id, func.count()).where(Change.kind == "publication_ended")
                               .group_by(Change.record_id)).all()
    assert len(items) == 2 * SUBJECTS and {c for _, c in items} == {1}
    ids = [c.id for c in db.session.execute(select(Change).order_by(Change.id)).scalars()]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert db.session.scalar(select(func.count()).select_from(Subject).where(Subject.grade.is_not(None))) == 0
    assert db.session.scalar(select(func.count(GradeChange.id))) == SUBJECTS  # each re-graded once to 未评价
    assert verify_chain().ok
