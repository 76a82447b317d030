"""The engine and session factory. No engine is created at import time.

SQLite (the default) runs in WAL mode with foreign keys on and a busy timeout, and
every write transaction starts with BEGIN IMMEDIATE, so that two processes on one
database queue for the write lock instead of failing with "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from quizdl.errors import BadInput

DB_URL_VARIABLE = "QUIZDL_DB_URL"
HOME_VARIABLE = "QUIZDL_HOME"
BUSY_TIMEOUT_MS = 30_000


def home_dir() -> Path:
    """QUIZDL_HOME, else the platform's user data folder."""
    configured = os.environ.get(HOME_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("quizdl", appauthor=False)


def default_url(explicit: str | None = None) -> str:
    """--db, else QUIZDL_DB_URL, else SQLite at $QUIZDL_HOME/quizdl.db."""
    url = explicit or os.environ.get(DB_URL_VARIABLE)
    if url:
        return url
    return f"sqlite:///{home_dir() / 'quizdl.db'}"


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
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            path = parsed.database
            if path and path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            # The driver's own transaction handling is replaced by explicit BEGIN IMMEDIATE.
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None}
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin_immediate)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        with self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL: a commit survives a killed process (SIGKILL); only
    # a power cut may lose the last commits. Each commit stays well under a millisecond.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
