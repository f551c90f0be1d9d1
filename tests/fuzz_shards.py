"""Run the contract fuzzing (`-m fuzz`, tests/hardening/test_fuzz_contract.py) as one process per core.

Its ~220 generated items share one node id, so pytest-xdist cannot spread them (a worker ran only the first);
instead each process takes the operations of one shard (FUZZ_SHARD=i/n) and, on PostgreSQL, its own database
(TEST_DATABASE_SUFFIX=fuzz<i>, see tests/worker_databases.py). Prints each shard's summary line, and the whole
output of a shard that failed; exits 1 if any did.

    python tests/fuzz_shards.py [N] [pytest args…]      # N defaults to the number of cores
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv and argv[0].isdigit() else (os.cpu_count() or 1)
    extra = argv[1:] if argv and argv[0].isdigit() else argv
    failed = False
    with contextlib.ExitStack() as files:
        runs = []
        for i in range(n):
            out = files.enter_context(tempfile.TemporaryFile(mode="w+"))
            env = {**os.environ, "FUZZ_SHARD": f"{i}/{n}", "TEST_DATABASE_SUFFIX": f"fuzz{i}"}
            cmd = [sys.executable, "-m", "pytest", "-m", "fuzz", "-q", "-p", "no:cacheprovider", "tests/hardening",
                   *extra]
            runs.append((i, out, subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)))
        for i, out, proc in runs:
            code = proc.wait()
            out.seek(0)
            lines = out.read().splitlines()
            if code != 0:
                failed = True
                print(f"---- fuzz shard {i}/{n} failed (exit {code}) ----", *lines, sep="\n")
            else:
                print(f"fuzz shard {i}/{n}: {lines[-1] if lines else '(no output)'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
