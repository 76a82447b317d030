"""Fixtures shared by every test folder.

Databases: a test that asks for one gets a new database of its own, on SQLite and on
PostgreSQL (the fixtures are parametrized over both, ids `sqlite` and `postgresql`), so
tests may run in parallel (pytest -n auto):

    database        a quizdl.store.db.Database upgraded to the head revision (what the app uses)
    empty_database  a Database on a new, empty database (for migration tests)
    database_url    the URL of the new database (nothing created in it yet)

The Database is disposed and the PostgreSQL database dropped after the test.

PostgreSQL comes from QUIZDL_TEST_PG_URL, a URL whose role may CREATE DATABASE
(`bash .ci/postgres.sh start DIR` starts a throwaway cluster and prints one; .ci/run
does this). When it is unset the PostgreSQL cases are skipped, except with CI=true,
where they fail: CI must never pass without them.

To run a test on one backend only:
    @pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from quizdl.store import migrate
from quizdl.store.db import Database

PG_URL_VARIABLE = "QUIZDL_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


DROP_ATTEMPTS = 10


class PostgresServer:
    """A PostgreSQL server on which each test gets a database of its own."""

    def __init__(self, url: URL) -> None:
        self.url = url
        # AUTOCOMMIT: CREATE/DROP DATABASE cannot run inside a transaction.
        self.admin: Engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"quizdl_test_{uuid.uuid4().hex[:16]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        for attempt in range(DROP_ATTEMPTS):
            try:
                with self.admin.connect() as connection:
                    # FORCE (PostgreSQL 13+) ends connections a test may have left open.
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except DBAPIError:
                # An autovacuum worker on the database cannot be ended by a role without
                # pg_signal_backend (CI's cluster runs without autovacuum; a developer's
                # server may not): it is gone in a moment.
                if attempt == DROP_ATTEMPTS - 1:
                    raise
                time.sleep(0.5)


def _postgres_unavailable(reason: str) -> NoReturn:
    if running_in_ci():
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    raw = os.environ.get(PG_URL_VARIABLE, "").strip()
    if not raw:
        _postgres_unavailable(
            f"{PG_URL_VARIABLE} is not set; run `bash .ci/postgres.sh start DIR` and export "
            "the URL it prints to run the PostgreSQL cases"
        )
    try:
        url = make_url(raw)
    except ArgumentError:
        pytest.fail(f"{PG_URL_VARIABLE}={raw!r} is not a database URL", pytrace=False)
    server = PostgresServer(url)
    safe = url.render_as_string(hide_password=True)
    try:
        with server.admin.connect() as connection:
            may_create = connection.execute(
                text("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
            ).scalar()
    except DBAPIError as error:
        # The variable asks for PostgreSQL: an unreachable server is an error, never a skip.
        pytest.fail(f"{PG_URL_VARIABLE}: cannot connect to {safe}: {error.orig}", pytrace=False)
    if not may_create:
        pytest.fail(f"{PG_URL_VARIABLE}: the role of {safe} may not CREATE DATABASE", pytrace=False)
    yield server
    server.admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'quizdl.db'}"
        return
    if backend != "postgresql":
        raise ValueError(f"unknown database backend {backend!r} (expected one of {BACKENDS})")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def empty_database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def database(empty_database: Database) -> Database:
    migrate.upgrade(empty_database)
    return empty_database


@pytest.fixture(autouse=True, scope="session")
def _content_cache_in_a_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The validated-content cache goes to a temporary folder, never the user's cache.
    Subprocesses inherit the variable."""
    previous = os.environ.get("QUIZDL_CACHE_DIR")
    os.environ["QUIZDL_CACHE_DIR"] = str(tmp_path_factory.mktemp("kb-cache"))
    yield
    if previous is None:
        os.environ.pop("QUIZDL_CACHE_DIR", None)
    else:
        os.environ["QUIZDL_CACHE_DIR"] = previous
