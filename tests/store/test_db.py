"""The engine and session factory: URLs, SQLite settings, transactions, foreign keys,
concurrent writers, and times that are aware UTC on both backends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, StatementError

from quizdl.errors import BadInput
from quizdl.store import db
from quizdl.store.db import Database
from quizdl.store.models import CardState, Profile

SHANGHAI = ZoneInfo("Asia/Shanghai")  # UTC+8, no daylight saving
NEW_YORK = ZoneInfo("America/New_York")  # UTC-4 in July (daylight saving)


def add_profile(database: Database, name: str, created_at: datetime) -> int:
    with database.transaction() as session:
        profile = Profile(name=name, created_at=created_at)
        session.add(profile)
        session.flush()
        return profile.id


def stored_naive(database: Database, profile_id: int) -> datetime:
    """The created_at column as the database holds it, bypassing the ORM type."""
    with database.engine.connect() as connection:
        raw = connection.execute(
            text("SELECT created_at FROM profiles WHERE id = :id"), {"id": profile_id}
        ).scalar()
    # SQLite keeps the time as text, PostgreSQL as a timestamp without time zone.
    value = datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    assert isinstance(value, datetime)
    return value


# --- times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "utc_wall_clock"),
    [
        # 09:30 in Shanghai (UTC+8) is 01:30 UTC, the same day.
        (datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=SHANGHAI), (2026, 11, 26, 1, 30, 15)),
        # 22:00 in New York in July (UTC-4) is 02:00 UTC the next day.
        (datetime(2026, 7, 1, 22, 0, 0, 123456, tzinfo=NEW_YORK), (2026, 7, 2, 2, 0, 0)),
    ],
    ids=["shanghai", "new-york-dst"],
)
def test_aware_times_round_trip_as_utc(
    database: Database, local: datetime, utc_wall_clock: tuple[int, ...]
) -> None:
    profile_id = add_profile(database, "learner", local)
    with database.transaction() as session:
        read = session.get_one(Profile, profile_id).created_at
    assert read == local
    assert read.tzinfo is UTC
    assert read.timetuple()[:6] == utc_wall_clock
    assert read.microsecond == 123456
    # Stored as the UTC wall clock, never the local one.
    assert stored_naive(database, profile_id) == datetime(*utc_wall_clock, 123456)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_session_time_zone_does_not_shift_times(database: Database) -> None:
    moment = datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)  # the night New York moves its clocks
    url = make_url(database.url)
    zones = ["America/New_York", "Asia/Shanghai"]
    elsewhere = [
        Database(
            url.update_query_dict({"options": f"-c timezone={zone}"}).render_as_string(
                hide_password=False
            )
        )
        for zone in zones
    ]
    try:
        profile_id = add_profile(elsewhere[0], "learner", moment)
        with elsewhere[1].transaction() as session:
            zone = session.execute(text("SHOW timezone")).scalar()
            read = session.get_one(Profile, profile_id).created_at
        assert zone == zones[1]
        assert read == moment
        assert read.tzinfo is UTC
    finally:
        for other in elsewhere:
            other.dispose()


def test_naive_times_are_refused(database: Database) -> None:
    with pytest.raises(StatementError, match="refusing a naive datetime") as refused:
        add_profile(database, "learner", datetime(2026, 11, 26, 9, 30))
    assert isinstance(refused.value.orig, ValueError)
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Profile)) == 0


def test_missing_times_stay_missing(database: Database) -> None:
    profile_id = add_profile(database, "learner", datetime(2026, 1, 1, tzinfo=UTC))
    with database.transaction() as session:
        session.add(
            CardState(profile_id=profile_id, card_id="t/c", topic="t", section="s", kind="basic")
        )
    with database.transaction() as session:
        state = session.get_one(CardState, (profile_id, "t/c"))
        assert (state.due, state.last_review, state.buried_until) == (None, None, None)


# --- transactions and integrity -------------------------------------------------------


def test_a_transaction_commits_on_success_and_rolls_back_on_error(database: Database) -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    add_profile(database, "kept", created)
    with pytest.raises(RuntimeError, match="learner action failed"):
        with database.transaction() as session:
            session.add(Profile(name="lost", created_at=created))
            session.flush()
            raise RuntimeError("learner action failed")
    with database.transaction() as session:
        assert session.scalars(select(Profile.name)).all() == ["kept"]


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(IntegrityError):
        with database.transaction() as session:
            session.add(
                CardState(profile_id=404, card_id="t/c", topic="t", section="s", kind="basic")
            )


def test_profile_names_are_unique(database: Database) -> None:
    add_profile(database, "learner", datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(IntegrityError):
        add_profile(database, "learner", datetime(2026, 1, 2, tzinfo=UTC))


# --- SQLite ---------------------------------------------------------------------------


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_connection_settings(database: Database) -> None:
    with database.engine.connect() as connection:
        settings = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    # synchronous 1 is NORMAL.
    assert settings == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "busy_timeout": db.BUSY_TIMEOUT_MS,
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_concurrent_writers_queue_instead_of_failing(database: Database) -> None:
    # Each thread has its own engine, as separate processes would, and reads before it
    # writes: with SQLite's default deferred transactions the second writer would fail
    # with "database is locked" at once; BEGIN IMMEDIATE makes it wait its turn.
    profile_id = add_profile(database, "learner", datetime(2026, 1, 1, tzinfo=UTC))
    with database.transaction() as session:
        session.add(
            CardState(profile_id=profile_id, card_id="t/c", topic="t", section="s", kind="basic")
        )
    writers, increments = 4, 25
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write() -> None:
        own = Database(database.url)
        try:
            start.wait()
            for _ in range(increments):
                with own.transaction() as session:
                    state = session.get_one(CardState, (profile_id, "t/c"))
                    state.reps = state.reps + 1
        except BaseException as error:
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.transaction() as session:
        assert session.get_one(CardState, (profile_id, "t/c")).reps == writers * increments


# --- URLs and places ------------------------------------------------------------------


@pytest.mark.parametrize("url", ["not a url", "://nothing", ""])
def test_an_invalid_url_is_bad_input(url: str) -> None:
    with pytest.raises(BadInput, match="is not valid") as refused:
        Database(url)
    assert refused.value.exit_code == 2


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "quizdl.db"
    Database(f"sqlite:///{path}").dispose()
    assert path.parent.is_dir()
