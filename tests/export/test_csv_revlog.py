"""The csv export (cards, and the review log beside them) and the FSRS revlog, checked
value by value against the database rows, and the revlog read back the way the
open-spaced-repetition tools read it (fsrs-rs-python)."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from quizdl.export import ExportRequest, export, reviews_csv_path
from quizdl.export.revlog import COLUMNS
from quizdl.export.revlog_worker import csv_block
from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.schedule.fsrs_adapter import FsrsScheduler, Memory, SchedulerSettings
from quizdl.store.db import Database
from quizdl.store.models import CardState, Review
from tests.export.conftest import T0

NOW = T0 + timedelta(days=9, hours=3)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def orm_rows(database: Database, model: Any) -> list[Any]:
    with database.sessions() as session:
        key = (Review.id,) if model is Review else (CardState.topic, CardState.position)
        return list(session.scalars(select(model).order_by(*key)))


def iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_cards_csv_has_one_row_per_card_with_its_state(studied: Database, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    result = export(ExportRequest("csv", path, now=NOW), database=studied)
    assert result.paths == [path, tmp_path / "cards-reviews.csv"]
    rows = read_csv(path)
    cards = orm_rows(studied, CardState)
    assert [r["card_id"] for r in rows] == [c.card_id for c in cards]
    # py-fsrs's own retrievability, the scheduler the app uses, as the reference.
    scheduler = FsrsScheduler(SchedulerSettings(), random.Random(0))
    for row, card in zip(rows, cards, strict=True):
        assert row["state"] == ("new", "learning", "review", "relearning")[card.state]
        assert (row["due"], row["last_review"]) == (iso(card.due), iso(card.last_review))
        assert float(row["stability"]) == card.stability  # every bit kept
        assert float(row["difficulty"]) == card.difficulty
        assert (int(row["reps"]), int(row["lapses"])) == (card.reps, card.lapses)
        assert row["suspended"] == str(int(card.suspended))
        memory = Memory(
            S(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review
        )
        expected = scheduler.retrievability(memory, NOW)
        assert float(row["retrievability"]) == pytest.approx(expected, rel=1e-12)
        assert 0.0 < expected < 1.0


def test_the_review_log_csv_matches_the_rows(studied: Database, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    export(ExportRequest("csv", path, now=NOW), database=studied)
    rows = read_csv(reviews_csv_path(path))
    reviews = sorted(orm_rows(studied, Review), key=lambda r: (r.reviewed_at, r.id))
    assert len(rows) == len(reviews) == 200
    for row, review in zip(rows, reviews, strict=True):
        assert int(row["review_id"]) == review.id and row["card_id"] == review.card_id
        assert row["reviewed_at"] == iso(review.reviewed_at)
        assert int(row["rating"]) == review.rating
        assert (int(row["state_before"]), int(row["state_after"])) == (
            review.state_before,
            review.state_after,
        )
        assert float(row["stability_after"]) == review.stability_after
        assert float(row["elapsed_days"]) == review.elapsed_days
        assert row["raw_answer"] == (review.raw_answer or "")
        assert (row["verdict"] and json.loads(row["verdict"])) == (review.verdict or "")


def test_revlog_has_the_fsrs_columns_and_the_rows_in_time_order(
    studied: Database, tmp_path: Path
) -> None:
    path = tmp_path / "revlog.csv"
    export(ExportRequest("revlog", path), database=studied)
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        assert next(reader) == list(COLUMNS)
        rows = list(reader)
    reviews = sorted(orm_rows(studied, Review), key=lambda r: (r.reviewed_at, r.id))
    assert len(rows) == len(reviews)
    for row, review in zip(rows, reviews, strict=True):
        millis = (review.reviewed_at - EPOCH) // timedelta(milliseconds=1)
        assert row == [
            review.card_id,
            str(millis),
            str(review.rating),
            str(review.state_before),
            str(review.duration_ms),
        ]


def test_revlog_reads_back_into_fsrs_rs_python(studied: Database, tmp_path: Path) -> None:
    fsrs_rs_python = pytest.importorskip("fsrs_rs_python")
    path = tmp_path / "revlog.csv"
    export(ExportRequest("revlog", path), database=studied)
    # As fsrs-rs-python's examples read a revlog: group by card_id, review_time in ms,
    # days cut at the learner's day start (here 04:00 UTC), one item per later day.
    history: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for record in read_csv(path):
        at = datetime.fromtimestamp(int(record["review_time"]) / 1000, tz=UTC)
        history[record["card_id"]].append((at - timedelta(hours=4), int(record["review_rating"])))
    items = []
    for reviews in history.values():
        done: list[Any] = []
        last = reviews[0][0].date()
        for at, rating in reviews:
            delta = (at.date() - last).days
            done.append(fsrs_rs_python.FSRSReview(rating, delta))
            if delta > 0:
                items.append(fsrs_rs_python.FSRSItem(done[:]))
            last = at.date()
    assert items, "five days of study give items with a long-term review"
    fsrs = fsrs_rs_python.FSRS(list(SchedulerSettings().parameters))
    states = [fsrs.memory_state(item) for item in items]
    assert all(state.stability > 0 and 1 <= state.difficulty <= 10 for state in states)
    expected_cards = {r.card_id for r in orm_rows(studied, Review)}
    assert set(history) == expected_cards


def test_revlog_of_one_topic(studied: Database, tmp_path: Path) -> None:
    path = tmp_path / "beta.csv"
    export(ExportRequest("revlog", path, topics=("beta",)), database=studied)
    ids = [r["card_id"] for r in read_csv(path)]
    expected = [r.card_id for r in orm_rows(studied, Review) if r.card_id.startswith("beta/")]
    assert ids and sorted(ids) == sorted(expected)


def test_odd_card_ids_are_quoted_as_csv_would() -> None:
    lines = ["plain/id,1,3,2,100", 'odd,"id,1,3,2,', "two\nlines,5,1,0,7"]
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows(
        [
            ["plain/id", "1", "3", "2", "100"],
            ['odd,"id', "1", "3", "2", ""],
            ["two\nlines", "5", "1", "0", "7"],
        ]
    )
    assert csv_block(lines).decode() == expected.getvalue()
    assert csv_block(lines[:1]) == b"plain/id,1,3,2,100\n"
