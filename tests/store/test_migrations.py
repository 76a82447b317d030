"""Migrations: an empty database reaches head, models and migrations agree on both
backends, the round trip down and up works, and what is not a quizdl database is
refused without a byte of it changing."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from quizdl.errors import BadInput, QuizdlError
from quizdl.store import migrate
from quizdl.store.db import Database
from quizdl.store.migrate import HEAD_REVISION, KNOWN_REVISIONS, MIGRATIONS_DIR
from quizdl.store.models import Base

if TYPE_CHECKING:
    from tests.conftest import PostgresServer

QUIZDL_TABLES = set(Base.metadata.tables)


def table_names(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def schema_differences(database: Database) -> list[Any]:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its content: equal before and after means nothing
    was modified, and no file (such as a -wal or -shm) was added or removed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_empty_database_is_upgraded_to_head(empty_database: Database) -> None:
    assert migrate.current(empty_database) is None
    assert not migrate.is_quizdl_database(empty_database)
    assert migrate.upgrade(empty_database) == (None, HEAD_REVISION)
    assert migrate.current(empty_database) == HEAD_REVISION
    assert migrate.is_quizdl_database(empty_database)
    assert table_names(empty_database) == QUIZDL_TABLES | {"alembic_version"}


def test_upgrade_at_head_changes_nothing(database: Database) -> None:
    assert migrate.upgrade(database) == (HEAD_REVISION, HEAD_REVISION)
    with database.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [row[0] for row in versions] == [HEAD_REVISION]


def test_known_revisions_are_the_scripts_in_order() -> None:
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    assert scripts.get_heads() == [HEAD_REVISION]
    oldest_first = [script.revision for script in reversed(list(scripts.walk_revisions()))]
    assert oldest_first == list(KNOWN_REVISIONS)


def test_models_and_migrations_agree(database: Database) -> None:
    assert schema_differences(database) == []


def test_constraint_and_index_names_are_the_models(database: Database) -> None:
    # compare_metadata matches constraints by their columns; the names matter too, since
    # later migrations drop and alter constraints by name.
    def model_names(table: str) -> set[str]:
        model = Base.metadata.tables[table]
        return {str(c.name) for c in model.constraints} | {str(i.name) for i in model.indexes}

    def database_names(table: str) -> set[str]:
        with database.engine.connect() as connection:
            found = inspect(connection)
            names = {found.get_pk_constraint(table)["name"]}
            names |= {fk["name"] for fk in found.get_foreign_keys(table)}
            names |= {uq["name"] for uq in found.get_unique_constraints(table)}
            # PostgreSQL also lists the index behind a unique constraint.
            names |= {ix["name"] for ix in found.get_indexes(table)}
            return {str(name) for name in names}

    for table in sorted(QUIZDL_TABLES):
        assert database_names(table) == model_names(table), table


def test_downgrade_to_base_then_upgrade_again(database: Database) -> None:
    migrate.downgrade(database, "base")
    assert table_names(database) == {"alembic_version"}
    assert migrate.current(database) is None
    assert migrate.upgrade(database) == (None, HEAD_REVISION)
    assert schema_differences(database) == []


def test_a_failed_migration_leaves_nothing_behind(empty_database: Database) -> None:
    # Migrations run in one transaction on both backends (BEGIN IMMEDIATE on SQLite).
    def upgrade_then_fail(config: Config) -> None:
        command.upgrade(config, "head")
        raise RuntimeError("interrupted after the last migration")

    with pytest.raises(RuntimeError, match="interrupted"):
        migrate.run_alembic(empty_database, upgrade_then_fail)
    assert table_names(empty_database) == set()
    assert migrate.current(empty_database) is None


def test_a_database_at_head_is_checked_without_importing_alembic(database: Database) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from quizdl.store import migrate
        from quizdl.store.db import Database
        result = migrate.upgrade(Database({database.url!r}))
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "alembic")
        print(result.old, result.new, loaded)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [HEAD_REVISION, HEAD_REVISION, "[]"]


def test_processes_starting_at_once_on_a_new_database_all_succeed(
    database_url: str, tmp_path: Path
) -> None:
    # Each process waits for the signal file, so that their upgrades overlap.
    go = tmp_path / "go"
    code = textwrap.dedent(
        f"""
        import pathlib, time
        from quizdl.store import migrate
        from quizdl.store.db import Database
        database = Database({database_url!r})
        while not pathlib.Path({str(go)!r}).exists():
            time.sleep(0.005)
        print(migrate.upgrade(database).new)
        """
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    go.touch()
    outputs = [process.communicate(timeout=120)[0].split() for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0]
    assert outputs == [[HEAD_REVISION]] * 3
    database = Database(database_url)
    try:
        assert migrate.current(database) == HEAD_REVISION
        assert schema_differences(database) == []
    finally:
        database.dispose()


# --- what is not a quizdl database (SQLite files) -------------------------------------


def write_bytes(content: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(content)

    return make


def other_application_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO notes (body) VALUES ('not quizdl''s')")
    connection.close()


def other_alembic_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('a1b2c3d4e5f6')")
    connection.close()


def quizdl_tables_without_version(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()


def changed_quizdl_database(change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        database = Database(f"sqlite:///{path}")
        migrate.upgrade(database)
        database.dispose()
        path.write_bytes(change(path.read_bytes()))

    return make


def from_newer_quizdl(path: Path) -> None:
    changed_quizdl_database(lambda content: content)(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()


def page_one_overwritten(content: bytes) -> bytes:
    # Keep the 100-byte header, so it still looks like SQLite; scramble the schema table.
    page_size = int.from_bytes(content[16:18], "big")
    garbage = bytes((index * 37 + 11) % 256 for index in range(page_size - 100))
    return content[:100] + garbage + content[page_size:]


REFUSED_FILES = {
    "text file": (write_bytes(b"these are my study notes\n" * 40), "is not a SQLite database"),
    "png image": (write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)), "is not a SQLite database"),
    "another application's database": (
        other_application_database,
        "is not a quizdl database (found tables notes and no alembic_version table)",
    ),
    "another application's alembic database": (
        other_alembic_database,
        "is not a quizdl database (found tables users and an Alembic revision 'a1b2c3d4e5f6'",
    ),
    "quizdl tables made without migrations": (
        quizdl_tables_without_version,
        "is not a quizdl database (found tables card_states, profiles, reviews, study_sessions "
        "and no alembic_version table)",
    ),
    "database from a newer quizdl": (from_newer_quizdl, "'9999_from_the_future', which this"),
    "damaged: truncated in the middle": (
        changed_quizdl_database(lambda content: content[: len(content) // 2]),
        "the SQLite database is damaged",
    ),
    "damaged: schema page overwritten": (
        changed_quizdl_database(page_one_overwritten),
        "the SQLite database is damaged",
    ),
}


def refused_home(case: str, folder: Path) -> tuple[Path, str, dict[str, bytes]]:
    """A new `folder` holding quizdl.db made as REFUSED_FILES[case] says: the file, the
    words its refusal must hold, and the folder's bytes before anything opened it."""
    make, expected = REFUSED_FILES[case]
    folder.mkdir()
    path = folder / "quizdl.db"
    make(path)
    return path, expected, folder_bytes(folder)


