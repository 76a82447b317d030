"""The backup's JSON encoding (orjson): the same text the standard library's compact,
key-sorted encoder writes for the values a backup holds, floats read back to the same
doubles, and NaN or infinity refused rather than written as null."""

from __future__ import annotations

import io
import json
import math
import random
import sqlite3

import pytest

from quizdl.errors import QuizdlError
from quizdl.export.json_backup import write_backup
from quizdl.export.json_encoding import encode, ready_rows, write_block
from quizdl.store.db import Database


def standard(value: object) -> bytes:
    """The standard library's encoding with the backup's settings: the reference."""
    text = json.dumps(
        value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    )
    return text.encode()


def test_a_header_is_encoded_as_the_standard_library_would() -> None:
    header = {"z": [1, None, True], "a": {"b": 'σ′ 中文 "quoted"\n', "a": 0.1}, "m": -3}
    assert encode(header) == standard(header)


def test_random_doubles_read_back_to_the_same_bits() -> None:
    rng = random.Random(7)
    values = [rng.uniform(-1e6, 1e6) for _ in range(2000)]
    values += [rng.lognormvariate(0, 30) for _ in range(2000)]  # 1e-13 ... 1e13 and beyond
    values += [0.0, -0.0, 5e-324, 1.7976931348623157e308, 1e16, 1e-7]
    out = io.BytesIO()
    write_block(out, [values], first=True)
    decoded = json.loads(b"[" + out.getvalue().strip() + b"]")[0]
    assert [math.copysign(1, v) for v in decoded] == [math.copysign(1, v) for v in values]
    assert decoded == values  # the same doubles, bit for bit (== on floats)


def test_rows_are_a_block_per_line_with_booleans_as_true_and_false() -> None:
    rows = [(1, "a", 0, 2.5), (2, "b", 1, None), (3, "c", None, 0.0)]
    ready = ready_rows(rows, bools=[2], floats=[3])
    out = io.BytesIO()
    write_block(out, ready, first=False)
    assert out.getvalue() == b',\n[1,"a",false,2.5],[2,"b",true,null],[3,"c",null,0.0]'
    assert out.getvalue()[2:] == standard([list(r) for r in ready])[1:-1]


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_nan_and_infinity_are_refused_not_written_as_null(bad: float) -> None:
    with pytest.raises(ValueError, match="JSON cannot hold"):
        ready_rows([(1, 2.0), (2, bad)], bools=[], floats=[1])
    with pytest.raises(ValueError):
        encode({"retention": bad})


def test_huge_finite_values_whose_sum_overflows_are_accepted() -> None:
    rows = [(1.7e308,), (1.7e308,)]
    assert ready_rows(rows, bools=[], floats=[0]) == rows


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_infinite_stability_in_the_database_stops_the_export(
    studied: Database, database_url: str
) -> None:
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:  # SQLite reads 9e999 as infinity
        connection.execute("UPDATE reviews SET stability_after = 9e999 WHERE id = 2")
    with pytest.raises(QuizdlError, match="reviews"):
        write_backup(studied, io.BytesIO())


def test_unsupported_values_are_a_type_error() -> None:
    with pytest.raises(TypeError):
        encode({"when": object()})
