"""Backups: names, contents, consistency under a live writer, pruning, the pre-migration
and daily hooks, the configuration, and PostgreSQL's no-op."""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizdl.clock import Clock
from quizdl.errors import BadInput
from quizdl.lang import Said
from quizdl.store import backup, migrate
from quizdl.store.db import Database

T0 = datetime(2026, 11, 26, 9, 30, 15, tzinfo=UTC)
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def rows(
    path: Path, sql: str = "SELECT name FROM profiles ORDER BY id"
) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def add_profile(database: Database, name: str) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO profiles (name, settings, created_at) VALUES (?, '{}', ?)",
            (name, T0.replace(tzinfo=None)),
        )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@SQLITE_ONLY
def test_a_backup_is_a_checked_single_file_copy(database: Database, tmp_path: Path) -> None:
    add_profile(database, "ada")
    made = backup.make_backup(database, "manual", now=T0)
    assert made == tmp_path / "backups" / "quizdl-20261126-093015-manual.db"
    assert rows(made) == [("ada",)]
    assert rows(made, "PRAGMA journal_mode") == [("delete",)]
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]  # no -wal, no .part
    (listed,) = backup.list_backups(tmp_path / "quizdl.db")
    assert (listed.path, listed.taken_at, listed.reason) == (
        made,
        T0.replace(microsecond=0),
        "manual",
    )


@SQLITE_ONLY
def test_an_uncommitted_write_is_not_in_the_backup(database: Database) -> None:
    add_profile(database, "ada")
    path = database.file
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO profiles (name, settings, created_at) VALUES ('bob', '{}', '2026-01-01')"
        )
        made = backup.make_backup(database, None, now=T0)  # while the write lock is held
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert made is not None and made.name == "quizdl-20261126-093015.db"
    assert rows(made) == [("ada",)]
    assert rows(path) == [("ada",), ("bob",)]


@SQLITE_ONLY
def test_backups_under_a_busy_writer_hold_whole_transactions(database: Database) -> None:
    path = database.file
    assert path is not None
    batch, stop, started = 7, threading.Event(), threading.Event()

    def write() -> None:
        connection = sqlite3.connect(path, isolation_level=None, timeout=30)
        n = 0
        while not stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            for _ in range(batch):
                n += 1
                connection.execute(
                    "INSERT INTO profiles (name, settings, created_at) "
                    "VALUES (?, '{}', '2026-01-01')",
                    (f"p{n}",),
                )
            connection.execute("COMMIT")
            started.set()
        connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    assert started.wait(10)
    try:
        made = [
            backup.make_backup(database, "busy", now=T0 + timedelta(seconds=i), keep=None)
            for i in range(8)
        ]
    finally:
        stop.set()
        thread.join()
    counts = [rows(m, "SELECT count(*) FROM profiles")[0][0] for m in made if m is not None]
    assert len(counts) == 8 and counts[0] > 0
    assert all(isinstance(c, int) and c % batch == 0 for c in counts)  # never half a batch
    assert all(rows(m, "PRAGMA integrity_check") == [("ok",)] for m in made if m is not None)


@SQLITE_ONLY
def test_only_the_newest_backups_are_kept(database: Database, tmp_path: Path) -> None:
    db_file = tmp_path / "quizdl.db"
    for hour in range(12):
        backup.make_backup(database, "daily", now=T0 + timedelta(hours=hour))
    kept = backup.list_backups(db_file)
    assert len(kept) == backup.DEFAULT_KEEP
    assert kept[0].taken_at == (T0 + timedelta(hours=2)).replace(microsecond=0)
    backup.make_backup(database, "daily", now=T0 + timedelta(hours=12), keep=3)
    assert [b.taken_at.hour for b in backup.list_backups(db_file)] == [19, 20, 21]


@SQLITE_ONLY
def test_two_backups_in_one_second_both_survive(database: Database, tmp_path: Path) -> None:
    first = backup.make_backup(database, "daily", now=T0)
    second = backup.make_backup(database, "daily", now=T0)
    assert first is not None and second is not None and first != second
    assert len(backup.list_backups(tmp_path / "quizdl.db")) == 2


