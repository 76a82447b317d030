"""Schema migrations: bring the database to the current schema on every start, cheaply.

`upgrade` runs on every start, so its common case (already at head) reads the
alembic_version row directly and never imports Alembic, a slow import. Alembic is loaded
only when there is work to do, and it is configured here in code: the migration
scripts ship inside the package and no alembic.ini is needed.

A file or database that is not quizdl's (not SQLite at all, damaged, someone else's
tables, a schema from a newer quizdl) is refused with a BadInput that names it and what
was found, and is never modified. For SQLite the look is taken through a read-only
connection of its own, because the engine's connect hook switches the file to WAL mode,
which rewrites its header.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from quizdl.errors import BadInput, QuizdlError
from quizdl.store.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

# Revision ids of the scripts in migrations/versions, oldest first. A test checks them
# against the scripts, so a new revision cannot be added without updating both.
KNOWN_REVISIONS = ("0001_initial_schema", "0002_reviews_outcome_index")
HEAD_REVISION = KNOWN_REVISIONS[-1]

VERSION_TABLE = "alembic_version"
MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
# Tables whose presence marks a database as quizdl's, whatever its revision.
QUIZDL_MARKER_TABLES = frozenset({"profiles", "card_states", "reviews"})
# Key of the PostgreSQL advisory lock that serialises concurrent upgrades (any constant).
UPGRADE_LOCK_KEY = 0x717A646C  # "qzdl"


class UpgradeResult(NamedTuple):
    """The revision before and after an upgrade; `old` is None for a new database."""

    old: str | None
    new: str


@dataclass(frozen=True)
class _Found:
    tables: frozenset[str]
    revision: str | None


def upgrade(database: Database) -> UpgradeResult:
    """Apply every migration up to head; refuse (BadInput) a database that is not quizdl's."""
    old = current(database)
    if old == HEAD_REVISION:
        return UpgradeResult(old, old)
    from alembic import command

    run_alembic(database, lambda config: command.upgrade(config, "head"))
    new = current(database)
    if new != HEAD_REVISION:  # Alembic reported success without reaching head
        raise QuizdlError(f"{describe(database)}: upgrade stopped at revision {new}")
    return UpgradeResult(old, new)


def downgrade(database: Database, revision: str) -> None:
    """Migrate down to `revision` ("base" removes every table of quizdl). For tests and repair."""
    current(database)  # refuses a database that is not quizdl's
    from alembic import command

    run_alembic(database, lambda config: command.downgrade(config, revision))


def current(database: Database) -> str | None:
    """The revision the database is at; None for a new (empty) database."""
    return _classify(database, _look(database))


def is_quizdl_database(database: Database) -> bool:
    """True for a quizdl database, False for an empty one (a new database).
    Anything else raises BadInput, naming the database and what was found in it."""
    return current(database) is not None


def run_alembic(database: Database, action: Callable[[Config], None]) -> None:
    """Run an Alembic command (`action(config)`) on this database, in one transaction.

    On SQLite every transaction begins with BEGIN IMMEDIATE (see db.py), so a migration
    is atomic on both backends, and two processes starting at once on a new database
    queue: the second finds the first one's work done. On PostgreSQL an advisory lock
    does the same. Alembic keeps its context in module globals: call from one thread.
    """
    from alembic.config import Config

    config = Config()
    # Alembic reads options through configparser, which treats '%' as interpolation.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK_KEY}
            )
        config.attributes["connection"] = connection
        action(config)


def describe(database: Database) -> str:
    """The database as a person knows it: a SQLite path, else the URL without password."""
    path = database.file
    if path is not None:
        return str(path)
    return make_url(database.url).render_as_string(hide_password=True)


def _look(database: Database) -> _Found:
    path = database.file
    if path is not None:
        return _look_sqlite_file(path)
    try:
        with database.engine.connect() as connection:
            tables = frozenset(inspect(connection).get_table_names())
            revision = None
            if VERSION_TABLE in tables:
                revision = connection.execute(
                    text(f"SELECT version_num FROM {VERSION_TABLE}")
                ).scalar()
            connection.rollback()
    except DBAPIError as error:
        where, why = describe(database), _first_line(error.orig)
        raise QuizdlError(
            f"cannot read the database {where}: {why}", zh=f"无法读取数据库 {where}：{why}"
        ) from None
    return _Found(tables, revision)


