"""The one JSON encoding of backups, shared by the writer and its worker processes
(standard library only, so that a worker starts in a few tens of milliseconds)."""

from __future__ import annotations

import json
from typing import Any, BinaryIO

# Compact and deterministic: sorted keys, no spaces, UTF-8 as is, floats as Python's repr
# (the shortest text that reads back to the same double), and no NaN or infinity.
ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    allow_nan=False,
    check_circular=False,
    sort_keys=True,
    separators=(",", ":"),
)


def write_block(out: BinaryIO, rows: list[Any], first: bool) -> None:
    """A block of rows as one line of the file; every block after a table's first one is
    separated from the one before by a comma."""
    encoded = ENCODER.encode(rows).encode()
    out.write(b"\n" if first else b",\n")
    out.write(memoryview(encoded)[1:-1])  # the rows without the list's brackets, uncopied


def with_bools(rows: list[Any], positions: list[int]) -> list[Any]:
    """SQLite gives booleans as 0/1; the backup writes true/false."""
    if not positions or not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for position in positions:
        columns[position] = tuple(None if v is None else bool(v) for v in columns[position])
    return list(zip(*columns, strict=True))