@pytest.mark.parametrize("case", REFUSED_FILES, ids=list(REFUSED_FILES))
def test_what_is_not_a_quizdl_database_is_refused_untouched(case: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    path, expected, before = refused_home(case, folder)
    assert list(before) == ["quizdl.db"]
    database = Database(f"sqlite:///{path}")
    try:
        for check in (migrate.upgrade, migrate.current, migrate.is_quizdl_database):
            with pytest.raises(BadInput) as refused:
                check(database)
            assert str(refused.value).startswith(f"{path}: ")
            assert expected in str(refused.value)
            assert "left untouched" in str(refused.value)
            assert refused.value.exit_code == 2
    finally:
        database.dispose()
    assert folder_bytes(folder) == before


@pytest.mark.parametrize("case", REFUSED_FILES, ids=list(REFUSED_FILES))
def test_the_refusal_is_said_in_chinese_too(case: str, tmp_path: Path) -> None:
    path, _, _ = refused_home(case, tmp_path / "data")
    database = Database(f"sqlite:///{path}")
    try:
        with pytest.raises(BadInput) as refused:
            migrate.current(database)
    finally:
        database.dispose()
    chinese = refused.value.said("zh")
    assert chinese.startswith(f"{path}：") and "没有被改动" in chinese
    assert not re.search(r"left untouched|Point --db|Restore it|written by", chinese), chinese
    assert refused.value.said("en") == str(refused.value)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="is not a file"):
        migrate.upgrade(Database(f"sqlite:///{tmp_path}"))


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "quizdl.db"
    path.touch()
    database = Database(f"sqlite:///{path}")
    try:
        assert migrate.upgrade(database) == (None, HEAD_REVISION)
    finally:
        database.dispose()