def test_databases_sharing_a_folder_keep_their_own_backups(tmp_path: Path) -> None:
    one, two = (
        Database(f"sqlite:///{tmp_path / 'one.db'}"),
        Database(f"sqlite:///{tmp_path / 'two.db'}"),
    )
    try:
        for database in (one, two):
            migrate.upgrade(database)
            for minute in range(3):
                backup.make_backup(database, "daily", now=T0 + timedelta(minutes=minute), keep=2)
        assert [b.path.name[:4] for b in backup.list_backups(tmp_path / "one.db")] == ["one-"] * 2
        assert [b.path.name[:4] for b in backup.list_backups(tmp_path / "two.db")] == ["two-"] * 2
    finally:
        one.dispose()
        two.dispose()


def test_keep_comes_from_config_toml(tmp_path: Path) -> None:
    assert backup.load_keep(tmp_path) == backup.DEFAULT_KEEP
    config = tmp_path / "config.toml"
    config.write_text('[app]\ntheme = "x"\n[backup]\nkeep = 3\n', encoding="utf-8")
    assert backup.load_keep(tmp_path) == 3
    for bad in ("0", '"ten"', "true"):
        config.write_text(f"[backup]\nkeep = {bad}\n", encoding="utf-8")
        with pytest.raises(BadInput, match=r"config\.toml: backup\.keep must be a whole number"):
            backup.load_keep(tmp_path)


@SQLITE_ONLY
def test_a_pending_migration_is_preceded_by_a_backup(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_profile(database, "ada")
    notes: list[Said] = []
    assert backup.backup_before_upgrade(database, now=T0, notify=notes.append) is None  # at head
    # A newer quizdl: one more revision than this database has.
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0002_future")
    made = backup.backup_before_upgrade(database, now=T0, keep=5, notify=notes.append)
    assert made is not None and made.name == "quizdl-20261126-093015-pre-migration.db"
    assert rows(made) == [("ada",)]
    db_file = tmp_path / "quizdl.db"
    assert notes == [
        Said(
            f"backed up {db_file} to {made} before upgrading its schema",
            f"升级 {db_file} 的数据库结构之前，已把它备份到 {made}",
        )
    ]


def test_no_backup_of_a_new_database(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'quizdl.db'}")
    try:
        assert backup.backup_before_upgrade(database, now=T0) is None
        assert backup.daily_backup(database, clock=Clock(fixed=T0)) is None  # no file yet
    finally:
        database.dispose()
    assert not (tmp_path / "backups").exists()


def test_a_file_that_is_not_quizdls_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "quizdl.db"
    path.write_bytes(b"not a database, just some notes\n" * 50)
    before = digest(path)
    database = Database(f"sqlite:///{path}")
    try:
        with pytest.raises(BadInput, match="is not a SQLite database"):
            backup.backup_before_upgrade(database, now=T0)
    finally:
        database.dispose()
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quizdl.db"]


@SQLITE_ONLY
def test_one_daily_backup_per_study_day(database: Database, tmp_path: Path) -> None:
    db_file = tmp_path / "quizdl.db"
    morning = Clock(UTC, 4, fixed=datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    first = backup.daily_backup(database, clock=morning)
    assert first is not None and first.name.endswith("-daily.db")
    later = Clock(UTC, 4, fixed=datetime(2026, 11, 27, 3, 59, tzinfo=UTC))  # same study day
    assert backup.daily_backup(database, clock=later) is None
    next_day = Clock(UTC, 4, fixed=datetime(2026, 11, 27, 4, 0, tzinfo=UTC))
    assert backup.daily_backup(database, clock=next_day) is not None
    assert len(backup.list_backups(db_file)) == 2


@SQLITE_ONLY
def test_open_study_backs_up_once_a_day(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizdl.commands.common import open_study

    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("QUIZDL_NOW", "2026-11-26T09:00:00+00:00")
    monkeypatch.setenv("TZ", "UTC")
    args = argparse.Namespace(db=database.url, content=[], lang="en", profile="default")
    open_study(args).db.dispose()
    open_study(args).db.dispose()
    (made,) = backup.list_backups(tmp_path / "quizdl.db")
    assert made.reason == "daily"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_backups_are_the_administrators_job(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes: list[Said] = []
    assert backup.make_backup(database, "manual", now=T0) is None
    assert backup.daily_backup(database, clock=Clock(fixed=T0)) is None
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0002_future")
    assert backup.backup_before_upgrade(database, now=T0, notify=notes.append) is None
    (note,) = notes
    assert "pg_dump" in note.en and "pg_dump" in note.zh and "PostgreSQL 数据库" in note.zh
