"""The database kernel: the declarative base and column types, the `db` object, the use-case
transaction boundary and pagination.

Only functions marked @use_case commit (tests/platform/test_house_rules.py fails on any other
`db.session.commit()`): the use case commits when it returns and rolls back when it raises, so a
domain error never leaves half a change behind. A use case called from another joins the
caller's transaction. Building blocks (audit.record, put_record, recompute_subject …) never commit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NoReturn, ParamSpec, TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import CheckConstraint, DateTime, MetaData, Select, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import JSON, TypeDecorator

log = logging.getLogger(__name__)

DB_INT_MAX = 2**31 - 1  # ids are INTEGER columns: a larger value overflows on PostgreSQL (was a 500)
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops tzinfo otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use backend.platform.clock.utcnow()")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={dt.datetime: UTCDateTime(), dict: JSON(), list: JSON()},
    )


class CreatedAt:
    """Mixin: a server-side creation timestamp."""

    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


def one_of(column: str, values: type[enum.Enum] | Iterable[str], *, nullable: bool = False) -> CheckConstraint:
    """CHECK (column IN (…)) named after the column, from a vocabulary enum (or plain values)."""
    allowed = ",".join(f"'{getattr(v, 'value', v)}'" for v in values)
    sql = f"{column} IN ({allowed})"
    return CheckConstraint(f"{column} IS NULL OR {sql}" if nullable else sql, name=column)


db = SQLAlchemy(model_class=Base)

# SQLite as a server database (`make run` serves it with several gunicorn workers): write-ahead log, so readers
# never wait for a writer and a commit is an append, not a rewrite of the rollback journal; NORMAL sync, which
# in WAL mode stays consistent after a crash and loses at most the last commits on power loss; a busy timeout
# so a worker waits for another's write instead of failing; and foreign keys enforced, as PostgreSQL does.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000",
                  "PRAGMA foreign_keys=ON")


def sqlite_server_settings(dbapi_connection, _record) -> None:
    """SQLAlchemy `connect` hook: the pragmas above, on every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()

P = ParamSpec("P")
R = TypeVar("R")
_in_use_case: ContextVar[list[Callable[[], None]] | None] = ContextVar("in_use_case", default=None)


def use_case(fn: Callable[P, R]) -> Callable[P, R]:
    """Mark fn as a use case: commit when it returns, roll back when it raises, then run on_commit hooks."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _in_use_case.get() is not None:  # called from another use case: its transaction decides
            return fn(*args, **kwargs)
        hooks: list[Callable[[], None]] = []
        token = _in_use_case.set(hooks)
        try:
            result = fn(*args, **kwargs)
            # Nothing to commit when the use case never touched the session (the PostgreSQL hot paths go through
            # platform.dbio's own autocommit connections): skipping it saves ~0.1 ms a request.
            if db.session().in_transaction():
                db.session.commit()
        except BaseException:
            _rollback()
            raise
        finally:
            _in_use_case.reset(token)
        for hook in hooks:
            hook()
        return result

    wrapper.is_use_case = True  # type: ignore[attr-defined]
    return wrapper


def _rollback() -> None:
    try:
        db.session.rollback()
    except DBAPIError as e:  # the connection died: the error being raised matters more
        log.warning("rollback failed: %s", type(e.orig).__name__)


@contextlib.contextmanager
def savepoint() -> Iterator[None]:
    """A savepoint inside the current transaction, to try a write that a unique index may refuse (a concurrent
    request got there first) without losing the rest of the transaction. Use it instead of begin_nested().

    On SQLite, Python's sqlite3 (before 3.12's autocommit attribute) opens a transaction only before an
    INSERT/UPDATE/DELETE; a SAVEPOINT sent outside one starts a transaction of its own, and its RELEASE
    commits — so what the block wrote stayed stored even when the use case later failed and rolled back. Here
    the transaction is opened first, so the savepoint nests as on PostgreSQL.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
    with db.session.begin_nested():
        yield


def in_use_case() -> bool:
    """True inside a use case (its transaction may hold uncommitted writes)."""
    return _in_use_case.get() is not None


def commit_then_raise(error: BaseException) -> NoReturn:
    """Inside a use case: commit what it wrote so far (the record of a refusal), then raise error."""
    if not in_use_case():
        raise RuntimeError("commit_then_raise outside a use case")
    db.session.commit()
    raise error


def on_commit(hook: Callable[[], None]) -> None:
    """Run hook after the current use case commits (dropped if it rolls back; at once outside one)."""
    hooks = _in_use_case.get()
    if hooks is None:
        hook()
    else:
        hooks.append(hook)


@dataclass(frozen=True)
class Page:
    """One page of a list and where it sits in the whole."""

    items: list[Any]
    total: int
    page: int
    per_page: int

    def envelope(self, **extra: Any) -> dict:
        """The list envelope every paginated endpoint returns: {items, meta} (plus extra keys)."""
        return {**extra, "items": self.items,
                "meta": {"page": self.page, "per_page": self.per_page, "total": self.total}}


def paginate(query: Select, page: int, per_page: int, *, rows: bool = False) -> Page:
    """Count the query, then fetch page `page` (1-based) of it: ORM objects, or Core rows with rows=True."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    return Page(list(result.all() if rows else result.scalars()), total, page, per_page)
