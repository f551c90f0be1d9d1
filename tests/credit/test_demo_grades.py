"""`flask seed-demo` grades come from the evaluation model, matching the grades the demo intends."""

from __future__ import annotations

import json

from sqlalchemy import select

from backend.demo import data as D
from backend.models import GradeChange, Subject


def test_demo_grades_come_from_the_model(runner, db):
    data = json.loads(runner.invoke(args=["seed-demo", "--json"]).output)
    intended = dict(D.RESIDENTS)
    by_handle = {s.handle: s for s in db.session.execute(select(Subject)).scalars()}
    assert [r["grade"] for r in data["residents"]] == [grade for _, grade in D.RESIDENTS]
    assert len(intended) == len(data["residents"])
    expected_merchants = D.MERCHANT_GRADES * 2
    assert "".join(m["grade"] for m in data["merchants"]) == expected_merchants
    for entry in data["residents"] + data["merchants"]:
        subject = by_handle[entry["handle"]]
        assert subject.grade_model == "v2" and subject.grade == entry["grade"]
    changes = db.session.execute(select(GradeChange)).scalars().all()
    assert changes and all(c.model_version == "v2" and c.breakdown["records"] for c in changes)
