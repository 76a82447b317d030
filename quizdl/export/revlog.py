"""`quizdl export --format revlog`: the review log in the columns the open-spaced-repetition
tools read (the FSRS optimizer's review-log schema, which fsrs-rs-python's examples and
the srs-benchmark follow):

    card_id          the card's id (the schema allows integers or strings; ours are
                     stable text ids such as "gans/mode-collapse")
    review_time      when, in milliseconds since 1970-01-01 UTC
    review_rating    1 Again, 2 Hard, 3 Good, 4 Easy
    review_state     the card's state when it was reviewed: 0 New, 1 Learning, 2 Review,
                     3 Relearning
    review_duration  milliseconds spent on the card (empty when not recorded)

Rows are in time order. Times are UTC; the learner's time zone and day rollover, which
the optimizer asks for, are in the profile's settings (`quizdl export --format json`).

On a SQLite file, a machine with two cores or more and a long log, the log is written by
two processes: SQLite stepping the rows and printing each line is most of the time, and
one process does it at one core's speed. The log is cut in two halves by time (the time
of the middle review); a worker process (revlog_worker) writes the later half into a part
file while this process writes the earlier half into the output, then the part is
appended. Each half is in time order and every time in the first half comes before every
time in the second, so the file is the same byte for byte as a one-process export. The
export holds SQLite's write lock meanwhile, as a parallel JSON backup does, so that both
processes read the same data (see json_parallel).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.sql.expression import ColumnElement

from quizdl.errors import QuizdlError
from quizdl.export import json_parallel
from quizdl.export.common import profile_row, review_filter
from quizdl.export.progress import Progress
from quizdl.export.rawsql import CsvLine, ReadSnapshot, epoch_ms
from quizdl.export.revlog_worker import FIELDS_AFTER_CARD, csv_block
from quizdl.store.db import Database
from quizdl.store.models import REVIEWS

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
assert len(COLUMNS) == FIELDS_AFTER_CARD + 1
TABLE = "reviews"


def write_revlog(
    database: Database,
    out: BinaryIO,
    *,
    profile: str = "default",
    topics: Sequence[str] = (),
    progress: Progress | None = None,
    scratch: Path | None = None,
) -> int:
    """Write the profile's review log as CSV to `out`; returns the number of reviews.
    `scratch` is a folder for the part file of a two-process export (default: the system's).

    The database writes each row as a line of text (no Python work per value)."""
    progress = progress or Progress(False)
    out.write((",".join(COLUMNS) + "\n").encode())
    split = (
        database.file is not None
        and json_parallel.worker_count(database, _reviews_estimate(database)) >= 2
    )
    with contextlib.ExitStack() as paused:
        if split:
            paused.enter_context(json_parallel.writers_paused(database))
        with ReadSnapshot(database) as snapshot:
            profile_id = profile_row(snapshot, profile)[0]
            where = [REVIEWS.c.profile_id == profile_id, *review_filter(topics)]
            total = int(snapshot.scalar(select(func.count()).select_from(REVIEWS).where(*where)))
            progress.stage("export review log", total)
            if split and total >= max(json_parallel.PARALLEL_MIN_ROWS, 2):
                written = _write_in_two(snapshot, database, where, total, out, progress, scratch)
            else:
                paused.close()  # one snapshot is enough: writers may go on
                written = _write_lines(snapshot, _lines(where), {}, out, progress)
    progress.close()
    return written


def _lines(where: list[ColumnElement[bool]]) -> Select[Any]:
    """The log's CSV lines in time order (the database formats them)."""
    line = CsvLine(
        REVIEWS.c.card_id,
        epoch_ms(REVIEWS.c.reviewed_at),
        REVIEWS.c.rating,
        REVIEWS.c.state_before,
        REVIEWS.c.duration_ms,
    )
    return select(line).where(*where).order_by(REVIEWS.c.reviewed_at, REVIEWS.c.id)


def _write_lines(
    snapshot: ReadSnapshot,
    query: Select[Any],
    params: dict[str, Any],
    out: BinaryIO,
    progress: Progress,
) -> int:
    written = 0
    for rows in snapshot.stream(query, params, size=10_000):
        out.write(csv_block([row[0] for row in rows]))
        written += len(rows)
        progress.advance(len(rows))
    return written


def _write_in_two(
    snapshot: ReadSnapshot,
    database: Database,
    where: list[ColumnElement[bool]],
    total: int,
    out: BinaryIO,
    progress: Progress,
    scratch: Path | None,
) -> int:
    """The reviews before the middle review's time, written here, then those from it on,
    written by a worker process meanwhile. Ties at that time all fall in the second half."""
    path = database.file
    assert path is not None
    at = REVIEWS.c.reviewed_at
    middle = snapshot.scalar(select(at).where(*where).order_by(at).offset(total // 2).limit(1))
    # The stored time as the driver gives it (text on SQLite), compared as stored.
    first = _lines(where).where(at < bindparam("split"))
    second = _lines(where).where(at >= bindparam("split"))
    folder = Path(tempfile.mkdtemp(prefix=".quizdl-revlog-", dir=scratch))
    part = folder / "part1"
    process = None
    try:
        job = {
            "database": str(path),
            "query": snapshot.for_driver(second, {"split": middle}),
            "out": str(part),
        }
        process = json_parallel.start_worker("quizdl.export.revlog_worker", job)
        written = _write_lines(snapshot, first, {"split": middle}, out, progress)
        written += json_parallel.finish_worker(process, progress, table=TABLE)
        # Unbuffered, so that nothing is read ahead of the copy.
        with part.open("rb", buffering=0) as source:
            json_parallel.copy_to_end(source, out)
    finally:
        if process is not None:
            json_parallel.stop_worker(process)
        shutil.rmtree(folder, ignore_errors=True)
    if written != total:  # pragma: no cover - the write lock prevents it
        raise QuizdlError(f"cannot export table {TABLE}: counted {total} rows but wrote {written}")
    return written


def _reviews_estimate(database: Database) -> int:
    """At most how many reviews the log holds (from the ids: no count, no scan), to decide
    whether to take the write lock before the snapshot."""
    with ReadSnapshot(database) as snapshot:
        low, high = snapshot.rows(select(func.min(REVIEWS.c.id), func.max(REVIEWS.c.id)))[0]
    return 0 if low is None else int(high) - int(low) + 1
