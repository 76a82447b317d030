"""Run independent aggregates of one report at the same time, on SQLite.

The three big aggregates of the stats (one pass over the cards, the interval pass, the
per-day counts over the review log) do not depend on each other, and SQLite releases the GIL
while it steps a query, so on a machine with several cores they can run side by side.

The extra connections come from a second engine on the same file without quizdl's
BEGIN IMMEDIATE hook: in autocommit mode each SELECT reads from its own snapshot, without
taking or waiting for the write lock. They still see exactly the state the main connection
sees: that connection has begun with BEGIN IMMEDIATE, so no other writer can commit until
the report is done.

Anything else (PostgreSQL, an in-memory SQLite database, which a second connection would
not share) runs the jobs one after the other on the main connection.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from quizdl.store.db import BUSY_TIMEOUT_MS, Database

T = TypeVar("T")

# One engine per database URL (the last few). NullPool: an engine holds no open connection.
_ENGINES: dict[str, Engine] = {}
_MAX_ENGINES = 8


def reader_engine(db: Database) -> Engine | None:
    """A hook-free engine for side-by-side reads, or None where they are not possible."""
    if not db.is_sqlite:
        return None
    path = make_url(db.url).database
    if not path or path == ":memory:" or "mode=memory" in db.url:
        return None
    engine = _ENGINES.get(db.url)
    if engine is None:
        connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None}
        engine = create_engine(db.url, poolclass=NullPool, connect_args=connect_args)
        while len(_ENGINES) >= _MAX_ENGINES:
            _ENGINES.pop(next(iter(_ENGINES))).dispose()
        _ENGINES[db.url] = engine
    return engine


class Readers:
    """Submit jobs taking a Connection; each job's result comes back from its Future.

    Use as a context manager around the work of the main connection."""

    def __init__(self, db: Database, main: Connection) -> None:
        self._engine = reader_engine(db)
        self._main = main
        self._pool = ThreadPoolExecutor(max_workers=2) if self._engine is not None else None

    def submit(self, job: Callable[[Connection], T]) -> Future[T]:
        if self._pool is None:
            done: Future[T] = Future()
            try:
                done.set_result(job(self._main))
            except Exception as error:  # raised from .result(), as from a thread
                done.set_exception(error)
            return done
        return self._pool.submit(self._run, job)

    def _run(self, job: Callable[[Connection], T]) -> T:
        assert self._engine is not None
        with self._engine.connect() as connection:
            return job(connection)

    def __enter__(self) -> Readers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
