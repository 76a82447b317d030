"""A big table of a SQLite backup, encoded by several processes at once.

Encoding a million reviews as JSON is CPU work (Python's float repr alone takes a second),
so on a machine with several cores the id range of a big table is cut into parts, each
encoded by a worker process (json_worker) into a part file, and the parts are appended
in order. The exporting process encodes the first part itself, straight into the output,
while the workers do the rest: it would otherwise sit idle, and only the later parts are
then copied. The blocks, and so the lines, are fixed by the ids, never by the parts: the
file is the same byte for byte as a one-process export.

Every process reads in a snapshot of its own. For them all to see the same data, no
writer may commit between the first snapshot and the last: the export holds SQLite's
write lock (BEGIN IMMEDIATE) from before the first snapshot until the workers are done.
A learner answering a card meanwhile waits those few seconds (the busy timeout is 30 s).

The revlog export splits its log in two the same way (revlog): it uses the lock, the worker
process protocol (start_worker, finish_worker, stop_worker) and copy_to_end from here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.sql.expression import ColumnElement

import quizdl
from quizdl.errors import QuizdlError
from quizdl.export.backup_schema import BLOCK, TableSpec
from quizdl.export.progress import Progress
from quizdl.export.rawsql import ReadSnapshot
from quizdl.store.db import Database

PARALLEL_MIN_ROWS = 200_000  # below this, starting processes costs more than it saves
MAX_WORKERS = 8


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(database: Database, estimated_rows: int) -> int:
    """How many worker processes to use (0: encode in this process)."""
    cores = min(usable_cores(), MAX_WORKERS)
    if cores < 2 or estimated_rows < PARALLEL_MIN_ROWS or not sys.executable:
        return 0
    return cores if database.file is not None else 0


@contextlib.contextmanager
def writers_paused(database: Database) -> Iterator[None]:
    """Hold SQLite's write lock: readers go on, writers wait until the block ends."""
    connection = database.engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # still locked after the busy timeout
            raise QuizdlError(
                f"{database.file}: the database stayed busy ({error}); try again"
            ) from None
        cursor.close()
        yield
    finally:
        try:
            connection.rollback()
        finally:
            connection.close()


class PartWorkers:
    """Worker processes encoding the id range of one table, in parts, into part files."""

    def __init__(
        self,
        snapshot: ReadSnapshot,
        database: Database,
        spec: TableSpec,
        filters: list[ColumnElement[bool]],
        columns: list[ColumnElement[Any]],
        workers: int,
        scratch: Path | None,
    ) -> None:
        path = database.file
        if path is None:
            raise ValueError("parallel export needs a SQLite file")
        key = spec.table.c.id
        block: Select[Any] = (
            select(*columns)
            .where(*filters, key >= bindparam("lo"), key < bindparam("hi"))
            .order_by(key)
        )
        following = select(func.min(key)).where(*filters, key >= bindparam("lo"))
        bounds = snapshot.rows(select(func.min(key), func.max(key)).where(*filters))[0]
        self.spec = spec
        self._folder = Path(tempfile.mkdtemp(prefix=".quizdl-export-", dir=scratch))
        self._processes: list[tuple[subprocess.Popen[bytes], Path]] = []
        # The ids [low, high) of the first part, left to the exporting process.
        self.own_range: tuple[int, int] = (0, 0)
        if bounds[0] is None:
            return
        first = int(bounds[0]) - int(bounds[0]) % BLOCK
        blocks = (int(bounds[1]) - first) // BLOCK + 1
        base = {
            "database": str(path),
            "block": snapshot.for_driver(block, {"lo": 0, "hi": 0}),
            "following": snapshot.for_driver(following, {"lo": 0}),
            "block_size": BLOCK,
            "bools": spec.positions("bool"),
            "floats": spec.positions("float"),
        }
        try:
            self._start(base, first, blocks, workers)
        except BaseException:
            self.close()
            raise

    def _start(self, base: dict[str, Any], first: int, blocks: int, workers: int) -> None:
        """Part 0 is the exporting process's own; a worker process starts for each other."""
        per_part = -(-blocks // workers)
        self.own_range = (first, first + per_part * BLOCK)
        for part in range(1, workers):
            low = first + part * per_part * BLOCK
            if part * per_part >= blocks:
                break
            out = self._folder / f"part{part}"
            job = {**base, "low": low, "high": low + per_part * BLOCK, "out": str(out)}
            process = start_worker("quizdl.export.json_worker", job)
            self._processes.append((process, out))

    def append_to(self, out: BinaryIO, progress: Progress, *, written: int) -> int:
        """Wait for the workers' parts and append them to `out` in order, after the `written`
        rows of the first part; returns the rows the parts held."""
        total = 0
        for process, part in self._processes:
            rows = finish_worker(process, progress, table=self.spec.name)
            # Unbuffered, so that the file position is exactly past what was read.
            with part.open("rb", buffering=0) as source:
                if total + written == 0:
                    source.read(1)  # a table's first block has no comma before it
                copy_to_end(source, out)
            total += rows
        return total

    def close(self) -> None:
        for process, _ in self._processes:
            stop_worker(process)
        shutil.rmtree(self._folder, ignore_errors=True)


def start_worker(module: str, job: dict[str, Any]) -> subprocess.Popen[bytes]:
    """`python -m module` in a new process, given `job` as JSON on its stdin. A worker prints
    the rows done so far, a line at a time, then `done N`; on failure it exits non-zero with
    the problem on stderr."""
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_worker_environment(),
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(job).encode())
    process.stdin.close()
    return process


def finish_worker(process: subprocess.Popen[bytes], progress: Progress, *, table: str) -> int:
    """Follow the worker's progress to its end; returns the rows it wrote. A worker that
    failed raises QuizdlError naming `table`."""
    assert process.stdout is not None
    rows = 0
    for raw in process.stdout:
        line = raw.decode().strip()
        if line.startswith("done "):
            rows = int(line.split()[1])
            break
        progress.advance(int(line) - rows)
        rows = int(line)
    process.wait()
    if process.returncode != 0:
        problem = process.stderr.read().decode().strip() if process.stderr else ""
        raise QuizdlError(f"cannot export table {table}: {problem}")
    return rows


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    """End the worker if it still runs (an export that failed or finished), and reap it."""
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _worker_environment() -> dict[str, str]:
    """This environment, with this quizdl first on the path (it may run from a checkout)."""
    root = str(Path(quizdl.__file__).resolve().parent.parent)
    inherited = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, inherited] if inherited else [root])}


def copy_to_end(source: IO[bytes], out: BinaryIO) -> None:
    """Append `source` (from its position) to `out`, in the kernel where it can be done."""
    out.flush()
    try:
        in_fd, out_fd = source.fileno(), out.fileno()
        while os.copy_file_range(in_fd, out_fd, 1 << 30):
            pass
        out.seek(0, os.SEEK_END)
    except (AttributeError, OSError, ValueError):
        shutil.copyfileobj(source, out, 1 << 20)
