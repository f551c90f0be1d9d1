"""Resident cards (qr.cards): what recognising a card costs every phone-code scan on the verify path, a card's
own verification beside a phone code's, and the card's QR size. BENCH_CARDS_OPS overrides the operations per
round (BENCH_QUICK shrinks it)."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from bench.harness import knob
from qr import generate_signing_key, is_card, qr_version, sign_card, sign_code, verify_card, verify_code

ROUNDS = knob("BENCH_CARDS_ROUNDS", 7, 3)
OPS = knob("BENCH_CARDS_OPS", 5000, 500)
OVERHEAD_GOAL = 0.02  # recognising cards may cost a phone-code verify at most 2 %


def _per_op(fn: Callable[[], object], ops: int) -> float:
    started = time.perf_counter()
    for _ in range(ops):
        fn()
    return (time.perf_counter() - started) / ops


def run(rounds: int = ROUNDS, ops: int = OPS) -> list[tuple[str, str, str]]:
    """Measure and return rows of (metric, value, goal)."""
    key = generate_signing_key()
    now = int(time.time())
    keys = {key.kid: key.public}
    code = sign_code(key, sub="k3Jd9xQ2", grade="A", now=now).token
    card = sign_card(key, serial="7K3M9QXP2DHW", expires_at=now + 365 * 86400, now=now)
    fns = {"is_card(code)": lambda: is_card(code), "verify_code": lambda: verify_code(code, keys, now=now),
           "verify_card": lambda: verify_card(card, keys, now=now)}
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            samples[name].append(_per_op(fn, ops))
    med = {n: statistics.median(v) for n, v in samples.items()}
    overhead = statistics.median(a / b for a, b in zip(samples["is_card(code)"], samples["verify_code"], strict=True))
    return [
        ("is_card on a phone code", f"{med['is_card(code)'] * 1e6:.2f} us", ""),
        ("qr.verify_code", f"{med['verify_code'] * 1e6:.1f} us", ""),
        ("qr.verify_card", f"{med['verify_card'] * 1e6:.1f} us", ""),
        ("is_card / verify_code", f"{overhead:.3f}", f"<= {OVERHEAD_GOAL}"),
        ("card length", f"{len(card)} chars", ""),
        ("card QR version at M", str(qr_version(card, "M")), "<= 10"),
    ]


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
    sys.exit(0)
