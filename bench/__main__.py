"""`python -m bench` (make bench): run every benchmark module and print one table.

Each bench/bench_*.py exposes run() -> list of (metric, value, goal) rows. Pass module
names to run a subset: `python -m bench bench_qr`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def modules(selected: list[str]) -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    return [m for m in found if not selected or m in selected]


def main(argv: list[str]) -> int:
    rows: list[tuple[str, str, str, str]] = []
    for name in modules(argv):
        started = time.monotonic()
        print(f"running {name} …", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.{name}")
        rows += [(name, *row) for row in module.run()]
        print(f"  {name} took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    widths = [max(len(r[i]) for r in rows + [("bench", "metric", "value", "goal")]) for i in range(4)]
    for row in [("bench", "metric", "value", "goal"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
