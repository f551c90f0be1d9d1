"""The evaluation model: tolerance, emergencies, decay, list overrides, breakdown, versions, re-grading."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from backend.credit.grades import install_model
from backend.credit.grading import ListFact, ModelError, RecordFact, evaluate, load_model
from backend.credit.grading.model import MODELS_DIR
from backend.models import GradeChange, GradingRun, Subject
from tests.credit.helpers import days_ago, dept, grade_of, merchant_ref, penalty, record

URL = "/api/dept/v1/records"
V1 = load_model("v1")
DAY = dt.date(2026, 11, 30)


def fact(n, category, severity=None, result=None, days=30, tolerant=False, emergency=False):
    return RecordFact(n, category, severity, result, DAY - dt.timedelta(days=days), tolerant, emergency,
                      f"记录{n}", "某局", f"DOC{n}")


def breakdown_total(b: dict) -> float:
    return b["base_score"] + sum(r["points"] for r in b["records"]) + sum(a["points"] for a in b["adjustments"])


def test_tolerant_first_minor_offence_does_not_lower_the_grade(client):
    h, ref = dept(), merchant_ref()
    client.post(URL, json=penalty(ref, severity="minor", tolerant_first_offence=True, decided_on=days_ago(40)),
                headers=h)
    first = grade_of(client, h, ref)
    assert first["subject"]["score"] == 75 and first["subject"]["grade"] == "B"
    assert "包容审慎" in first["breakdown"]["records"][0]["rule"]
    # a second minor offence is not a first offence, even when flagged
    client.post(URL, json=penalty(ref, severity="minor", tolerant_first_offence=True, decided_on=days_ago(20)),
                headers=h)
    second = grade_of(client, h, ref)
    assert second["subject"]["score"] == 70 and second["subject"]["grade"] == "C"


def test_tolerance_needs_the_flag_and_no_earlier_penalty():
    plain = evaluate(V1, [fact(1, "admin_penalty", "minor")], [], DAY)
    assert plain.score == 70
    after_general = evaluate(V1, [fact(1, "admin_penalty", "general", days=90),
                                  fact(2, "admin_penalty", "minor", days=10, tolerant=True)], [], DAY)
    assert after_general.score == 75 - 15 - 5


def test_emergency_records_are_shown_not_scored():
    ev = evaluate(V1, [fact(1, "admin_penalty", "serious", emergency=True)], [], DAY)
    assert ev.score == 75 and ev.breakdown["records"][0]["points"] == 0
    assert "突发事件" in ev.breakdown["records"][0]["rule"]


def test_points_decay_with_age():
    scores = [evaluate(V1, [fact(1, "admin_penalty", "serious", days=d)], [], DAY).score for d in (10, 400, 800, 1200)]
    assert scores == [45, 60, 67.5, 75]


def test_list_overrides():
    good = [fact(1, "honour"), fact(2, "tax_rating", result="A"), fact(3, "commitment_kept")]
    assert evaluate(V1, good, [], DAY).grade == "A"
    black = [ListFact("black", DAY - dt.timedelta(days=5), None, "(2026)粤1502执1号")]
    ev = evaluate(V1, good, black, DAY)
    assert ev.grade == "D" and ev.breakdown["score_grade"] == "A" and ev.breakdown["lists"][0]["list_type"] == "black"
    red = [ListFact("red", DAY - dt.timedelta(days=5), None, "汕发改〔2026〕1号")]
    assert evaluate(V1, [fact(1, "admin_penalty", "general")], red, DAY).grade == "B"  # 60 → C, lifted to B
    assert evaluate(V1, good, red + black, DAY).grade == "D"  # joint punishment wins
    watch = [ListFact("watch", DAY - dt.timedelta(days=5), None, "W1")]
    assert evaluate(V1, good, watch, DAY).grade == "C"
    ended = [ListFact("black", DAY - dt.timedelta(days=50), DAY - dt.timedelta(days=1), "old")]
    assert evaluate(V1, good, ended, DAY).grade == "A"


def test_nothing_to_grade_is_unrated_not_good():
    ev = evaluate(V1, [], [], DAY)
    assert (ev.grade, ev.score) == (None, None)
    assert ev.breakdown["grade_zh"] == "未评价" and ev.breakdown["rated"] is False and ev.breakdown["score"] is None
    ended = [ListFact("black", DAY - dt.timedelta(days=50), DAY - dt.timedelta(days=1), "old")]
    assert evaluate(V1, [], ended, DAY).grade is None  # a list entry no longer in force grades nothing
    assert evaluate(V1, [fact(1, "declaration")], [], DAY).grade == "B"  # a record: graded from the base score


@pytest.mark.parametrize("records", [
    [fact(1, "admin_penalty", "serious"), fact(2, "admin_penalty", "serious"), fact(3, "court_dishonesty")],
    [fact(i, "honour") for i in range(5)] + [fact(9, "tax_rating", result="A", days=500)],
    [fact(1, "product_inspection", result="fail"), fact(2, "contract_performance", result="broken"),
     fact(3, "commitment_broken", days=900), fact(4, "admin_penalty", "minor", tolerant=True)],
])
def test_breakdown_sums_to_the_score(records):
    ev = evaluate(V1, records, [], DAY)
    assert breakdown_total(ev.breakdown) == pytest.approx(ev.score)
    assert len(ev.breakdown["records"]) == len(records)
    assert all(r["rule"] for r in ev.breakdown["records"])


def test_breakdown_via_the_api_sums_to_the_score(client):
    h, ref = dept(), merchant_ref()
    for body in (penalty(ref, severity="serious"), penalty(ref, severity="serious"), record(ref, "court_dishonesty"),
                 record(ref, "honour")):
        client.post(URL, json=body, headers=h)
    report = grade_of(client, h, ref)
    assert any("限定" in a["rule"] for a in report["breakdown"]["adjustments"])  # public_administration floor
    assert breakdown_total(report["breakdown"]) == pytest.approx(report["subject"]["score"])


def test_model_file_is_validated(tmp_path):
    text = (MODELS_DIR / "v1.toml").read_text()
    cases = {
        "thresholds": text.replace("A = 90", "A = 70"),
        "categories.honour.indicator": text.replace('indicator = "honours"', 'indicator = "nope"'),
        "categories.admin_penalty.severity": text.replace(", serious = -30", ""),
        "lists.black.force": text.replace('force = "D"', 'force = "E"'),
    }
    for key, bad in cases.items():
        path = tmp_path / "bad.toml"
        path.write_text(bad)
        with pytest.raises(ModelError, match=key.replace(".", r"\.")):
            load_model(str(path))


def test_a_new_model_version_regrades_everyone(client, runner, app, db, tmp_path):
    h = dept()
    refs = [merchant_ref() for _ in range(5)]
    for ref in refs:
        client.post(URL, json=penalty(ref, severity="general"), headers=h)  # 60 → C under the model in force
    assert {s.grade for s in db.session.execute(select(Subject)).scalars()} == {"C"}
    v9 = (MODELS_DIR / "v2.toml").read_text().replace('version = "v2"', 'version = "v9"').replace("C = 60", "C = 55")
    (tmp_path / "v9.toml").write_text(v9.replace("B = 75", "B = 58"))
    app.config["GRADING_MODEL"] = str(tmp_path / "v9.toml")
    install_model(app)
    result = runner.invoke(args=["recompute-grades", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "5 subjects, 5 grades changed" in result.output
    db.session.expire_all()
    assert {(s.grade, s.grade_model) for s in db.session.execute(select(Subject)).scalars()} == {("B", "v9")}
    history = db.session.execute(select(GradeChange).where(GradeChange.model_version == "v9")).scalars().all()
    assert len(history) == 5 and all("v9" in c.reason for c in history)
    again = runner.invoke(args=["recompute-grades"])
    assert "0 grades changed" in again.output


def test_recompute_grades_resumes_an_interrupted_run(client, runner, db):
    h = dept()
    for _ in range(5):
        client.post(URL, json=record(merchant_ref(), "honour"), headers=h)
    db.session.execute(Subject.__table__.update().values(grade="B", score=0, grade_model=None))
    db.session.commit()
    paused = runner.invoke(args=["recompute-grades", "--batch-size", "2", "--max-batches", "1"])
    assert "paused" in paused.output and "2 subjects" in paused.output
    resumed = runner.invoke(args=["recompute-grades", "--batch-size", "2"])
    assert "resuming" in resumed.output and "finished: 5 subjects" in resumed.output
    assert db.session.scalar(select(func.count(GradingRun.id))) == 1
    assert {s.score for s in db.session.execute(select(Subject)).scalars()} == {81}


def test_the_app_refuses_to_start_with_a_bad_model(tmp_path):
    from backend.app import create_app
    from backend.config import TestConfig

    bad = tmp_path / "broken.toml"
    bad.write_text((MODELS_DIR / "v1.toml").read_text().replace("[categories.honour]", "[categories.honor]"))
    with pytest.raises(ModelError, match="categories"):
        create_app(type("BadModel", (TestConfig,), {"GRADING_MODEL": str(bad)}))