def _look_sqlite_file(path: Path) -> _Found:
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return _Found(frozenset(), None)  # SQLite makes a new database here
    if not path.is_file():
        raise BadInput(
            f"{path}: is not a file, so it cannot be a quizdl database",
            zh=f"{path}：不是文件，所以不可能是 quizdl 数据库",
        )
    # A read-only connection to a WAL database leaves -wal and -shm files behind. With no
    # -wal file there is no live writer and nothing in a log, so the file alone is the
    # database: read it as immutable, which creates nothing and takes no lock. A live
    # writer's log must be read too, through an ordinary read-only connection.
    has_log = path.with_name(path.name + "-wal").exists()
    uri = f"{path.resolve().as_uri()}?{'mode=ro' if has_log else 'immutable=1'}"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise BadInput(
            f"{path}: cannot open it read-only to check it ({error})",
            zh=f"{path}：无法以只读方式打开以检查它（{error}）",
        ) from None
    try:
        tables = frozenset(
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        )
        revision = None
        if VERSION_TABLE in tables:
            row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
            revision = None if row is None else str(row[0])
    except sqlite3.DatabaseError as error:
        raise _explain_unreadable(path, error) from None
    finally:
        connection.close()
    return _Found(tables, revision)


def _explain_unreadable(path: Path, error: sqlite3.DatabaseError) -> BadInput:
    with path.open("rb") as file:
        head = file.read(16)
    if head != b"SQLite format 3\x00":
        return BadInput(
            f"{path}: is not a SQLite database (it starts with {head!r}), so it is not a quizdl "
            "database; it was left untouched. Point --db or QUIZDL_DB_URL at another file.",
            zh=f"{path}：不是 SQLite 数据库（开头是 {head!r}），所以不是 quizdl 数据库；"
            "文件没有被改动。请用 --db 或 QUIZDL_DB_URL 指向另一个文件。",
        )
    return BadInput(
        f"{path}: the SQLite database is damaged ({error}); it was left untouched. "
        "Restore it from a backup (quizdl doctor --restore BACKUP) or move it away to start "
        "afresh.",
        zh=f"{path}：SQLite 数据库已损坏（{error}）；文件没有被改动。"
        "请从备份恢复（quizdl doctor --restore 备份），或把它移走，从头开始。",
    )


def _classify(database: Database, found: _Found) -> str | None:
    others = sorted(found.tables - {VERSION_TABLE})
    if found.revision in KNOWN_REVISIONS:
        return found.revision
    if found.revision is None and not others:
        return None  # empty, or emptied by a downgrade to base
    where = describe(database)
    more = len(others) - 10
    listed = ", ".join(others[:10]) + (f" and {more} more" if more > 0 else "")
    listed_zh = "、".join(others[:10]) + (f" 等另外 {more} 个" if more > 0 else "")
    if found.revision is not None and QUIZDL_MARKER_TABLES <= found.tables:
        raise BadInput(
            f"{where}: the quizdl database is at schema revision {found.revision!r}, which this "
            f"quizdl does not know (its newest is {HEAD_REVISION!r}); it was probably written by "
            "a newer quizdl. Upgrade quizdl; the database was left untouched.",
            zh=f"{where}：这个 quizdl 数据库的结构版本是 {found.revision!r}，本版 quizdl 不认识"
            f"（它最新的是 {HEAD_REVISION!r}），多半是更新版本的 quizdl 写的。请升级 quizdl；"
            "数据库没有被改动。",
        )
    if found.revision is not None:
        what = f"tables {listed} and an Alembic revision {found.revision!r} that is not quizdl's"
        what_zh = f"表 {listed_zh}，以及不属于 quizdl 的 Alembic 版本 {found.revision!r}"
    elif VERSION_TABLE in found.tables:
        what = f"tables {listed} and an empty {VERSION_TABLE} table"
        what_zh = f"表 {listed_zh}，以及空的 {VERSION_TABLE} 表"
    else:
        what = f"tables {listed} and no {VERSION_TABLE} table"
        what_zh = f"表 {listed_zh}，没有 {VERSION_TABLE} 表"
    raise BadInput(
        f"{where}: is not a quizdl database (found {what}); it was left untouched. "
        "Point --db or QUIZDL_DB_URL at another database.",
        zh=f"{where}：不是 quizdl 数据库（其中有{what_zh}）；它没有被改动。"
        "请用 --db 或 QUIZDL_DB_URL 指向另一个数据库。",
    )


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
