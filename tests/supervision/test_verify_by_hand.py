"""docs/supervision.md's by-hand check (jq, sha256sum, xxd, openssl) holds on a real published task."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.supervision.helpers import Supervisor, graded_merchants

TOOLS = ("jq", "sha256sum", "xxd", "openssl", "bash")
pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS), reason="needs " + ", ".join(TOOLS))

SCRIPT = r"""
set -euo pipefail
f=task.json
test "$(jq -r '.objects[] | "\(.handle) \(.stratum)"' $f | LC_ALL=C sort | sha256sum | cut -d' ' -f1)" \
   = "$(jq -r .commitment.document.objects_sha256 $f)"
test "$(jq -r '.recusals | to_entries[] | .key as $h | .value[] | "\($h) \(.)"' $f | LC_ALL=C sort | sha256sum | cut -d' ' -f1)" \
   = "$(jq -r .commitment.document.recusals_sha256 $f)"
test "$(jq -cjS .commitment.document $f | sha256sum | cut -d' ' -f1)" = "$(jq -r .commitment.sha256 $f)"
S1=$(jq -r '.reveal.shares[0]' $f); S2=$(jq -r '.reveal.shares[1]' $f); C=$(jq -r .commitment.sha256 $f)
test "$(printf '%s' "$S1" | sha256sum | cut -d' ' -f1)" = "$(jq -r '.commitment.document.seed_source.share_sha256[0]' $f)"
test "$({ printf '%s' "$C" | xxd -r -p; printf '%s%s' "$S1" "$S2"; } | sha256sum | cut -d' ' -f1)" = "$(jq -r .seed $f)"
SEED=$(jq -r .seed $f)
N=$(jq -r '[.drawn[] | select(.stratum=="A")] | length' $f)
diff <(jq -r '.objects[] | select(.stratum=="A") | .handle' $f | while read h; do
         printf '%s %s\n' "$(printf '%s' "$h" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$SEED -r | cut -d' ' -f1)" "$h"
       done | LC_ALL=C sort | head -n "$N") \
     <(jq -r '.drawn[] | select(.stratum=="A") | "\(.rank) \(.handle)"' $f)
echo BY-HAND-OK
"""


def test_the_documented_commands_reproduce_the_draw(client, tmp_path):
    graded_merchants({"A": 30, "B": 6, "D": 2})
    s = Supervisor(client)
    task = s.task(s.item()["id"], [i["id"] for i in s.inspectors(3)])
    s.commit(task["id"])
    s.draw(task["id"])
    (tmp_path / "task.json").write_text(json.dumps(s.public(task["number"]), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(["bash", "-c", SCRIPT], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "BY-HAND-OK" in run.stdout, run.stdout + run.stderr
