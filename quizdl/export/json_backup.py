"""`quizdl export --format json`: the whole database as one JSON document, streamed.

Every table is read in blocks of primary keys inside one read snapshot and written a
block per line (see backup_schema for the layout). The values come out of the database
ready to encode (rawsql), so a block costs one C-level json encoding and one write:
memory stays flat whatever the size, and the output is deterministic, so restoring a
backup and exporting it again gives the same bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Select, Text, bindparam, cast, func, select, tuple_
from sqlalchemy.sql.expression import ColumnElement

from quizdl.errors import QuizdlError
from quizdl.export import json_parallel
from quizdl.export.backup_schema import BLOCK, TABLES, TableSpec, header
from quizdl.export.common import card_filter, review_filter
from quizdl.export.json_encoding import encode, ready_rows, write_block
from quizdl.export.json_parallel import (
    PartWorkers,
    worker_count,
    writers_paused,
)
from quizdl.export.progress import Progress
from quizdl.export.rawsql import ReadSnapshot, iso_utc
from quizdl.store.db import Database
from quizdl.store.models import REVIEWS


def write_backup(
    database: Database,
    out: BinaryIO,
    *,
    topics: Sequence[str] = (),
    progress: Progress | None = None,
    scratch: Path | None = None,
) -> dict[str, int]:
    """Write the backup to `out`; returns the number of rows written per table.
    With `topics`, only the cards of those topics and their reviews (a partial backup).
    `scratch` is a folder for the part files of a parallel export (default: the system's)."""
    progress = progress or Progress(False)
    counts: dict[str, int] = {}
    workers = worker_count(database, _reviews_estimate(database)) if database.file else 0
    with contextlib.ExitStack() as stack:
        if workers:
            stack.enter_context(writers_paused(database))
        snapshot = stack.enter_context(ReadSnapshot(database))
        filters = {spec.name: _filters(spec, topics) for spec in TABLES}
        expected = {spec.name: _count(snapshot, spec, filters[spec.name]) for spec in TABLES}
        parts: dict[str, PartWorkers] = {}
        for spec in TABLES if workers else ():
            if spec.integer_key and expected[spec.name] >= json_parallel.PARALLEL_MIN_ROWS:
                started = PartWorkers(
                    snapshot,
                    database,
                    spec,
                    filters[spec.name],
                    selected_columns(spec),
                    workers,
                    scratch,
                )
                parts[spec.name] = stack.enter_context(contextlib.closing(started))
        head = encode({**header(), "tables": []})
        assert head.endswith(b'"tables":[]}'), "the tables must come last in the header"
        out.write(head[: -len("]}")] + b"\n")
        for number, spec in enumerate(TABLES):
            table_head = encode(
                {"columns": spec.names, "count": expected[spec.name], "name": spec.name, "rows": []}
            )
            out.write((b",\n" if number else b"") + table_head[: -len("]}")])
            progress.stage(f"export {spec.name}", expected[spec.name])
            if spec.name in parts:
                own = parts[spec.name].own_range
                written = _write_blocks(snapshot, spec, filters[spec.name], out, progress, own)
                written += parts[spec.name].append_to(out, progress, written=written)
            else:
                written = _write_blocks(snapshot, spec, filters[spec.name], out, progress)
            if written != expected[spec.name]:  # pragma: no cover - one snapshot prevents it
                raise QuizdlError(
                    f"table {spec.name}: counted {expected[spec.name]} rows but wrote {written}"
                )
            out.write(b"\n]}")
            counts[spec.name] = written
        out.write(b"\n]}\n")
    progress.close()
    return counts


def _write_blocks(
    snapshot: ReadSnapshot,
    spec: TableSpec,
    filters: list[ColumnElement[bool]],
    out: BinaryIO,
    progress: Progress,
    ids: tuple[int, int] | None = None,
) -> int:
    """Write the table's rows (with `ids`, only those with ids in [low, high))."""
    written = 0
    bools, floats = spec.positions("bool"), spec.positions("float")
    if spec.integer_key:
        blocks = _id_blocks(snapshot, spec, filters, ids)
    else:
        blocks = _key_blocks(snapshot, spec, filters)
    for rows in blocks:
        try:
            write_block(out, ready_rows(rows, bools, floats), first=not written)
        except ValueError as error:  # NaN or infinity in a float column
            raise QuizdlError(f"cannot export table {spec.name}: {error}") from None
        written += len(rows)
        progress.advance(len(rows))
    return written


def _count(snapshot: ReadSnapshot, spec: TableSpec, filters: list[ColumnElement[bool]]) -> int:
    return int(snapshot.scalar(select(func.count()).select_from(spec.table).where(*filters)))


def _reviews_estimate(database: Database) -> int:
    """About how many reviews there are (from the ids: no count, no scan)."""
    with ReadSnapshot(database) as snapshot:
        low, high = snapshot.rows(select(func.min(REVIEWS.c.id), func.max(REVIEWS.c.id)))[0]
    return 0 if low is None else int(high) - int(low) + 1


def _filters(spec: TableSpec, topics: Sequence[str]) -> list[ColumnElement[bool]]:
    if spec.name == "card_states":
        return card_filter(topics)
    if spec.name == "reviews":
        return review_filter(topics)
    return []


def selected_columns(spec: TableSpec) -> list[ColumnElement[Any]]:
    """The table's columns as the backup writes them (times as ISO text, JSON as text)."""
    out: list[ColumnElement[Any]] = []
    for column in spec.columns:
        expression = spec.table.c[column.name]
        if column.kind == "time":
            out.append(iso_utc(expression))
        elif column.kind == "json":
            out.append(cast(expression, Text))
        else:
            out.append(expression)
    return out


def _id_blocks(
    snapshot: ReadSnapshot,
    spec: TableSpec,
    filters: list[ColumnElement[bool]],
    ids: tuple[int, int] | None = None,
) -> Iterator[list[Any]]:
    """Rows with ids in [k·BLOCK, (k+1)·BLOCK), one block at a time, empty blocks skipped.
    Blocks are fixed by the ids, so the lines of a file depend on the data only. With
    `ids` (multiples of BLOCK), only the blocks in [low, high).

    The range is kept out of the WHERE clause: given two lower bounds on the id, SQLite
    searches by the first one only, so every block would scan from the range's start."""
    key = spec.table.c.id
    block: Select[Any] = (
        select(*selected_columns(spec))
        .where(*filters, key >= bindparam("lo"), key < bindparam("hi"))
        .order_by(key)
    )
    following = select(func.min(key)).where(*filters, key >= bindparam("lo"))
    if ids is None:
        low = snapshot.scalar(select(func.min(key)).where(*filters))
        end = None
    else:
        low, end = snapshot.scalar(following, {"lo": ids[0]}), ids[1]
    while low is not None and (end is None or low < end):
        start = int(low) - int(low) % BLOCK
        rows = snapshot.rows(block, {"lo": start, "hi": start + BLOCK})
        if rows:
            yield rows
        low = snapshot.scalar(following, {"lo": start + BLOCK})


def _key_blocks(
    snapshot: ReadSnapshot, spec: TableSpec, filters: list[ColumnElement[bool]]
) -> Iterator[list[Any]]:
    """Rows in primary-key order, BLOCK at a time (keyset paging on the composite key)."""
    keys = [spec.table.c[name] for name in spec.key]
    positions = [spec.names.index(name) for name in spec.key]
    first: Select[Any] = (
        select(*selected_columns(spec)).where(*filters).order_by(*keys).limit(BLOCK)
    )
    after: Select[Any] = (
        select(*selected_columns(spec))
        .where(*filters, tuple_(*keys) > tuple_(*(bindparam(f"k{i}") for i in range(len(keys)))))
        .order_by(*keys)
        .limit(BLOCK)
    )
    rows = snapshot.rows(first)
    while rows:
        yield rows
        if len(rows) < BLOCK:
            return
        last = rows[-1]
        rows = snapshot.rows(after, {f"k{i}": last[p] for i, p in enumerate(positions)})
