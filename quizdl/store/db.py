"""The engine and session factory. No engine is created at import time.

SQLite (the default) runs in WAL mode with foreign keys on and a busy timeout, and
every write transaction starts with BEGIN IMMEDIATE, so that two processes on one
database queue for the write lock instead of failing with "database is locked".
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from quizdl.errors import BadInput
from quizdl.store.location import DB_URL_VARIABLE as DB_URL_VARIABLE
from quizdl.store.location import HOME_VARIABLE as HOME_VARIABLE
from quizdl.store.location import default_url as default_url
from quizdl.store.location import home_dir as home_dir

BUSY_TIMEOUT_MS = 30_000
WAL_AUTOCHECKPOINT_PAGES = 10_000  # 40 MiB with 4 KiB pages


class Database:
    """An engine plus a session factory for one database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise BadInput(
                f"database URL {url!r} is not valid "
                "(expected e.g. sqlite:///path/quizdl.db or postgresql+psycopg://user@host/db)"
            ) from None
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.file = _sqlite_file(url) if self.is_sqlite else None
        """The SQLite database's file, or None (PostgreSQL, in memory, or a `file:` URI)."""
        kwargs: dict[str, Any] = {"echo": echo}
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
        if self.is_sqlite:
            # The driver's own transaction handling is replaced by explicit BEGIN IMMEDIATE.
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None}
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin_immediate)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._checkpointer: _Checkpointer | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        with self.sessions.begin() as session:
            yield session

    def checkpoint(self) -> None:
        """Copy the SQLite write-ahead log into the database file (a passive checkpoint:
        it never waits for, nor blocks, another process). Nothing to do elsewhere."""
        if not self.is_sqlite:
            return
        raw = self.engine.raw_connection()  # outside any transaction, as a checkpoint must be
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            cursor.close()
        finally:
            raw.close()

    def start_checkpointer(self, interval: float = 1.0) -> None:
        """Checkpoint the SQLite log in a background thread while a session runs, so that
        no answer waits for one (sqlite releases the GIL while it copies and syncs)."""
        if self.file is None or self._checkpointer is not None:
            return
        self._checkpointer = _Checkpointer(self.file, interval)
        self._checkpointer.start()

    def stop_checkpointer(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None

    def dispose(self) -> None:
        self.stop_checkpointer()
        self.engine.dispose()


class _Checkpointer(threading.Thread):
    def __init__(self, path: Path, interval: float) -> None:
        super().__init__(name="quizdl-checkpoint", daemon=True)
        self.path = path
        self.interval = interval
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error:
            return
        try:
            while not self._stopped.wait(self.interval):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    continue  # busy or locked: try again at the next tick
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)


def _sqlite_file(url: str) -> Path | None:
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in url:
        return None
    return Path(name).expanduser()


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL: a commit survives a killed process (SIGKILL); only
    # a power cut may lose the last commits. Each commit stays well under a millisecond.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Checkpoints move the WAL into the database file and sync it: ~15 ms each. With the
    # default (every 1,000 pages, ~90 answers) one answer in a hundred would pay for one.
    # A larger window, plus checkpoints at session start and end (Database.checkpoint),
    # keeps them off the path from an answer to the next card.
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
