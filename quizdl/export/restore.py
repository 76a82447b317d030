"""`quizdl restore FILE`: rebuild a database from a JSON backup, all or nothing.

Into an empty home the rows go in as they are, ids included, so that exporting the
restored database gives the backup again byte for byte. Into a home that holds data the
restore refuses, unless asked to merge (`merge=True`, see restore_merge).

Order of work, so that a bad file or a refused home changes nothing: the header is
checked, then the home is looked at (read only), then the whole file is read and every
value checked, and only then is the database written, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Insert, String, bindparam, func, insert, select, text

from quizdl.errors import BadInput
from quizdl.export.backup_reader import NOTHING_CHANGED, BackupReader
from quizdl.export.backup_schema import TABLES, TableSpec
from quizdl.export.progress import Progress
from quizdl.export.rawsql import FromIsoUtc, JsonText, ReadSnapshot
from quizdl.store import migrate
from quizdl.store.db import Database

PARAM = "v_"  # prefix of the insert parameters (a column's own name is reserved by SQLAlchemy)


@dataclass
class RestoreReport:
    merged: bool
    # per table: rows inserted; for a merge also rows updated and rows already there
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def restore(
    database: Database, path: Path, *, merge: bool = False, progress: Progress | None = None
) -> RestoreReport:
    progress = progress or Progress(False)
    reader = BackupReader(path)
    existing = home_contents(database)
    if any(existing.values()) and not merge:
        held = ", ".join(f"{n:,} {name}" for name, n in existing.items() if n)
        raise BadInput(
            f"{migrate.describe(database)} already holds data ({held}); restore into an empty "
            f"home, or pass --merge to merge the backup into it; {NOTHING_CHANGED}"
        )
    for part in reader.tables():  # every value checked before anything is written
        progress.stage(f"check {part.spec.name}", part.count)
        for block in part.blocks:
            progress.advance(len(block.rows))
    migrate.upgrade(database)
    with database.transaction() as session:
        connection = session.connection()
        if merge and any(home_contents_in(connection).values()):
            from quizdl.export.restore_merge import Merger

            report = Merger(connection).run(reader, progress)
        else:
            if any(home_contents_in(connection).values()):  # data arrived meanwhile
                raise BadInput(
                    f"{migrate.describe(database)} received data while the backup was "
                    f"checked; {NOTHING_CHANGED}"
                )
            report = _restore_into_empty(connection, reader, progress)
    progress.close()
    return report


def home_contents(database: Database) -> dict[str, int]:
    """Rows per table in the home's database (all zero for a new or empty one); read only."""
    if migrate.current(database) is None:
        return {spec.name: 0 for spec in TABLES}
    with ReadSnapshot(database) as snapshot:
        return {
            spec.name: int(snapshot.scalar(select(func.count()).select_from(spec.table)))
            for spec in TABLES
        }


def home_contents_in(connection: Connection) -> dict[str, int]:
    return {
        spec.name: int(
            connection.execute(select(func.count()).select_from(spec.table)).scalar_one()
        )
        for spec in TABLES
    }


def insert_statement(spec: TableSpec, *, with_id: bool = True) -> Insert:
    """INSERT of one row from checked backup values: times as ISO text and JSON as text,
    both converted by the database, so the stored values are those that were exported."""
    values: dict[str, Any] = {}
    for column in spec.columns:
        if column.name == "id" and not with_id:
            continue
        if column.kind in ("time", "json"):
            param = bindparam(PARAM + column.name, type_=String())
            values[column.name] = (FromIsoUtc if column.kind == "time" else JsonText)(param)
        else:
            values[column.name] = bindparam(
                PARAM + column.name, type_=spec.table.c[column.name].type
            )
    return insert(spec.table).values(values)


def as_params(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{PARAM + name: value for name, value in row.items()} for row in rows]


def _restore_into_empty(
    connection: Connection, reader: BackupReader, progress: Progress
) -> RestoreReport:
    report = RestoreReport(merged=False)
    for part in reader.tables():
        statement = insert_statement(part.spec)
        progress.stage(f"restore {part.spec.name}", part.count)
        inserted = 0
        for block in part.blocks:
            if block.rows:
                connection.execute(statement, as_params(block.rows))
            inserted += len(block.rows)
            progress.advance(len(block.rows))
        report.inserted[part.spec.name] = inserted
    if connection.dialect.name == "postgresql":
        reset_sequences(connection)
    return report


def reset_sequences(connection: Connection) -> None:
    """After rows were inserted with their ids, PostgreSQL's id sequences must go on past
    them (SQLite takes the next id from the table itself)."""
    for spec in TABLES:
        if spec.integer_key:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{spec.name}', 'id'), "
                    f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {spec.name}"
                )
            )
