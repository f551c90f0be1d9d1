"""platform.db.savepoint: a write tried in a savepoint is part of the use case's transaction, on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.models import CalendarYear
from backend.platform.db import db, savepoint, use_case
from backend.platform.errors import InvalidInput


def years(*wanted: int) -> list[int]:
    db.session.remove()
    return list(db.session.scalars(select(CalendarYear.year).where(CalendarYear.year.in_(wanted))))


def test_a_failure_after_the_savepoint_rolls_its_write_back(app):
    @use_case
    def fails_later():
        with savepoint():
            db.session.add(CalendarYear(year=2091, source="test"))
            db.session.flush()
        raise InvalidInput("later failure")

    with pytest.raises(InvalidInput):
        fails_later()
    assert years(2091) == []


def test_a_refused_write_in_the_savepoint_keeps_the_rest_of_the_transaction(app):
    @use_case
    def tries_a_duplicate():
        db.session.add(CalendarYear(year=2092, source="test"))
        db.session.flush()
        try:
            with savepoint():
                db.session.add(CalendarYear(year=2092, source="again"))
                db.session.flush()
        except IntegrityError:
            pass
        db.session.add(CalendarYear(year=2093, source="test"))

    tries_a_duplicate()
    assert years(2092, 2093) == [2092, 2093]
