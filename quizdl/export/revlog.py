"""`quizdl export --format revlog`: the review log in the columns the open-spaced-repetition
tools read (the FSRS optimizer's review-log schema, which fsrs-rs-python's examples and
the srs-benchmark follow):

    card_id          the card's id (the schema allows integers or strings; ours are
                     stable text ids such as "gans/mode-collapse")
    review_time      when, in milliseconds since 1970-01-01 UTC
    review_rating    1 Again, 2 Hard, 3 Good, 4 Easy
    review_state     the card's state when it was reviewed: 0 New, 1 Learning, 2 Review,
                     3 Relearning
    review_duration  milliseconds spent on the card (empty when not recorded)

Rows are in time order. Times are UTC; the learner's time zone and day rollover, which
the optimizer asks for, are in the profile's settings (`quizdl export --format json`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import BinaryIO

from sqlalchemy import func, select

from quizdl.export.common import REVIEWS, profile_row, review_filter
from quizdl.export.progress import Progress
from quizdl.export.rawsql import CsvLine, ReadSnapshot, epoch_ms
from quizdl.store.db import Database

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
FIELDS_AFTER_CARD = len(COLUMNS) - 1


def write_revlog(
    database: Database,
    out: BinaryIO,
    *,
    profile: str = "default",
    topics: Sequence[str] = (),
    progress: Progress | None = None,
) -> int:
    """Write the profile's review log as CSV to `out`; returns the number of reviews.

    The database writes each row as a line of text (no Python work per value): a million
    reviews take about a second and a half."""
    progress = progress or Progress(False)
    out.write((",".join(COLUMNS) + "\n").encode())
    written = 0
    with ReadSnapshot(database) as snapshot:
        profile_id = profile_row(snapshot, profile)[0]
        where = [REVIEWS.c.profile_id == profile_id, *review_filter(topics)]
        total = snapshot.scalar(select(func.count()).select_from(REVIEWS).where(*where))
        progress.stage("export review log", int(total))
        line = CsvLine(
            REVIEWS.c.card_id,
            epoch_ms(REVIEWS.c.reviewed_at),
            REVIEWS.c.rating,
            REVIEWS.c.state_before,
            REVIEWS.c.duration_ms,
        )
        query = select(line).where(*where).order_by(REVIEWS.c.reviewed_at, REVIEWS.c.id)
        for rows in snapshot.stream(query, size=10_000):
            out.write(_csv_block([row[0] for row in rows]))
            written += len(rows)
            progress.advance(len(rows))
    progress.close()
    return written


def _csv_block(lines: list[str]) -> bytes:
    """The lines as CSV. Card ids never hold a comma, a quote or a line break (they are
    slugs), so the lines are CSV as they are; if one ever did, it is quoted here, the
    other fields being numbers."""
    text = "\n".join(lines) + "\n"
    plain = (
        '"' not in text
        and "\r" not in text
        and text.count(",") == FIELDS_AFTER_CARD * len(lines)
        and text.count("\n") == len(lines)
    )
    if plain:
        return text.encode()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        line.rsplit(",", FIELDS_AFTER_CARD) for line in lines
    )
    return buffer.getvalue().encode()
