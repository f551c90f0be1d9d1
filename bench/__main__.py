"""`python -m bench` (make bench): run every benchmark module and print one table.

Each bench/bench_*.py exposes run() -> list of (metric, value, goal) rows. Pass module
names to run a subset: `python -m bench bench_qr bench_mp`. A module that fails gets one
"failed" row with the error and the exit status becomes 1; the others still run.

Time on the 2-core machine (measured while shared, 2026-11-30): BENCH_QUICK=1 (a smoke run, every
module shrunk) about 75 s. With no variable set (the issues' sizes): bench_qr ~5 s, bench_mp ~35 s,
bench_scan ~55 s, bench_merchant ~70 s, and bench_credit, the long one (100k subjects / 1M records
loaded and re-graded on PostgreSQL and again on SQLite, a 100k-row CSV, 28 s of load): roughly
3-5 min (extrapolated: 49 s at 20k subjects, of which ~30 s fixed), so `make bench` takes roughly
6-8 min. bench/README.md lists every variable.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
import unicodedata
from pathlib import Path


def modules(selected: list[str]) -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    unknown = set(selected) - set(found)
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} (have {', '.join(found)})")
    return [m for m in found if not selected or m in selected]


def width(text: str) -> int:
    """Terminal columns of text: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def main(argv: list[str]) -> int:
    rows: list[tuple[str, str, str, str]] = []
    status = 0
    for name in modules(argv):
        started = time.monotonic()
        print(f"running {name} …", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            rows += [(name, *row) for row in module.run()]
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            rows.append((name, "failed", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", ""))
            status = 1
        print(f"  {name} took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    header = ("bench", "metric", "value", "goal")
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip())
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
