"""Reading a JSON backup back, with every value checked: a damaged, foreign or newer file is
refused with a message that names the file, where and what is wrong.

A backup as quizdl writes it is read as a stream, a block of rows per line (see
backup_schema), so memory stays flat. A backup that another tool has re-indented is still
a valid JSON document: it is read whole (slower, and it needs memory for all of it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from quizdl.errors import BadInput
from quizdl.export.backup_schema import (
    FORMAT,
    FORMAT_VERSION,
    TABLES,
    Column,
    TableSpec,
)
from quizdl.store.migrate import HEAD_REVISION, KNOWN_REVISIONS

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
NOTHING_CHANGED = "nothing was changed"


@dataclass
class Block:
    """Checked rows of one table, as {column: value} ready to insert."""

    spec: TableSpec
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class TablePart:
    spec: TableSpec
    count: int
    blocks: Iterator[Block]


class BackupReader:
    """Open a backup; `header` is checked at once, `tables()` checks the rest as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise BadInput(f"{self.path}: no such file; {NOTHING_CHANGED}")
        self._line = 0
        self._light = False  # check types only (the file was read through and found sound)
        self._verified: tuple[int, int] | None = None
        self._whole: dict[str, Any] | None = None
        with self.path.open("rb") as file:
            first = file.readline()
        text = self._decode(first, 1)
        if text.rstrip().endswith('"tables":['):
            header = self._parse(text.rstrip() + "]}", 1)
        else:  # not laid out as quizdl writes it: read the whole document
            header = self._read_whole()
        _check_header(self.path, header)
        self.header = {k: v for k, v in header.items() if k != "tables"}

    # -- problems ------------------------------------------------------------------------
    def fail(self, message: str, line: int | None = None) -> BadInput:
        where = f"{self.path}:{line}" if line else str(self.path)
        return BadInput(f"{where}: {message}; {NOTHING_CHANGED}")

    def _decode(self, raw: bytes, line: int) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise self.fail(f"not UTF-8 text ({error.reason}); the file is damaged", line) from None

    def _parse(self, text: str, line: int) -> Any:
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            if line == 1 and not text.lstrip().startswith("{"):
                raise self.fail("is not a quizdl backup (it is not a JSON document)") from None
            raise self.fail(
                f"not valid JSON at column {error.colno} ({error.msg}); the file is damaged "
                "or was cut short",
                line,
            ) from None

    def _read_whole(self) -> dict[str, Any]:
        raw = self.path.read_bytes()
        text = self._decode(raw, 0)
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            if not text.lstrip().startswith("{"):
                raise self.fail("is not a quizdl backup (it is not a JSON document)") from None
            raise self.fail(
                f"not valid JSON ({error.msg}); the file is damaged or was cut short",
                error.lineno,
            ) from None
        if not isinstance(document, dict):
            raise self.fail("is not a quizdl backup (the JSON document is not an object)")
        self._whole = document
        return document

    # -- tables --------------------------------------------------------------------------
    def tables(self) -> Iterator[TablePart]:
        """Each table in order, its rows checked block by block as they are read. The file is
        read as a stream: take all of a table's blocks before asking for the next table.

        Once the whole file has been read through and found sound, a later reading of the
        unchanged file (same size and modification time) checks the types only: parsing
        every JSON text and time again would double the cost of a restore."""
        stamp = self._stamp()
        self._light = stamp == self._verified
        if self._whole is not None:
            yield from self._whole_tables(self._whole)
            self._verified = stamp
            return
        with self.path.open("rb") as file:
            file.readline()
            self._line = 1
            for index, spec in enumerate(TABLES):
                head = self._next(file, f"the table {spec.name}")
                last = index == len(TABLES) - 1
                yield from self._streamed_table(file, spec, head, last)
            closing = self._next(file, "the end of the document")
            if closing.strip() != "]}" or file.read().strip():
                raise self.fail(
                    "unexpected text after the last table; the file is damaged", self._line
                )
        self._verified = stamp

    def _stamp(self) -> tuple[int, int]:
        status = self.path.stat()
        return status.st_size, status.st_mtime_ns

    def _next(self, file: IO[bytes], expected: str) -> str:
        raw = file.readline()
        self._line += 1
        if not raw:
            raise self.fail(f"the file ends before {expected}; it was cut short", self._line)
        return self._decode(raw, self._line)

    def _streamed_table(
        self, file: IO[bytes], spec: TableSpec, head_text: str, last: bool
    ) -> Iterator[TablePart]:
        stripped = head_text.strip()
        if not stripped.endswith('"rows":['):
            raise self.fail(f"expected the start of the table {spec.name}", self._line)
        head = self._parse(stripped + "]}", self._line)
        count = self._check_table_head(head, spec, self._line)
        yield TablePart(spec, count, self._streamed_rows(file, spec, count, last))

    def _streamed_rows(
        self, file: IO[bytes], spec: TableSpec, count: int, last: bool
    ) -> Iterator[Block]:
        seen = 0
        while True:
            text = self._next(file, f"the end of the table {spec.name}").strip()
            if text in ("]}", "]},"):
                if (text == "]}") != last:
                    raise self.fail(f"the table {spec.name} does not end as expected", self._line)
                break
            rows = self._parse("[" + text.removesuffix(",") + "]", self._line)
            yield Block(spec, self._checked(spec, rows, seen, self._line))
            seen += len(rows)
        if seen != count:
            raise self.fail(
                f"the table {spec.name} should hold {count:,} rows but holds {seen:,}; "
                "the file is damaged",
                self._line,
            )

    def _whole_tables(self, document: dict[str, Any]) -> Iterator[TablePart]:
        tables = document.get("tables")
        if not isinstance(tables, list) or len(tables) != len(TABLES):
            raise self.fail(f"expected {len(TABLES)} tables ({', '.join(s.name for s in TABLES)})")
        for spec, table in zip(TABLES, tables, strict=True):
            count = self._check_table_head(table, spec, None)
            rows = table.get("rows")
            if not isinstance(rows, list) or len(rows) != count:
                found = len(rows) if isinstance(rows, list) else 0
                raise self.fail(
                    f"the table {spec.name} should hold {count:,} rows but holds {found:,}"
                )
            yield TablePart(spec, count, self._whole_blocks(spec, rows))

    def _whole_blocks(self, spec: TableSpec, rows: list[Any]) -> Iterator[Block]:
        for start in range(0, len(rows), 1000):
            yield Block(spec, self._checked(spec, rows[start : start + 1000], start, None))

    def _check_table_head(self, head: Any, spec: TableSpec, line: int | None) -> int:
        if not isinstance(head, dict) or head.get("name") != spec.name:
            found = head.get("name") if isinstance(head, dict) else head
            raise self.fail(f"expected the table {spec.name!r}, found {found!r}", line)
        columns = head.get("columns")
        if columns != spec.names:
            have = columns if isinstance(columns, list) else []
            missing = [n for n in spec.names if n not in have]
            extra = [n for n in have if n not in spec.names]
            detail = "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unexpected {', '.join(map(str, extra))}" if extra else "",
                )
                if part
            )
            raise self.fail(
                f"the table {spec.name} has other columns than this quizdl's "
                f"({detail or 'in another order'})",
                line,
            )
        count = head.get("count")
        if type(count) is not int or count < 0:
            raise self.fail(f"the table {spec.name} has no valid row count", line)
        return count

    # -- values --------------------------------------------------------------------------
    def _checked(
        self, spec: TableSpec, rows: Any, before: int, line: int | None
    ) -> list[dict[str, Any]]:
        width = len(spec.columns)
        for offset, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != width:
                raise self.fail(
                    f"the table {spec.name}, row {before + offset + 1:,}: expected a list of "
                    f"{width} values, found {_show(row)}",
                    line,
                )
        if not rows:
            return []
        columns = [list(values) for values in zip(*rows, strict=True)]
        for index, column in enumerate(spec.columns):
            bad = _first_bad(column, columns[index], light=self._light)
            if bad is not None:
                value = columns[index][bad]
                raise self.fail(
                    f"the table {spec.name}, row {before + bad + 1:,}, column {column.name!r}: "
                    f"expected {_expected(column)}, found {_show(value)}",
                    line,
                )
            if column.kind == "float":
                columns[index] = [float(v) if type(v) is int else v for v in columns[index]]
        names = spec.names
        return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _check_header(path: Path, header: dict[str, Any]) -> None:
    def fail(message: str) -> BadInput:
        return BadInput(f"{path}: {message}; {NOTHING_CHANGED}")

    kind = header.get("format")
    if kind != FORMAT:
        found = f"its format is {kind!r}" if "format" in header else "it has no format key"
        raise fail(f"is not a quizdl backup ({found}; expected {FORMAT!r})")
    version = header.get("format_version")
    if type(version) is not int:
        raise fail(f"the backup format version {version!r} is not a number")
    if version > FORMAT_VERSION:
        raise fail(
            f"was written by a newer quizdl (backup format {version}; this quizdl reads "
            f"format {FORMAT_VERSION}); upgrade quizdl to restore it"
        )
    if version != FORMAT_VERSION:
        raise fail(f"has backup format {version}, which this quizdl cannot read")
    revision = header.get("schema_revision")
    if revision != HEAD_REVISION:
        if revision in KNOWN_REVISIONS:
            raise fail(
                f"holds database schema revision {revision!r}; this quizdl restores "
                f"revision {HEAD_REVISION!r} only"
            )
        raise fail(
            f"holds database schema revision {revision!r}, which this quizdl does not know "
            f"(its newest is {HEAD_REVISION!r}); it was probably written by a newer quizdl"
        )


