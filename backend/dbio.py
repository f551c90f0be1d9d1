"""One-statement database access for the hot paths (code refresh, scans): one round trip.

Through the ORM session a single read costs BEGIN, the query and ROLLBACK at teardown (plus
a pre-ping on checkout): four round trips and their driver overhead. On PostgreSQL these
helpers run the statement on a pooled connection in autocommit mode instead, which is safe
for a single statement. SQLite (tests, `make run`) keeps using the session's connection: its
in-memory test database is one shared connection whose transaction state must not change.
"""

from __future__ import annotations

from sqlalchemy import Executable, Row

from backend.extensions import db


def _autocommit() -> bool:
    return db.engine.dialect.name == "postgresql"


def first(statement: Executable, params: dict | None = None) -> Row | None:
    """The first row of a single read-only statement."""
    if not _autocommit():
        return db.session.connection().execute(statement, params or {}).first()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return conn.execute(statement, params or {}).first()
