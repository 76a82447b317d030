"""Opening the database (quizdl.store.opening): a new database is made, an old schema is
backed up and then upgraded, nothing is made or changed when the caller asks so, and what
is not a quizdl database, is damaged, or is locked is refused in plain words, untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from quizdl.errors import BadInput, QuizdlError
from quizdl.lang import Said
from quizdl.store import backup, db, migrate
from quizdl.store.db import Database
from quizdl.store.opening import open_database
from tests.store.test_migrations import REFUSED_FILES, folder_bytes, refused_home

T0 = datetime(2026, 11, 26, 9, 30, 15, tzinfo=UTC)
OLDER = migrate.KNOWN_REVISIONS[-2]


def add_profile(database: Database, name: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO profiles (name, settings, created_at) VALUES (:n, '{}', :t)"),
            {"n": name, "t": T0.replace(tzinfo=None)},
        )


def make_older(url: str) -> None:
    """A quizdl database with one profile, one revision behind this quizdl's schema."""
    database = Database(url)
    try:
        migrate.upgrade(database)
        add_profile(database, "ada")
        migrate.downgrade(database, OLDER)
    finally:
        database.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_database_is_made_at_head(database_url: str, tmp_path: Path) -> None:
    notes: list[Said] = []
    opened = open_database(database_url, now=T0, notify=notes.append)
    try:
        assert opened.is_new and opened.revision_before is None and opened.backup is None
        assert migrate.current(opened.database) == migrate.HEAD_REVISION
    finally:
        opened.database.dispose()
    assert notes == [] and not (tmp_path / "backups").exists()
    again = open_database(database_url, now=T0, notify=notes.append)
    again.database.dispose()
    assert not again.is_new and again.revision_before == migrate.HEAD_REVISION


def test_create_false_makes_no_database(tmp_path: Path) -> None:
    path = tmp_path / "home" / "quizdl.db"
    opened = open_database(f"sqlite:///{path}", create=False)
    opened.database.dispose()
    assert opened.is_new and not path.exists()


def test_an_old_schema_is_backed_up_then_upgraded(database_url: str, tmp_path: Path) -> None:
    make_older(database_url)
    notes: list[Said] = []
    opened = open_database(database_url, now=T0, notify=notes.append)
    try:
        assert opened.revision_before == OLDER and not opened.is_new
        assert migrate.current(opened.database) == migrate.HEAD_REVISION
        sqlite = opened.database.is_sqlite
    finally:
        opened.database.dispose()
    if not sqlite:  # PostgreSQL: the administrator's job, and the learner is told so
        assert opened.backup is None and len(notes) == 1 and "pg_dump" in str(notes[0])
        return
    made = opened.backup
    assert made is not None and made.name == "quizdl-20261126-093015-pre-migration.db"
    assert [str(note) for note in notes] == [
        f"backed up {tmp_path / 'quizdl.db'} to {made} before upgrading its schema"
    ]
    copy = sqlite3.connect(f"{made.as_uri()}?mode=ro", uri=True)
    try:  # the backup is the database as it was before the upgrade
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [(OLDER,)]
        assert copy.execute("SELECT name FROM profiles").fetchall() == [("ada",)]
    finally:
        copy.close()
    again = open_database(database_url, now=T0, notify=notes.append)  # at head: no backup
    again.database.dispose()
    assert again.backup is None and len(backup.list_backups(tmp_path / "quizdl.db")) == 1


def test_upgrade_false_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "quizdl.db"
    make_older(f"sqlite:///{path}")
    before = folder_bytes(tmp_path)
    opened = open_database(f"sqlite:///{path}", upgrade=False, now=T0)
    opened.database.dispose()
    assert opened.revision_before == OLDER and opened.backup is None
    assert folder_bytes(tmp_path) == before


@pytest.mark.parametrize("case", REFUSED_FILES, ids=list(REFUSED_FILES))
def test_what_is_not_a_quizdl_database_is_refused_untouched(case: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    path, expected, before = refused_home(case, folder)
    for create, upgrade in ((True, True), (False, True), (True, False)):
        with pytest.raises(BadInput) as refused:
            open_database(f"sqlite:///{path}", create=create, upgrade=upgrade, now=T0)
        assert str(refused.value).startswith(f"{path}: ")
        assert expected in str(refused.value) and "left untouched" in str(refused.value)
    assert folder_bytes(folder) == before  # no backup, no -wal or -shm file either


def test_a_locked_database_is_said_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "quizdl.db"
    make_older(f"sqlite:///{path}")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)  # wait 0.2 s for the lock, not 30 s
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(QuizdlError) as caught:
            open_database(f"sqlite:///{path}", now=T0, notify=lambda _: None)
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert "locked by another program" in str(caught.value)
    assert caught.value.exit_code == 1 and not isinstance(caught.value, BadInput)
    database = Database(f"sqlite:///{path}")
    try:
        assert migrate.current(database) == OLDER  # not upgraded, not half-upgraded
    finally:
        database.dispose()
