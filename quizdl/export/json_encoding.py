"""The one JSON encoding of backups, shared by the writer and its worker processes
(the standard library and orjson only, so that a worker starts in a few tens of ms).

orjson rather than the standard library's encoder: a backup of a million reviews is about
half a gigabyte of JSON, and orjson encodes it ten times faster (0.4 s against 4 s), which
is most of what keeps the export within its budget. Its output is compact and
deterministic: sorted keys, no spaces, UTF-8 as is, floats as the shortest text that reads
back to the same double. It writes NaN and infinity as null, which would restore as a
missing value, so they are refused here first, as the standard library's allow_nan=False
would.
"""

from __future__ import annotations

import math
from typing import Any, BinaryIO

import orjson


def encode(value: Any) -> bytes:
    """A small value (a header) as compact, key-sorted JSON in UTF-8. ValueError for NaN or
    infinity anywhere in it, TypeError for a value JSON cannot hold."""
    _refuse_non_finite(value)
    return _dumps(value)


def write_block(out: BinaryIO, rows: list[Any], first: bool) -> None:
    """A block of rows (made ready by `ready_rows`) as one line of the file; every block
    after a table's first one is separated from the one before by a comma."""
    encoded = _dumps(rows)
    out.write(b"\n" if first else b",\n")
    out.write(memoryview(encoded)[1:-1])  # the rows without the list's brackets, uncopied


def ready_rows(rows: list[Any], bools: list[int], floats: list[int]) -> list[Any]:
    """The rows as the backup writes them: SQLite's 0/1 booleans as true/false, and a
    ValueError if a float column holds NaN or infinity."""
    if not rows:
        return rows
    for position in floats:
        values = [row[position] for row in rows]
        # One C-level sum per column: finite unless some value is not (or the sum overflows,
        # when each value is then looked at).
        if not math.isfinite(sum(filter(None, values))):
            for value in values:
                if value is not None and not math.isfinite(value):
                    raise ValueError(f"a float column holds {value!r}, which JSON cannot hold")
    if not bools:
        return rows
    columns = list(zip(*rows, strict=True))
    for position in bools:
        columns[position] = tuple(None if v is None else bool(v) for v in columns[position])
    return list(zip(*columns, strict=True))


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError as error:
        raise TypeError(str(error)) from None


def _refuse_non_finite(value: Any) -> None:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be written as JSON")
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_non_finite(item)
    elif isinstance(value, dict):
        for item in value.values():
            _refuse_non_finite(item)
