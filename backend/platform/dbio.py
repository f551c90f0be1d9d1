"""One-statement database access for the hot paths (code refresh, scans): one round trip, named rows.

Through the ORM session a single read costs BEGIN, the query and ROLLBACK at teardown (plus
a pre-ping on checkout): four round trips and their driver overhead. On PostgreSQL these
helpers run the statement on a pooled connection in autocommit mode instead, which is safe
for a single statement, and through the driver itself (statements compiled once). SQLite
(tests, `make run`) keeps using the session's connection, inside the caller's transaction
(its in-memory test database is one shared connection whose transaction state must not change):
there the caller's use case commits. Rows come back as named tuples on both, so callers read
`row.handle`, never `row[5]`; label the columns of a statement whose names would repeat.
"""

from __future__ import annotations

import functools
import json

from sqlalchemy import Executable, Select, exc, func, select
from sqlalchemy.dialects import postgresql, sqlite

from backend.platform.db import db

_PG = postgresql.psycopg.dialect()


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def conflict_insert(model):
    """INSERT for `model` that supports .on_conflict_do_nothing() on this database (PostgreSQL or SQLite)."""
    return (postgresql.insert if is_postgresql() else sqlite.insert)(model)


@functools.lru_cache(maxsize=64)
def pg_sql(statement: Executable) -> tuple[str, dict]:
    """The statement compiled once for PostgreSQL/psycopg (%(name)s placeholders), and the
    values of the parameters SQLAlchemy made from literals in it.

    Cached per statement object: callers pass statements built once (module level or their
    own cache), never one built per call.
    """
    compiled = statement.compile(dialect=_PG)
    return str(compiled), {k: v for k, v in compiled.params.items() if v is not None}


def _driver_first(statement: Executable, params: dict):
    """PostgreSQL only: one statement through the driver itself, autocommit; the first row, named.

    Skips SQLAlchemy's per-execution work (~45 µs a statement measured here), so bound
    values must already be driver-ready (aware datetimes, dates, str, int): no type
    processors run. Driver errors become SQLAlchemy's, so the JSON 503 handler applies and
    a broken connection is invalidated like any other.
    """
    import psycopg
    from psycopg.rows import namedtuple_row

    sql, literals = pg_sql(statement)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        try:
            with conn.connection.driver_connection.cursor(row_factory=namedtuple_row) as cur:
                return cur.execute(sql, {**literals, **params}).fetchone()
        except psycopg.Error as e:
            if isinstance(e, psycopg.OperationalError):  # the connection may be gone: never reuse it
                conn.invalidate()
            raise exc.DBAPIError.instance(sql, None, e, psycopg.Error) from None


def first(statement: Executable, params: dict | None = None):
    """The first row (named) of a single statement; on PostgreSQL its own autocommit transaction."""
    if not is_postgresql():
        return db.session.connection().execute(statement, params or {}).first()
    return _driver_first(statement, params or {})


def insert_returning(statement: Executable, params: dict) -> int | None:
    """One INSERT … RETURNING id (None when ON CONFLICT DO NOTHING skipped it): on PostgreSQL its own
    autocommit transaction, on SQLite the caller's."""
    if not is_postgresql():
        return db.session.execute(statement, params).scalar()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return conn.execute(statement, params).scalar()


def without_wal_wait(values: Select) -> Select:
    """The INSERT … SELECT source `values`, made to commit without waiting for the WAL flush.

    For log rows (scans) on PostgreSQL: losing the last few hundred milliseconds in a server
    crash is acceptable, an fsync per row is not. set_config(…, true) lasts for the statement's
    own transaction only, and keeps it one round trip (no SET LOCAL, no BEGIN/COMMIT). PostgreSQL only:
    decided by the caller, not here, so a statement cached by its arguments never depends on which
    database the app it was first built for had.
    """
    return values.select_from(select(func.set_config("synchronous_commit", "off", True)).subquery())


def copy_rows(table, columns: tuple[str, ...], rows, *, json_columns: tuple[str, ...] = ()) -> int:
    """Insert many rows (tuples in `columns` order) in the caller's transaction; returns how many.

    On PostgreSQL through COPY … FROM STDIN on the session's own connection (so the rows commit or roll back with
    the use case): one stream instead of a statement per row, which the driver would parse and pipeline; the
    values of `json_columns` are sent as JSON text. Elsewhere (SQLite) an executemany INSERT.
    """
    if not is_postgresql():
        rows = [dict(zip(columns, row, strict=True)) for row in rows]
        if rows:
            db.session.execute(table.insert(), rows)
        return len(rows)
    import psycopg
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name),
                                                         sql.SQL(", ").join(map(sql.Identifier, columns)))
    driver = db.session.connection().connection.driver_connection  # the session's transaction (begun if not yet)
    as_json = [columns.index(c) for c in json_columns]
    count = 0
    try:
        with driver.cursor() as cur, cur.copy(statement) as copy:
            for row in rows:
                if as_json:
                    row = list(row)
                    for i in as_json:
                        row[i] = json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)
                count += 1
    except psycopg.Error as e:
        raise exc.DBAPIError.instance(statement.as_string(driver), None, e, psycopg.Error) from None
    return count
