"""The side-by-side readers give the same figures as one connection alone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from stats_history import NOW, History

from quizdl.clock import Clock
from quizdl.stats import compute, readers
from quizdl.store import migrate
from quizdl.store.db import Database


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
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
    def fails(_connection: object) -> int:
        raise ValueError("boom")

    with database.engine.connect() as main, readers.Readers(database, main) as pool:
        future = pool.submit(fails)
        with pytest.raises(ValueError, match="boom"):
            future.result()
