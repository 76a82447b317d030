"""The reads of one stats report: one read transaction that never takes, nor waits for, the
write lock, and extra connections that run the big aggregates side by side on SQLite.

A learner may be answering in the app while `quizdl stats` runs in another terminal, so the
report must not hold SQLite's write lock (quizdl's own engine begins every transaction with
BEGIN IMMEDIATE, see store/db.py). Its connections come from a second engine on the same
file without that hook, in the driver's autocommit mode: the main connection opens a
deferred transaction (BEGIN), which in WAL mode is a read snapshot (writers go on, unseen,
and never wait for it); each side-by-side job runs on a connection of its own.

The three big aggregates (one pass over the cards, the interval pass, the per-day counts
over the review log) do not depend on each other, and SQLite releases the GIL while it
steps a query, so on a machine with several cores they can run side by side. A job's
connection has a snapshot of its own, which is the main connection's unless another
connection committed in between. A watch connection tells: PRAGMA data_version changes
when another connection commits. Its value is read before the main snapshot begins and
again when a job's result is asked for; if it moved, that job runs again on the main
connection, inside its snapshot, so every figure of a report describes one state.

PostgreSQL runs the jobs one after the other on the main connection, in one REPEATABLE
READ, READ ONLY transaction; so does an in-memory SQLite database (a second connection
would not share it), on quizdl's own engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from quizdl.store.db import BUSY_TIMEOUT_MS, Database

T = TypeVar("T")

# One engine per database file (the last few), keyed by the file's absolute path: the same
# relative URL names another file after a change of working directory. NullPool: an engine
# holds no open connection.
_ENGINES: dict[Path, Engine] = {}
_MAX_ENGINES = 8


def database_file(db: Database) -> Path | None:
    """The SQLite database's file as an absolute path, or None (PostgreSQL, in memory, or
    named by a `file:` URI): the key of the shared engines."""
    return None if db.file is None else db.file.resolve()


def reader_engine(db: Database) -> Engine | None:
    """A hook-free engine on the database's file, or None where there is none to share."""
    path = database_file(db)
    if path is None:
        return None
    engine = _ENGINES.get(path)
    if engine is None:
        connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None}
        url = make_url(db.url).set(database=str(path))
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        while len(_ENGINES) >= _MAX_ENGINES:
            _ENGINES.pop(next(iter(_ENGINES))).dispose()
        _ENGINES[path] = engine
    return engine


class Cancelled(Exception):
    """The report was cancelled (Cancel.cancel) before it was read."""


class Cancel:
    """Stops a report being read, from any thread: the dashboard's figures, when the learner
    has moved on to a review before they came. After `cancel()` the report's SQLite queries
    in progress stop within about a millisecond (a progress handler that SQLite calls every
    PROGRESS_STEPS steps of a query aborts them; unlike sqlite3's interrupt, it also stops
    a query that had not quite begun) and the report raises Cancelled at its next step; a
    PostgreSQL report stops at its next step."""

    PROGRESS_STEPS = 100_000

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def check(self) -> None:
        """Cancelled, if the report was cancelled."""
        if self.cancelled:
            raise Cancelled

    def _stop_query(self) -> bool:
        return self.cancelled

    @contextmanager
    def watching(self, connection: Connection) -> Iterator[None]:
        """While the block runs, `cancel()` stops the connection's queries."""
        self.check()
        driver = connection.connection.driver_connection
        handler = getattr(driver, "set_progress_handler", None)
        if handler is not None:
            handler(self._stop_query, self.PROGRESS_STEPS)
        try:
            yield
        finally:
            if handler is not None:
                handler(None, 0)


class Pending(Generic[T]):
    """A job's result to come, as seen from the main connection's snapshot."""

    def __init__(self, reads: Reads, job: Callable[[Connection], T], future: Future[T]) -> None:
        self._reads = reads
        self._job = job
        self._future = future

    def result(self) -> T:
        value = self._future.result()
        if self._reads.committed_meanwhile():
            return self._job(self._reads.main)  # the job's own snapshot was a later one
        return value


class Reads:
    """`main`: a connection in one read transaction; `submit(job)` runs a job taking a
    Connection side by side where possible. Use as a context manager; nothing is written."""

    main: Connection

    def __init__(self, db: Database, cancel: Cancel | None = None) -> None:
        self._db = db
        self._cancel = cancel
        self._engine = reader_engine(db)
        self._pool: ThreadPoolExecutor | None = None
        self._watch: Any = None  # a DBAPI connection
        self._version: object = None

    def __enter__(self) -> Reads:
        if self._engine is None:
            self.main = self._db.engine.connect()
            if not self._db.is_sqlite:  # one snapshot for every query, and nothing written
                self.main.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            return self
        self._watch = self._engine.raw_connection()
        try:
            self._version = self._data_version()
            self.main = self._engine.connect()
            self.main.exec_driver_sql("BEGIN")  # deferred: a read snapshot, no lock to wait for
            self.main.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1")  # it begins now
        except BaseException:
            self._watch.close()
            raise
        self._pool = ThreadPoolExecutor(max_workers=2)
        return self

    def submit(self, job: Callable[[Connection], T]) -> Pending[T]:
        if self._pool is None:
            done: Future[T] = Future()
            try:
                done.set_result(job(self.main))
            except Exception as error:  # raised from .result(), as from a thread
                done.set_exception(error)
            return Pending(self, job, done)
        return Pending(self, job, self._pool.submit(self._run, job))

    def committed_meanwhile(self) -> bool:
        """Whether another connection committed since the main snapshot began (never true
        where the jobs run on the main connection)."""
        return self._watch is not None and self._data_version() != self._version

    def _data_version(self) -> object:
        cursor = self._watch.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return cursor.fetchone()[0]
        finally:
            cursor.close()

    def _run(self, job: Callable[[Connection], T]) -> T:
        assert self._engine is not None
        with self._engine.connect() as connection:
            if self._cancel is None:
                return job(connection)
            with self._cancel.watching(connection):
                return job(connection)

    def __exit__(self, *exc: object) -> None:
        try:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            self.main.rollback()
        finally:
            self.main.close()
            if self._watch is not None:
                self._watch.close()
