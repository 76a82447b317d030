"""`quizdl export --format csv`: one row per card, and the review log as a second file
(`NAME-reviews.csv` beside `NAME.csv`), for spreadsheets and scripts.

Times are ISO 8601 UTC; numbers are written in full (Python's repr for floats);
retrievability is the FSRS probability of recall at export time (empty for new cards).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, BinaryIO

from sqlalchemy import Text, func, select
from sqlalchemy import cast as sql_cast

from quizdl.export.common import STATE_NAMES, card_filter, profile_row, review_filter
from quizdl.export.progress import Progress
from quizdl.export.rawsql import ReadSnapshot, iso_utc
from quizdl.stats.retrievability import ForgettingCurve
from quizdl.store.db import Database
from quizdl.store.models import CARDS, REVIEWS

CARD_COLUMNS = (
    "card_id",
    "topic",
    "section",
    "kind",
    "tags",
    "state",
    "due",
    "last_review",
    "stability",
    "difficulty",
    "retrievability",
    "reps",
    "lapses",
    "suspended",
    "leech",
    "retired",
)
REVIEW_COLUMNS = (
    "review_id",
    "card_id",
    "reviewed_at",
    "rating",
    "state_before",
    "state_after",
    "stability_after",
    "difficulty_after",
    "due_after",
    "elapsed_days",
    "duration_ms",
    "session_id",
    "generator",
    "generator_version",
    "seed",
    "params",
    "raw_answer",
    "verdict",
)


def write_csv(
    database: Database,
    cards_out: BinaryIO,
    reviews_out: BinaryIO,
    *,
    profile: str = "default",
    topics: Sequence[str] = (),
    now: datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    progress = progress or Progress(False)
    now = now or datetime.now(UTC)
    with ReadSnapshot(database) as snapshot:
        profile_id, _settings, parameters = profile_row(snapshot, profile)
        weights = (json.loads(parameters) or {}).get("w")
        curve = ForgettingCurve.from_parameters(weights)
        cards = _write_text(
            cards_out, CARD_COLUMNS, _card_rows(snapshot, profile_id, topics, now, curve, progress)
        )
        reviews = _write_text(
            reviews_out, REVIEW_COLUMNS, _review_rows(snapshot, profile_id, topics, progress)
        )
    progress.close()
    return {"cards": cards, "reviews": reviews}


def retrievability(
    curve: ForgettingCurve, stability: float | None, last_review: datetime | None, now: datetime
) -> float | None:
    """R = (1 + FACTOR·t/S)^DECAY, t in whole days since the last review (as py-fsrs)."""
    if stability is None or last_review is None or stability <= 0:
        return None
    days = max(0, (now - last_review).days)
    return float((1.0 + curve.factor * days / stability) ** curve.decay)


def _write_text(out: BinaryIO, header: Sequence[str], blocks: Any) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    written = 0
    try:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        for rows in blocks:
            writer.writerows(rows)
            written += len(rows)
        text.flush()
    finally:
        text.detach()  # the binary file belongs to the caller
    return written


def _card_rows(
    snapshot: ReadSnapshot,
    profile_id: int,
    topics: Sequence[str],
    now: datetime,
    curve: ForgettingCurve,
    progress: Progress,
) -> Any:
    c = CARDS.c
    where = [c.profile_id == profile_id, *card_filter(topics)]
    total = snapshot.scalar(select(func.count()).select_from(CARDS).where(*where))
    progress.stage("export cards", int(total))
    query = (
        select(
            c.card_id,
            c.topic,
            c.section,
            c.kind,
            c.tags,
            c.state,
            iso_utc(c.due),
            iso_utc(c.last_review),
            c.stability,
            c.difficulty,
            c.reps,
            c.lapses,
            c.suspended,
            c.leech,
            c.retired,
        )
        .where(*where)
        .order_by(c.topic, c.position, c.card_id)
    )
    for rows in snapshot.stream(query):
        out = []
        for row in rows:
            (card_id, topic, section, kind, tags, state, due, last, s, d, reps, lapses) = row[:12]
            last_time = datetime.fromisoformat(last) if last else None
            r = retrievability(curve, s, last_time, now) if state else None
            out.append(
                (
                    card_id,
                    topic,
                    section,
                    kind,
                    tags,
                    STATE_NAMES[state] if 0 <= state < len(STATE_NAMES) else state,
                    due,
                    last,
                    s,
                    d,
                    r,
                    reps,
                    lapses,
                    *(int(bool(flag)) for flag in row[12:]),
                )
            )
        progress.advance(len(rows))
        yield out


def _review_rows(
    snapshot: ReadSnapshot, profile_id: int, topics: Sequence[str], progress: Progress
) -> Any:
    r = REVIEWS.c
    where = [r.profile_id == profile_id, *review_filter(topics)]
    total = snapshot.scalar(select(func.count()).select_from(REVIEWS).where(*where))
    progress.stage("export reviews", int(total))
    query = (
        select(
            r.id,
            r.card_id,
            iso_utc(r.reviewed_at),
            r.rating,
            r.state_before,
            r.state_after,
            r.stability_after,
            r.difficulty_after,
            iso_utc(r.due_after),
            r.elapsed_days,
            r.duration_ms,
            r.session_id,
            r.generator,
            r.generator_version,
            r.seed,
            sql_cast(r.params, Text),
            r.raw_answer,
            sql_cast(r.verdict, Text),
        )
        .where(*where)
        .order_by(r.reviewed_at, r.id)
    )
    for rows in snapshot.stream(query):
        progress.advance(len(rows))
        yield [_null_json(row) for row in rows]


JSON_POSITIONS = frozenset({REVIEW_COLUMNS.index("params"), REVIEW_COLUMNS.index("verdict")})


def _null_json(row: Any) -> tuple[Any, ...]:
    """A JSON column holding JSON null is written empty, as an SQL NULL is."""
    return tuple(
        None if i in JSON_POSITIONS and value == "null" else value for i, value in enumerate(row)
    )