def test_missing_folders_are_created(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'new' / 'home' / 'quizdl.db'}")
    try:
        assert migrate.upgrade(database) == (None, HEAD_REVISION)
    finally:
        database.dispose()


def test_paths_with_spaces_and_uri_characters_work(tmp_path: Path) -> None:
    # The read-only look opens the file through a file: URI, where these mean something.
    # ('?' cannot be tested: a SQLAlchemy URL takes what follows it as the query.)
    path = tmp_path / "my notes #1 50% & more" / "quizdl.db"
    database = Database(f"sqlite:///{path}")
    try:
        assert migrate.upgrade(database) == (None, HEAD_REVISION)
        assert path.is_file()
        database.dispose()
        assert migrate.upgrade(database) == (HEAD_REVISION, HEAD_REVISION)
    finally:
        database.dispose()


def test_an_in_memory_database_is_upgraded() -> None:
    database = Database("sqlite://")
    try:
        assert migrate.upgrade(database) == (None, HEAD_REVISION)
        assert migrate.upgrade(database) == (HEAD_REVISION, HEAD_REVISION)
        assert schema_differences(database) == []
    finally:
        database.dispose()


def test_check_reads_a_database_another_process_is_writing(quizdl_sqlite_file: Path) -> None:
    # The read-only look must see committed work still in the WAL file of a live writer.
    url = f"sqlite:///{quizdl_sqlite_file}"
    writer = Database(url)
    try:
        with writer.engine.connect() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'written_in_wal'"))
            connection.commit()
            assert (quizdl_sqlite_file.parent / "quizdl.db-wal").exists()
            with pytest.raises(BadInput, match="'written_in_wal'"):
                migrate.current(Database(url))
    finally:
        writer.dispose()


# --- what is not a quizdl database (PostgreSQL) ---------------------------------------


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_another_applications_postgresql_database_is_refused_untouched(
    empty_database: Database,
) -> None:
    with empty_database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT)"))
        connection.execute(text("INSERT INTO notes (body) VALUES ('not quizdl''s')"))
    with pytest.raises(BadInput) as refused:
        migrate.upgrade(empty_database)
    message = str(refused.value)
    assert "is not a quizdl database (found tables notes and no alembic_version table)" in message
    url = make_url(empty_database.url)
    assert message.startswith(url.render_as_string(hide_password=True) + ": ")
    assert str(url.password) not in message
    assert table_names(empty_database) == {"notes"}
    with empty_database.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, body FROM notes")).all()
    assert [tuple(row) for row in rows] == [(1, "not quizdl's")]


def test_a_database_from_a_newer_quizdl_is_refused_untouched(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(BadInput, match=r"probably written by a newer quizdl"):
        migrate.upgrade(database)
    with pytest.raises(BadInput, match=r"probably written by a newer quizdl"):
        migrate.downgrade(database, "base")
    assert table_names(database) == QUIZDL_TABLES | {"alembic_version"}
    with database.engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "9999_future"


def test_an_unreachable_postgresql_database_is_a_clear_error(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.url.set(database="quizdl_no_such_database")
    database = Database(url.render_as_string(hide_password=False))
    try:
        with pytest.raises(QuizdlError) as failed:
            migrate.upgrade(database)
    finally:
        database.dispose()
    message = str(failed.value)
    assert message.startswith(f"cannot read the database {url.render_as_string()}: ")
    assert "quizdl_no_such_database" in message.split(": ", 1)[1]
    assert str(url.password) not in message
