"""Counts per range of time (study days), for the review log and the forecast.

Each range's counts are correlated COUNT(*) subqueries over a VALUES list of the ranges, so
each is an index range scan that touches only that day's rows. A GROUP BY on a day
expression would push every one of a million rows through a sorter, and the database
would need to know the learner's time zone; here the day bounds come from quizdl.clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from quizdl.store.models import UTCDateTime


class Binder:
    """Python values as the driver expects them in textual SQL (UTCDateTime's conversion)."""

    def __init__(self, connection: Connection) -> None:
        dialect = connection.dialect
        self._time = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)

    def time(self, value: datetime) -> Any:
        return self._time(value) if self._time is not None else value


REVIEWS_IN_RANGE = (
    "SELECT count(*) FROM reviews WHERE profile_id = :profile "
    "AND reviewed_at >= ranges.s AND reviewed_at < ranges.e"
)
# Answers to cards not in the review state (new, learning, relearning) are a small share of
# all answers: true retention counts review-state answers as all answers minus these. The
# `IN` lists let an index on (profile_id, state_before, rating, reviewed_at), where there is
# one, seek straight to each day's few rows of each kind.
NOT_REVIEW_STATE_IN_RANGE = (
    REVIEWS_IN_RANGE + " AND state_before IN (0, 1, 3) AND rating IN (1, 2, 3, 4)"
)
FAILED_IN_RANGE = REVIEWS_IN_RANGE + " AND state_before = 2 AND rating = 1"
DUE_IN_RANGE = (
    "SELECT count(*) FROM card_states WHERE profile_id = :profile AND retired = :no "
    "AND suspended = :no AND state IN (1, 2, 3) AND due >= ranges.s AND due < ranges.e"
)


def range_counts(
    connection: Connection,
    binder: Binder,
    profile_id: int,
    ranges: Sequence[tuple[datetime, datetime]],
    counts: Sequence[str],
) -> list[tuple[int, ...]]:
    """For each [start, end) range, in order, the value of each COUNT(*) subquery in
    `counts` (which refer to the range as ranges.s and ranges.e)."""
    if not ranges:
        return []
    params: dict[str, Any] = {"profile": profile_id, "no": False}
    rows = []
    for i, (start, end) in enumerate(ranges):
        rows.append(f"(:n{i}, :s{i}, :e{i})")
        params[f"n{i}"], params[f"s{i}"], params[f"e{i}"] = i, binder.time(start), binder.time(end)
    columns = ", ".join(f"({count})" for count in counts)
    sql = (
        f"WITH ranges(n, s, e) AS (VALUES {', '.join(rows)}) "
        f"SELECT {columns} FROM ranges ORDER BY ranges.n"
    )
    return [tuple(int(v) for v in row) for row in connection.execute(text(sql), params)]
