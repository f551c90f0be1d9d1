"""A pytest plugin (loaded with `-p tests.worker_databases`, see pyproject.toml): under pytest-xdist, each worker
runs on a PostgreSQL database of its own, `<TEST_DATABASE_URL's database>_gw0`, `_gw1`, …, created on first use.

The suite drops and re-creates the schema of the database it is given, so two workers may never share one. The
URL is rewritten before any conftest imports backend.config (TestConfig reads TEST_DATABASE_URL at import).
Without xdist, or on SQLite (a database in memory per test), nothing changes.

It also keeps the Schemathesis contract fuzzing (`-m fuzz`) out of xdist runs: its ~220 generated items share one
node id, and a worker ran only the first of them while reporting the file as passed. `make test` and `.ci/run`
run it in a pass of its own, in one process.
"""

from __future__ import annotations

import os


def pytest_load_initial_conftests(early_config, parser, args) -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("TEST_DATABASE_SUFFIX")  # the fuzz shards
    if not url or not worker:
        return
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    os.environ["TEST_DATABASE_URL"] = base.set(database=name).render_as_string(hide_password=False)


def pytest_collection_modifyitems(config, items) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    fuzz = [item for item in items if item.get_closest_marker("fuzz")]
    if fuzz:
        config.hook.pytest_deselected(items=fuzz)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]
