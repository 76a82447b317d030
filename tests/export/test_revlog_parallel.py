"""The revlog written by two processes (revlog._write_in_two): the same bytes as one process,
ties at the split time and a topic filter included; writers kept out while the worker
reads; a failing worker reported by table name, its part file removed."""

from __future__ import annotations

import io
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from quizdl.errors import QuizdlError
from quizdl.export import json_parallel
from quizdl.export.revlog import write_revlog
from quizdl.store.db import Database

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

Started = list[dict[str, Any]]


def revlog_bytes(database: Database, **kwargs: Any) -> bytes:
    out = io.BytesIO()
    write_revlog(database, out, **kwargs)
    return out.getvalue()


def db_file(database: Database) -> Path:
    path = database.file
    assert path is not None
    return path


def make_ties_at_the_middle(database: Database) -> None:
    """Give the reviews around the middle of the log, and two far from it, the middle
    review's time, so that the split time is shared by reviews on both sides of the
    middle and by reviews whose ids are far apart."""
    with sqlite3.connect(db_file(database)) as connection:
        ids = [
            row[0] for row in connection.execute("SELECT id FROM reviews ORDER BY reviewed_at, id")
        ]
        middle = len(ids) // 2
        (moment,) = connection.execute(
            "SELECT reviewed_at FROM reviews WHERE id = ?", (ids[middle],)
        ).fetchone()
        tied = [ids[middle + k] for k in (-2, -1, 1, 2)] + [ids[5], ids[-5]]
        connection.executemany(
            "UPDATE reviews SET reviewed_at = ? WHERE id = ?", [(moment, i) for i in tied]
        )
    connection.close()


def times_in_log_order(database: Database, topic: str | None = None) -> list[str]:
    with sqlite3.connect(db_file(database)) as connection:
        rows = connection.execute(
            "SELECT reviewed_at, card_id FROM reviews ORDER BY reviewed_at, id"
        ).fetchall()
    connection.close()
    return [at for at, card in rows if topic is None or card.startswith(f"{topic}/")]


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> Started:
    """Two cores and no lower limit on the rows; the jobs of the workers started are kept."""
    monkeypatch.setattr(json_parallel, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(json_parallel, "usable_cores", lambda: 2)
    started: Started = []
    real_start = json_parallel.start_worker

    def start_and_keep(module: str, job: dict[str, Any]) -> subprocess.Popen[bytes]:
        started.append(job)
        return real_start(module, job)

    monkeypatch.setattr(json_parallel, "start_worker", start_and_keep)
    return started


def one_process(monkeypatch: pytest.MonkeyPatch, database: Database, **kwargs: Any) -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(json_parallel, "usable_cores", lambda: 1)
        return revlog_bytes(database, **kwargs)


def test_two_processes_write_the_same_bytes_ties_included(
    studied: Database, two_processes: Started, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_ties_at_the_middle(studied)
    times = times_in_log_order(studied)
    # The middle review shares its time with the reviews just before and after it: a split
    # by position would cut the tie, the split by time keeps it whole in the second half.
    assert times[len(times) // 2 - 1] == times[len(times) // 2] == times[len(times) // 2 + 1]
    sequential = one_process(monkeypatch, studied)
    assert not two_processes
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "revlog.csv"
    with out.open("wb") as file:  # a real file: the part is appended in the kernel
        assert write_revlog(studied, file, scratch=folder) == len(times)
    assert len(two_processes) == 1
    assert out.read_bytes() == sequential
    assert [p.name for p in folder.iterdir()] == ["revlog.csv"]  # the part is gone
    # The worker's half starts at the first review of the tied time.
    first_tied = times.index(times[len(times) // 2])
    lines = sequential.decode().splitlines()[1:]
    worker_lines = _lines_of(two_processes[0])
    assert worker_lines == lines[first_tied:]
    assert revlog_bytes(studied, scratch=folder) == sequential  # appended through Python
    assert len(two_processes) == 2


def _lines_of(job: dict[str, Any]) -> list[str]:
    """The lines the worker's query selects, run again in this process."""
    query = job["query"]
    with sqlite3.connect(job["database"]) as connection:
        params = [query["values"][name] for name in query["names"]]
        rows = connection.execute(query["sql"], params).fetchall()
    connection.close()
    return [row[0] for row in rows]


def test_a_topic_filter_holds_in_both_halves(
    studied: Database, two_processes: Started, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_ties_at_the_middle(studied)
    sequential = one_process(monkeypatch, studied, topics=("beta",))
    expected = len(times_in_log_order(studied, "beta"))
    assert expected == len(sequential.splitlines()) - 1 > 2
    assert revlog_bytes(studied, topics=("beta",), scratch=tmp_path) == sequential
    assert len(two_processes) == 1
    worker_lines = _lines_of(two_processes[0])
    assert worker_lines and all(line.startswith("beta/") for line in worker_lines)
    assert len(worker_lines) < expected  # the first half was this process's


def test_writers_wait_while_the_worker_reads(
    studied: Database, two_processes: Started, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    refused: list[str] = []
    real_start = json_parallel.start_worker

    def start_then_try_to_write(module: str, job: dict[str, Any]) -> subprocess.Popen[bytes]:
        process = real_start(module, job)
        writer = sqlite3.connect(job["database"], timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            refused.append(str(error))
        finally:
            writer.close()
        return process

    monkeypatch.setattr(json_parallel, "start_worker", start_then_try_to_write)
    revlog_bytes(studied, scratch=tmp_path)
    assert refused == ["database is locked"]
    with sqlite3.connect(db_file(studied), timeout=0, isolation_level=None) as writer:
        writer.execute("BEGIN IMMEDIATE")  # free again once the export is done
        writer.execute("ROLLBACK")
    writer.close()


def test_a_failing_worker_names_the_table_and_leaves_no_part(
    studied: Database, two_processes: Started, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_start = json_parallel.start_worker

    def start_broken(module: str, job: dict[str, Any]) -> subprocess.Popen[bytes]:
        query = {**job["query"], "sql": job["query"]["sql"].replace("reviews", "no_such_table")}
        return real_start(module, {**job, "query": query})

    monkeypatch.setattr(json_parallel, "start_worker", start_broken)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(QuizdlError, match=r"table reviews: OperationalError: no such table"):
        with (folder / "revlog.csv").open("wb") as file:
            write_revlog(studied, file, scratch=folder)
    assert [p.name for p in folder.iterdir()] == ["revlog.csv"]


def test_a_short_log_stays_in_one_process(
    studied: Database, two_processes: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = len(times_in_log_order(studied))
    monkeypatch.setattr(json_parallel, "PARALLEL_MIN_ROWS", total + 1)
    sequential = revlog_bytes(studied)
    assert not two_processes and len(sequential.splitlines()) == total + 1
