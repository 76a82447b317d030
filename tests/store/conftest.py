"""Fixtures of the store tests. The database fixtures every folder uses (database,
empty_database, database_url, postgres_server) are in tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizdl.store import migrate
from quizdl.store.db import Database


@pytest.fixture
def quizdl_sqlite_file(tmp_path: Path) -> Path:
    """A SQLite quizdl database at head, closed (no -wal or -shm file left beside it)."""
    path = tmp_path / "made" / "quizdl.db"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    database.dispose()
    assert sorted(p.name for p in path.parent.iterdir()) == ["quizdl.db"]
    return path