_NONE = type(None)
_ALLOWED: dict[str, frozenset[type]] = {
    "int": frozenset({int}),
    "float": frozenset({float, int}),
    "str": frozenset({str}),
    "bool": frozenset({bool}),
    "time": frozenset({str}),
    "json": frozenset({str}),
}


def _first_bad(column: Column, values: list[Any], *, light: bool = False) -> int | None:
    """The index of the first value that does not fit the column, or None if all fit.
    `light`: the types only (and text lengths), not the times and JSON texts themselves."""
    allowed = _ALLOWED[column.kind] | ({_NONE} if column.nullable else set())
    if set(map(type, values)) <= allowed:
        if (light and column.kind in ("time", "json")) or _contents_fit(column, values):
            return None
    for index, value in enumerate(values):
        if type(value) not in allowed or not _contents_fit(column, [value]):
            return index
    return None  # pragma: no cover - the fast check failed, so one value must


def _contents_fit(column: Column, values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    if column.kind == "str" and column.length is not None:
        return max(map(len, present), default=0) <= column.length
    if column.kind == "time":
        return all(map(ISO_TIME.fullmatch, present)) and _all_ok(datetime.fromisoformat, present)
    if column.kind == "json":
        return _all_ok(json.loads, present)
    return True


def _all_ok(parse: Callable[[str], Any], values: list[str]) -> bool:
    try:
        for _ in map(parse, values):
            pass
    except ValueError:  # json.JSONDecodeError is a ValueError
        return False
    return True


def _expected(column: Column) -> str:
    what = {
        "int": "a whole number",
        "float": "a number",
        "str": "text"
        + (f" of at most {column.length} characters" if column.length is not None else ""),
        "bool": "true or false",
        "time": "a UTC time such as 2026-11-26T09:30:00.000000Z",
        "json": "JSON text",
    }[column.kind]
    return what + (" or null" if column.nullable else "")


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
