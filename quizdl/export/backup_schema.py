"""What a JSON backup holds: every table of the database, column by column, and how each
column's values are written. Shared by the writer (json_backup) and the reader (restore).

The layout of a backup file (one JSON document, laid out in lines so that it can be
written and read as a stream):

    {"format":"quizdl-backup","format_version":1,...,"tables":[
    {"columns":["id",...],"count":2,"name":"profiles","rows":[
    [1,"default",...],[2,"other",...]
    ]},
    ...
    ]}

Keys are sorted; each line between a table's head and its `]}` holds up to BLOCK rows.
Values: integers and strings as they are, floats as Python's repr (the shortest text
that reads back to the same double), booleans as true/false, times as ISO 8601 UTC text
with microseconds, and JSON columns as their stored JSON text (a string), so that a
restored database holds byte for byte what the original held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from sqlalchemy import JSON, Boolean, Double, Float, Integer, String, Table

from quizdl import __version__
from quizdl.store.migrate import HEAD_REVISION
from quizdl.store.models import CardState, Profile, Review, StudySession, UTCDateTime

FORMAT = "quizdl-backup"
FORMAT_VERSION = 1
BLOCK = 1000  # rows per line of the file

Kind = Literal["int", "float", "str", "bool", "time", "json"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    nullable: bool
    length: int | None  # the most characters a str column holds


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # primary key, the order rows are written in

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def positions(self, kind: Kind) -> list[int]:
        """Where the columns of one kind are in the table's rows."""
        return [i for i, column in enumerate(self.columns) if column.kind == kind]

    @property
    def integer_key(self) -> bool:
        return self.key == ("id",)


def _kind(table: Table, name: str) -> Kind:
    column_type = table.c[name].type
    if isinstance(column_type, UTCDateTime):
        return "time"
    if isinstance(column_type, JSON):
        return "json"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Double | Float):
        return "float"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, String):
        return "str"
    raise TypeError(f"{table.name}.{name}: no backup encoding for {column_type!r}")


def _spec(table: Table) -> TableSpec:
    columns = tuple(
        Column(
            c.name,
            _kind(table, c.name),
            bool(c.nullable),
            getattr(c.type, "length", None) if isinstance(c.type, String) else None,
        )
        for c in table.columns
    )
    return TableSpec(table.name, table, columns, tuple(c.name for c in table.primary_key))


# In foreign-key order: a restore inserts them in this order.
TABLES: tuple[TableSpec, ...] = tuple(
    _spec(cast(Table, model.__table__)) for model in (Profile, CardState, StudySession, Review)
)
BY_NAME = {spec.name: spec for spec in TABLES}


def header() -> dict[str, object]:
    """The keys of the document before its tables (the writer appends "tables")."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "quizdl_version": __version__,
        "schema_revision": HEAD_REVISION,
    }
