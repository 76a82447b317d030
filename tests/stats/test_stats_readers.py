"""The reads of a report: the side-by-side readers give the same figures as one connection
alone, every figure comes from one state of the database even when a write is committed
meanwhile, no read takes or waits for the write lock, and a relative database path is read
where it points when the report is made."""

from __future__ import annotations

import sqlite3
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection
from stats_history import NOW, History

from quizdl.clock import Clock
from quizdl.stats import Stats, compute, readers
from quizdl.store import migrate
from quizdl.store.db import Database

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_side_by_side_and_sequential_agree(
    history: History, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.profile().card("a/r", 2, due=NOW - timedelta(hours=1), leech=True, lapses=8)
    history.card("a/n", 0).card("b/l", 1, due=NOW + timedelta(minutes=5))
    for days_ago in range(0, 40, 3):
        history.review(NOW - timedelta(days=days_ago), 1 + days_ago % 4, card_id="a/r")
    db = history.write()
    assert readers.reader_engine(db) is not None
    side_by_side = compute(db, clock=clock).to_json()
    monkeypatch.setattr(readers, "reader_engine", lambda _db: None)
    assert compute(db, clock=clock).to_json() == side_by_side
    assert side_by_side["today"]["reviews"] == 1
    assert sum(d["reviews"] for d in side_by_side["reviews_per_day"]) == 14


def test_no_readers_where_a_second_connection_would_not_share_the_data(tmp_path: Path) -> None:
    memory = Database("sqlite://")
    assert readers.reader_engine(memory) is None
    migrate.upgrade(memory)
    assert compute(memory, clock=Clock(fixed=NOW)).cards.total == 0
    memory.dispose()
    on_disk = Database(f"sqlite:///{tmp_path / 'q.db'}")
    engine = readers.reader_engine(on_disk)
    assert engine is not None and readers.reader_engine(on_disk) is engine
    on_disk.dispose()


def test_a_failing_job_raises_from_its_result(database: Database) -> None:
    def fails(_connection: Connection) -> int:
        raise ValueError("boom")

    with readers.Reads(database) as reads:
        pending = reads.submit(fails)
        with pytest.raises(ValueError, match="boom"):
            pending.result()


def profile_count(connection: Connection) -> int:
    return int(connection.exec_driver_sql("SELECT count(*) FROM profiles").scalar_one())


def add_profile(connection: sqlite3.Connection, name: str) -> None:
    connection.execute(
        "INSERT INTO profiles (name, settings, created_at) VALUES (?, '{}', '2026-01-01')", (name,)
    )


@SQLITE_ONLY
def test_a_job_sees_the_main_snapshot_when_a_write_lands_meanwhile(database: Database) -> None:
    path = readers.database_file(database)
    assert path is not None
    seen: list[int] = []

    def job(connection: Connection) -> int:
        seen.append(profile_count(connection))
        return seen[-1]

    with readers.Reads(database) as reads:
        quiet = reads.submit(job)
        assert quiet.result() == 0 and not reads.committed_meanwhile()
        assert seen == [0]  # run once, on a connection of its own
        writer = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            add_profile(writer, "ada")  # committed while the report is being read
        finally:
            writer.close()
        assert profile_count(reads.main) == 0  # the main connection keeps its snapshot
        late = reads.submit(job)
        assert late.result() == 0 and reads.committed_meanwhile()
        assert seen == [0, 1, 0]  # its own connection saw the write; run again on main


@SQLITE_ONLY
def test_stats_never_take_nor_wait_for_the_write_lock(history: History, clock: Clock) -> None:
    history.profile().card("a/r", 2).card("a/n", 0)
    history.review(NOW - timedelta(hours=2), 3, card_id="a/r")
    db = history.write()
    path = readers.database_file(db)
    assert path is not None
    # A learner answering in another process: the write lock is held, a row not yet committed.
    writer = sqlite3.connect(path, isolation_level=None, timeout=0)
    assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    try:
        writer.execute("BEGIN IMMEDIATE")
        add_profile(writer, "ada")
        made: list[Stats] = []
        worker = threading.Thread(target=lambda: made.append(compute(db, clock=clock)), daemon=True)
        worker.start()
        worker.join(timeout=15)  # a report waiting for the lock would wait 30 s, then fail
        assert not worker.is_alive() and len(made) == 1
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert (made[0].cards.total, made[0].today.reviews) == (2, 1)
    # And the other way round: a writer commits at once while a report holds its snapshot.
    with readers.Reads(db) as reads:
        assert profile_count(reads.main) == 2  # ada is there now
        writer = sqlite3.connect(path, isolation_level=None, timeout=0)  # no waiting allowed
        try:
            writer.execute("BEGIN IMMEDIATE")
            add_profile(writer, "bob")
            writer.execute("COMMIT")
        finally:
            writer.close()
        assert profile_count(reads.main) == 2


def test_a_relative_path_is_read_where_it_points_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two homes, each opened as sqlite:///quizdl.db from its own folder, one after the other
    # in one process: the second report must read the second file, in every part of it.
    figures = []
    for name, reviews in (("a", 2), ("b", 5)):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        database = Database("sqlite:///quizdl.db")
        migrate.upgrade(database)
        history = History(database).profile().card("t/a", 2).card("t/b", 0)
        for day in range(reviews):
            history.review(NOW - timedelta(days=day, hours=1), 3, card_id="t/a")
        history.write()
        assert readers.database_file(database) == (tmp_path / name / "quizdl.db").resolve()
        stats = compute(database, clock=Clock(fixed=NOW))
        figures.append(
            (
                stats.cards.total,  # read on the main connection
                sum(day.count for day in stats.reviews_per_day),  # a side-by-side job
                sum(bucket.cards for bucket in stats.intervals),  # the other one
            )
        )
        database.dispose()
    assert figures == [(2, 2, 1), (2, 5, 1)]


SLOW = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
"""A query that runs until interrupted (it counts without end)."""


@SQLITE_ONLY
@pytest.mark.parametrize("where", ["side by side", "main connection"])
def test_a_cancel_interrupts_the_report_s_queries_in_progress(
    history: History, clock: Clock, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    history.profile().card("a/r", 2, due=NOW - timedelta(hours=1))
    db = history.write()
    cancel = readers.Cancel()
    started = threading.Event()
    compute_module = sys.modules["quizdl.stats.compute"]

    def endless(connection: Connection, *_args: object, **_kwargs: object) -> object:
        started.set()
        return connection.exec_driver_sql(SLOW).scalar()  # stopped, or runs forever

    name = "review_days" if where == "side by side" else "topic_sums"
    monkeypatch.setattr(compute_module, name, endless)
    if where == "main connection":  # the retrievability sums read on the main connection
        monkeypatch.setattr(compute_module.queries, "has_math_functions", lambda _c: False)
        monkeypatch.setattr(compute_module.queries, "elapsed_and_stability", lambda c, *_: c)
    threading.Thread(target=lambda: started.wait(30) and cancel.cancel(), daemon=True).start()
    with pytest.raises(readers.Cancelled):
        compute(db, clock=clock, cancel=cancel)
    assert started.is_set() and cancel.cancelled
    monkeypatch.undo()
    assert compute(db, clock=clock).cards.total == 1  # the report reads again, as it was


def test_a_report_cancelled_before_it_starts_reads_nothing(database: Database) -> None:
    cancel = readers.Cancel()
    cancel.cancel()
    with pytest.raises(readers.Cancelled):
        compute(database, clock=Clock(fixed=NOW), cancel=cancel)
