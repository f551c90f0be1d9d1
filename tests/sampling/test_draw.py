"""The pure draw (sampling/): exact quotas, strata, recusal, determinism, and the verifier catching tampering."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from sampling import DrawError, commitment_of, derive_seed, draw, objects_digest, quota, verify
from sampling.draw import commitment_document, revealed_bytes

ROOT = Path(__file__).resolve().parents[2]
RATIOS = {"A": "0.05", "B": "0.1", "C": "0.3", "D": "0.7", "W": "0.3", "U": "0.1"}


def pool(n: int = 200) -> list[tuple[str, str]]:
    strata = "AAAABBBBBCCCDWU"
    return sorted((f"h{i:05d}", strata[i % len(strata)]) for i in range(n))


def published(objects, *, inspectors=("I1", "I2", "I3"), per=2, recusals=None) -> dict:
    shares = ["甲的份额-7f3a", "乙的份额-19c2"]
    source = {"method": "shares", "share_sha256": [hashlib.sha256(s.encode()).hexdigest() for s in shares]}
    recusals = recusals or {}
    doc = commitment_document(task_number="SSJ2026-00001", objects=objects, ratios=RATIOS, inspectors=inspectors,
                              inspectors_per_object=per, recusals=recusals, seed_source=source)
    commitment = commitment_of(doc)
    seed = derive_seed(commitment, revealed_bytes(source, {"shares": shares}))
    drawn = draw(seed, objects, RATIOS, inspectors=inspectors, inspectors_per_object=per, recusals=recusals)
    return {"commitment": {"sha256": commitment, "document": doc},
            "objects": [{"handle": h, "stratum": s, "name": None} for h, s in objects], "recusals": recusals,
            "reveal": {"shares": shares}, "seed": seed.hex(), "drawn": drawn}


@pytest.mark.parametrize("ratio, n, expected", [("0.05", 19, 1), ("0.05", 20, 1), ("0.05", 21, 2), ("0.1", 10, 1),
                                                ("0.3", 10, 3), ("0.7", 3, 3), ("1", 7, 7), ("0", 9, 0),
                                                ("0.21", 100, 21), ("0.6", 5, 3)])
def test_quota_is_the_exact_ceiling(ratio, n, expected):
    assert quota(ratio, n) == expected == math.ceil(Decimal(ratio) * n)


def test_each_stratum_draws_ceil_ratio_times_n():
    objects = pool(1000)
    doc = published(objects)
    by_stratum = {}
    for _, s in objects:
        by_stratum[s] = by_stratum.get(s, 0) + 1
    drawn = {}
    for d in doc["drawn"]:
        drawn[d["stratum"]] = drawn.get(d["stratum"], 0) + 1
    assert drawn == {s: math.ceil(Decimal(RATIOS[s]) * n) for s, n in by_stratum.items()}
    assert len({d["handle"] for d in doc["drawn"]}) == len(doc["drawn"])


def test_the_draw_is_a_function_of_seed_and_pool():
    objects = pool()
    seed = b"\x01" * 32
    assert draw(seed, objects, RATIOS) == draw(seed, list(reversed(objects)), RATIOS)
    assert draw(seed, objects, RATIOS) != draw(b"\x02" * 32, objects, RATIOS)


def test_recused_inspectors_are_never_drawn_for_that_object():
    objects = [(f"h{i}", "D") for i in range(30)]
    recusals = {h: ["I1", "I2"] for h, _ in objects[:15]}
    doc = published(objects, inspectors=("I1", "I2", "I3", "I4"), per=2, recusals=recusals)
    for d in doc["drawn"]:
        assert len(d["inspectors"]) == 2
        if d["handle"] in recusals:
            assert set(d["inspectors"]) == {"I3", "I4"}
    assert verify(doc) == []


def test_the_verifier_matches_an_honest_draw_and_catches_each_tampering():
    honest = published(pool())
    assert verify(honest) == []
    tampered = []
    t = copy.deepcopy(honest)
    t["drawn"][0]["handle"] = next(o["handle"] for o in t["objects"] if o["handle"] not in {d["handle"] for d in t["drawn"]})
    tampered.append((t, "drawn"))
    t = copy.deepcopy(honest)
    t["objects"][0]["stratum"] = "D" if t["objects"][0]["stratum"] != "D" else "A"
    tampered.append((t, "objects"))
    t = copy.deepcopy(honest)
    t["commitment"]["document"]["ratios"]["A"] = "0.01"
    tampered.append((t, "commitment"))
    t = copy.deepcopy(honest)
    t["reveal"]["shares"][1] = "另一个份额"
    tampered.append((t, "share 2"))
    t = copy.deepcopy(honest)
    t["seed"] = "00" * 32
    tampered.append((t, "seed"))
    t = copy.deepcopy(honest)
    t["drawn"][0]["inspectors"] = ["I9"]
    tampered.append((t, "drawn"))
    for doc, word in tampered:
        problems = verify(doc)
        assert problems and any(word in p for p in problems), (word, problems)


def test_objects_digest_is_sha256_of_the_sorted_lines():
    objects = [("b2", "A"), ("a1", "U")]
    assert objects_digest(objects) == hashlib.sha256(b"a1 U\nb2 A\n").hexdigest()
    with pytest.raises(DrawError):
        objects_digest([("a1", "X")])
    with pytest.raises(DrawError):
        objects_digest([("a1", "A"), ("a1", "B")])


def test_the_command_says_match_or_mismatch(tmp_path):
    doc = published(pool(50))
    path = tmp_path / "task.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sampling", "verify", str(path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and "MATCH" in run.stdout, run.stdout + run.stderr
    doc["drawn"].pop()
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sampling", "verify", str(path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 1 and "MISMATCH" in run.stdout


def test_the_verifier_runs_without_the_app():
    """sampling imports nothing of the app: a citizen's copy of this one file is enough."""
    code = ("import sys, sampling.draw; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('backend', 'flask', 'sqlalchemy', 'miniprogram_api', 'qr')]; assert not bad, bad")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode == 0


def test_a_copy_of_the_one_file_verifies_alone(tmp_path):
    import shutil

    shutil.copy(ROOT / "sampling" / "draw.py", tmp_path / "draw.py")
    (tmp_path / "task.json").write_text(json.dumps(published(pool(30)), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "draw.py", "verify", "task.json"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and "MATCH" in run.stdout, run.stdout + run.stderr
