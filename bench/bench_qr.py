"""Benchmark the qr library: code verify rate against bare Ed25519, and QR render time.

Run from the repo root: ``.venv/bin/python -m bench bench_qr`` (about 5 s; BENCH_QUICK=1: under a
second; BENCH_QR_ROUNDS, BENCH_QR_VERIFY_OPS, BENCH_QR_RENDER_OPS override). The measurements are
interleaved round by round (the machine is shared and noisy) and medians are taken;
the verify ratio is the median of per-round ratios, so both sides see the same load.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable

import jwt

from bench.harness import knob
from qr import (
    generate_signing_key,
    pack_eligibility,
    qr_version,
    render_png,
    render_svg,
    scenario_key,
    seal_handle,
    seal_key,
    sign_code_v2,
    verify_code,
)
from qr.b64 import b64url_decode

ROUNDS = knob("BENCH_QR_ROUNDS", 7, 3)
VERIFY_OPS = knob("BENCH_QR_VERIFY_OPS", 2000, 500)
RENDER_OPS = knob("BENCH_QR_RENDER_OPS", 30, 10)
RATIO_GOAL = 0.75
RENDER_GOAL_MS = 10.0


def _per_op(fn: Callable[[], object], ops: int) -> float:
    """Return mean seconds per call of fn over ops calls."""
    start = time.perf_counter()
    for _ in range(ops):
        fn()
    return (time.perf_counter() - start) / ops


def _median_call(fn: Callable[[], object], ops: int) -> float:
    """Return the median seconds of ops single calls of fn."""
    times = []
    for _ in range(ops):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(rounds: int = ROUNDS, verify_ops: int = VERIFY_OPS, render_ops: int = RENDER_OPS) -> list[tuple[str, str, str]]:
    """Measure and return rows of (metric, value, goal)."""
    key = generate_signing_key()
    now = int(time.time())  # a real clock only so that plain jwt.decode accepts exp
    # A format-2 code as the server issues it: sealed pseudonym, eligibility nibbles for 6 scenario slots
    # (one more than the demo's five, for headroom), masked per slot.
    secret = os.urandom(32)
    sub = seal_handle(seal_key(secret), "k3Jd9xQ2", 0)
    slot_keys = {slot: scenario_key(secret, f"scenario-{slot}") for slot in range(6)}
    token = sign_code_v2(key, sub=sub, eligibility=pack_eligibility(sub, {0: 1, 2: 1}, slot_keys), now=now).token
    public = key.public
    keys = {key.kid: public}
    header, payload, sig = token.split(".")
    signature, signing_input = b64url_decode(sig), f"{header}.{payload}".encode()

    def bare() -> None:
        public.verify(signature, signing_input)

    def ours() -> None:
        verify_code(token, keys, now=now)

    def pyjwt() -> None:
        jwt.decode(token, public, algorithms=["EdDSA"])

    def png() -> None:
        render_png(token)

    def svg() -> None:
        render_svg(token)

    for fn in (bare, ours, pyjwt, png, svg):  # warm up caches and imports
        fn()
    samples: dict[str, list[float]] = {n: [] for n in ("bare", "ours", "pyjwt", "png", "svg")}
    for _ in range(rounds):
        samples["bare"].append(_per_op(bare, verify_ops))
        samples["ours"].append(_per_op(ours, verify_ops))
        samples["pyjwt"].append(_per_op(pyjwt, verify_ops))
        samples["png"].append(_median_call(png, render_ops))
        samples["svg"].append(_median_call(svg, render_ops))

    med = {n: statistics.median(v) for n, v in samples.items()}
    ratio = statistics.median(b / o for b, o in zip(samples["bare"], samples["ours"]))
    jwt_ratio = statistics.median(b / o for b, o in zip(samples["bare"], samples["pyjwt"]))
    return [
        ("bare Ed25519 verify", f"{1 / med['bare']:,.0f}/s ({med['bare'] * 1e6:.1f} us)", ""),
        ("qr.verify_code", f"{1 / med['ours']:,.0f}/s ({med['ours'] * 1e6:.1f} us)", ""),
        ("jwt.decode (PyJWT)", f"{1 / med['pyjwt']:,.0f}/s ({med['pyjwt'] * 1e6:.1f} us)", ""),
        ("verify_code / bare", f"{ratio:.2f}", f">= {RATIO_GOAL}"),
        ("jwt.decode / bare", f"{jwt_ratio:.2f}", "(comparison)"),
        ("PNG render median", f"{med['png'] * 1e3:.2f} ms", f"<= {RENDER_GOAL_MS:g} ms"),
        ("SVG render median", f"{med['svg'] * 1e3:.2f} ms", f"<= {RENDER_GOAL_MS:g} ms"),
        ("code length", f"{len(token)} chars", "<= 213"),
        ("QR version at M", str(qr_version(token, "M")), "<= 10"),
    ]


def main() -> int:
    """Print the table; raises nothing."""
    rows = [("metric", "value", "goal"), *run()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
