"""Fixtures of the stats tests: a History on a new database (SQLite and PostgreSQL, from the
`database` fixture of tests/conftest.py) and a clock fixed at NOW."""

from __future__ import annotations

import pytest
from stats_history import NOW, History

from quizdl.clock import Clock
from quizdl.store.db import Database


@pytest.fixture
def history(database: Database) -> History:
    return History(database)


@pytest.fixture
def clock() -> Clock:
    """Fixed at NOW; the zone and rollover come from the profile (Europe/Berlin, 04:00)."""
    return Clock(fixed=NOW)
