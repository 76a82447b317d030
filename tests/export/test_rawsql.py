"""The database-side time conversions of the exports, on SQLite and PostgreSQL, against
Python's own datetime arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import String, bindparam, insert, select

from quizdl.export.common import PROFILES
from quizdl.export.rawsql import FromIsoUtc, ReadSnapshot, epoch_ms, iso_utc
from quizdl.store.db import Database
from quizdl.store.models import Profile

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TIMES = [
    datetime(2026, 11, 26, 9, 30, tzinfo=UTC),
    datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(1999, 12, 31, 0, 0, 0, 500, tzinfo=UTC),
    datetime(2038, 1, 19, 3, 14, 8, 123_456, tzinfo=UTC),
    datetime(1970, 1, 1, 0, 0, 0, 1_000, tzinfo=UTC),
]


@pytest.fixture
def stored(database: Database) -> Database:
    with database.transaction() as session:
        for n, moment in enumerate(TIMES):
            session.add(Profile(id=n + 1, name=f"p{n}", settings={}, created_at=moment))
    return database


def test_iso_and_epoch_milliseconds_match_python(stored: Database) -> None:
    query = select(iso_utc(PROFILES.c.created_at), epoch_ms(PROFILES.c.created_at)).order_by(
        PROFILES.c.id
    )
    with ReadSnapshot(stored) as snapshot:
        rows = snapshot.rows(query)
    for (iso, millis), moment in zip(rows, TIMES, strict=True):
        assert iso == moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert millis == (moment - EPOCH) // timedelta(milliseconds=1)


def test_from_iso_stores_the_same_instant(database: Database) -> None:
    statement = insert(PROFILES).values(
        id=bindparam("i"),
        name=bindparam("n"),
        settings="{}",
        created_at=FromIsoUtc(bindparam("t", type_=String())),
    )
    with database.transaction() as session:
        session.execute(
            statement,
            [
                {"i": n + 1, "n": f"p{n}", "t": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
                for n, moment in enumerate(TIMES)
            ],
        )
    with database.sessions() as session:
        found = list(session.scalars(select(Profile.created_at).order_by(Profile.id)))
    assert found == TIMES


def test_a_snapshot_does_not_see_later_commits(stored: Database) -> None:
    with ReadSnapshot(stored) as snapshot:
        before = snapshot.rows(select(PROFILES.c.name).order_by(PROFILES.c.id))
        with stored.transaction() as session:
            session.add(Profile(id=99, name="late", settings={}, created_at=TIMES[0]))
        assert snapshot.rows(select(PROFILES.c.name).order_by(PROFILES.c.id)) == before
        streamed = [
            row for rows in snapshot.stream(select(PROFILES.c.name), size=2) for row in rows
        ]
        assert len(streamed) == len(TIMES)
