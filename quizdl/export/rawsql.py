"""Fast, consistent reads for the exports, and the SQL that converts times in the database.

Exports read up to millions of rows. SQLAlchemy's row processing (an aware datetime built
in Python for every time, a JSON document parsed for every JSON column) costs more than
the whole budget, so the exports compile their statements with SQLAlchemy and run them
on the driver's own cursor, with every value already in the form the writer needs:

- times as ISO 8601 UTC text (`IsoUtc`), or as epoch milliseconds (`EpochMs`), made by
  the database itself;
- JSON columns as their stored text (a `cast` to TEXT), so a backup keeps them verbatim.

All reads of one export happen in one read transaction (`ReadSnapshot`): a snapshot that
sees no commit made meanwhile and, on SQLite, never blocks a writer.

The time SQL relies on how the schema stores times (see quizdl.store.models.UTCDateTime):
naive UTC, which SQLAlchemy writes on SQLite as 'YYYY-MM-DD HH:MM:SS.ffffff' and
PostgreSQL keeps as TIMESTAMP WITHOUT TIME ZONE.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import DateTime, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, ColumnElement, FunctionElement
from sqlalchemy.types import BigInteger

from quizdl.store.db import Database

ISO_FORMAT = "YYYY-MM-DDTHH:MM:SS.ffffffZ"  # what IsoUtc gives, 27 characters


class IsoUtc(FunctionElement[str]):
    """A stored time as ISO 8601 UTC text with microseconds: 2026-11-26T09:30:00.000000Z."""

    type = String()
    inherit_cache = True


class EpochMs(FunctionElement[int]):
    """A stored time as whole milliseconds since 1970-01-01 UTC (rounded down)."""

    type = BigInteger()
    inherit_cache = True


class FromIsoUtc(FunctionElement[Any]):
    """The inverse of IsoUtc, for inserts: ISO 8601 UTC text to a stored time."""

    type = DateTime()
    inherit_cache = True


class JsonText(FunctionElement[Any]):
    """JSON text to a JSON column, stored as given (no parsing, no re-serialisation)."""

    type = Text()
    inherit_cache = True


def _arg(compiler: SQLCompiler, element: FunctionElement[Any], **kw: Any) -> str:
    (argument,) = element.clauses
    return str(compiler.process(argument, **kw))


@compiles(IsoUtc, "sqlite")
def _iso_sqlite(element: IsoUtc, compiler: SQLCompiler, **kw: Any) -> str:
    c = _arg(compiler, element, **kw)
    return f"(substr({c}, 1, 10) || 'T' || substr({c}, 12, 15) || 'Z')"


@compiles(IsoUtc, "postgresql")
def _iso_postgresql(element: IsoUtc, compiler: SQLCompiler, **kw: Any) -> str:
    c = _arg(compiler, element, **kw)
    return f"""to_char({c}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


@compiles(EpochMs, "sqlite")
def _ms_sqlite(element: EpochMs, compiler: SQLCompiler, **kw: Any) -> str:
    # Whole seconds from the text without its fraction (SQLite rounds a fraction to
    # milliseconds, so 23:59:59.9996 would become the next second), then the milliseconds.
    c = _arg(compiler, element, **kw)
    seconds = f"CAST(strftime('%s', substr({c}, 1, 19)) AS INTEGER)"
    return f"({seconds} * 1000 + CAST(substr({c}, 21, 3) AS INTEGER))"


@compiles(EpochMs, "postgresql")
def _ms_postgresql(element: EpochMs, compiler: SQLCompiler, **kw: Any) -> str:
    # extract() gives an exact numeric (PostgreSQL 14+), so floor() is exact too.
    c = _arg(compiler, element, **kw)
    return f"CAST(floor(extract(epoch FROM {c}) * 1000) AS BIGINT)"


@compiles(FromIsoUtc, "sqlite")
def _from_iso_sqlite(element: FromIsoUtc, compiler: SQLCompiler, **kw: Any) -> str:
    c = _arg(compiler, element, **kw)
    return f"(substr({c}, 1, 10) || ' ' || substr({c}, 12, 15))"


@compiles(FromIsoUtc, "postgresql")
def _from_iso_postgresql(element: FromIsoUtc, compiler: SQLCompiler, **kw: Any) -> str:
    # A zone in a literal for TIMESTAMP WITHOUT TIME ZONE is ignored: the 'Z' is dropped.
    return f"CAST({_arg(compiler, element, **kw)} AS TIMESTAMP WITHOUT TIME ZONE)"


@compiles(JsonText, "sqlite")
def _json_sqlite(element: JsonText, compiler: SQLCompiler, **kw: Any) -> str:
    return _arg(compiler, element, **kw)


@compiles(JsonText, "postgresql")
def _json_postgresql(element: JsonText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({_arg(compiler, element, **kw)} AS JSON)"


class CsvLine(FunctionElement[str]):
    """Values joined by commas as text, NULL as an empty field (no quoting: for values
    that need none)."""

    type = String()
    inherit_cache = True


@compiles(CsvLine, "sqlite")
def _csv_sqlite(element: CsvLine, compiler: SQLCompiler, **kw: Any) -> str:
    # One printf costs less than a chain of ||; printf writes NULL as nothing.
    values = [str(compiler.process(c, **kw)) for c in element.clauses]
    return f"printf('{','.join(['%s'] * len(values))}', {', '.join(values)})"


@compiles(CsvLine, "postgresql")
def _csv_postgresql(element: CsvLine, compiler: SQLCompiler, **kw: Any) -> str:
    # concat() takes NULL as empty text (concat_ws would drop the field).
    values = [str(compiler.process(c, **kw)) for c in element.clauses]
    separator = ", ',', "
    return f"concat({separator.join(values)})"


def iso_utc(column: ColumnElement[Any]) -> IsoUtc:
    return IsoUtc(column)


def epoch_ms(column: ColumnElement[Any]) -> EpochMs:
    return EpochMs(column)


class ReadSnapshot:
    """One read transaction on a connection of its own, queried through the driver's cursor.

    SQLite: a deferred transaction (a WAL read snapshot: writers go on, unseen).
    PostgreSQL: REPEATABLE READ, READ ONLY (one snapshot for every query).
    """

    def __init__(self, database: Database) -> None:
        self.dialect: Dialect = database.engine.dialect
        self.is_sqlite = database.is_sqlite
        self._connection = database.engine.raw_connection()
        self._compiled: dict[int, tuple[ClauseElement, SQLCompiler]] = {}
        self._cursors = 0
        cursor = self._connection.cursor()
        if self.is_sqlite:
            cursor.execute("BEGIN")  # the driver is in autocommit mode (see store.db)
        else:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.close()

    def rows(self, statement: ClauseElement, params: Mapping[str, Any] | None = None) -> list[Any]:
        """All rows of `statement`, as the driver's tuples."""
        sql, values = self._prepare(statement, params or {})
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, values)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def stream(
        self,
        statement: ClauseElement,
        params: Mapping[str, Any] | None = None,
        size: int = 5000,
    ) -> Iterator[list[Any]]:
        """The rows of `statement` in lists of up to `size`, never all in memory
        (PostgreSQL: a server-side cursor; SQLite's cursor reads as it goes)."""
        sql, values = self._prepare(statement, params or {})
        if self.is_sqlite:
            cursor = self._connection.cursor()
        else:
            self._cursors += 1
            cursor = self._connection.cursor(name=f"quizdl_export_{self._cursors}")
        try:
            cursor.execute(sql, values)
            while True:
                rows = cursor.fetchmany(size)
                if not rows:
                    return
                yield list(rows)
        finally:
            cursor.close()

    def scalar(self, statement: ClauseElement, params: Mapping[str, Any] | None = None) -> Any:
        found = self.rows(statement, params)
        return found[0][0] if found else None

    def for_driver(self, statement: ClauseElement, params: Mapping[str, Any]) -> dict[str, Any]:
        """The statement as the driver takes it, for another process to run (SQLite):
        {"sql", "names" (the parameters in order), "values" (by name)}."""
        compiled = self._compile(statement)
        return {
            "sql": str(compiled),
            "names": list(compiled.positiontup or []),
            "values": dict(compiled.construct_params(dict(params)) or {}),
        }

    def _compile(self, statement: ClauseElement) -> SQLCompiler:
        cached = self._compiled.get(id(statement))
        if cached is None or cached[0] is not statement:
            compiled = statement.compile(dialect=self.dialect)
            assert isinstance(compiled, SQLCompiler)
            cached = (statement, compiled)
            self._compiled[id(statement)] = cached
        return cached[1]

    def _prepare(
        self, statement: ClauseElement, params: Mapping[str, Any]
    ) -> tuple[str, Sequence[Any] | Mapping[str, Any]]:
        compiled = self._compile(statement)
        values = dict(compiled.construct_params(dict(params)) or {})
        if self.dialect.positional:
            names = compiled.positiontup or []
            return str(compiled), [values[name] for name in names]
        return str(compiled), values

    def close(self) -> None:
        try:
            self._connection.rollback()
        finally:
            self._connection.close()

    def __enter__(self) -> ReadSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
