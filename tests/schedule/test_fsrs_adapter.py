"""quizdl's FSRS adapter against the fsrs package itself, on a real learner's log."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from quizdl.schedule.fsrs_adapter import (
    CardState,
    FsrsScheduler,
    Memory,
    SchedulerSettings,
    fuzz_range,
)

REVLOG = Path(__file__).parent.parent / "data" / "revlogs" / "py-fsrs-josh.csv"
T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)


def histories() -> dict[int, list[tuple[int, datetime]]]:
    by_card: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    with REVLOG.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            at = datetime.fromisoformat(row["review_time"]).astimezone(UTC)
            by_card[int(row["card_id"])].append((int(row["review_rating"]), at))
    for reviews in by_card.values():
        reviews.sort(key=lambda r: r[1])
    return by_card


def test_replay_of_real_log_matches_fsrs_package() -> None:
    logs = histories()
    assert sum(len(v) for v in logs.values()) == 12_580 and len(logs) == 1_205
    ours = FsrsScheduler(SchedulerSettings(), random.Random(0))
    reference = Scheduler(enable_fuzzing=False)
    for card_id, reviews in logs.items():
        memory = ours.replay(reviews)
        card = Card(card_id=card_id)
        for rating, at in reviews:
            card, _ = reference.review_card(card, Rating(rating), review_datetime=at)
        assert memory.stability == pytest.approx(card.stability, rel=1e-12), card_id
        assert memory.difficulty == pytest.approx(card.difficulty, rel=1e-12), card_id
        assert int(memory.state) == int(card.state), card_id


def test_fuzz_comes_from_the_injected_generator() -> None:
    def schedule(seed: int) -> list[datetime | None]:
        scheduler = FsrsScheduler(SchedulerSettings(), random.Random(seed))
        memory, dues = Memory(), []
        at = T0
        for rating in (3, 3, 3, 3, 3, 3):
            memory = scheduler.review(memory, rating, at)
            dues.append(memory.due)
            assert memory.due is not None
            at = memory.due
        return dues

    assert schedule(1) == schedule(1)
    assert schedule(1) != schedule(2)  # long intervals are fuzzed


def test_fuzzed_interval_stays_in_py_fsrs_window() -> None:
    scheduler = FsrsScheduler(SchedulerSettings(), random.Random(5))
    plain = FsrsScheduler(SchedulerSettings(fuzz=False), random.Random(5))
    memory = Memory(CardState.REVIEW, None, 30.0, 5.0, T0, T0 - timedelta(days=30))
    for _ in range(200):
        fuzzed = scheduler.review(memory, 3, T0)
        exact = plain.review(memory, 3, T0)
        assert fuzzed.due is not None and exact.due is not None
        low, high = fuzz_range((exact.due - T0).days, 36500)
        assert low <= (fuzzed.due - T0).days <= high


def test_clock_set_backwards_gives_no_negative_interval() -> None:
    scheduler = FsrsScheduler(SchedulerSettings(), random.Random(0))
    memory = scheduler.review(Memory(), 3, T0)
    earlier = T0 - timedelta(days=3)
    for rating in (1, 2, 3, 4):
        after = scheduler.review(memory, rating, earlier)
        assert after.due is not None and after.last_review is not None
        assert after.due >= T0 and after.last_review >= T0


def test_preview_matches_what_each_rating_gives_without_fuzz() -> None:
    plain = FsrsScheduler(SchedulerSettings(fuzz=False), random.Random(0))
    memory = plain.review(Memory(), 3, T0)
    memory = plain.review(memory, 3, T0 + timedelta(minutes=10))
    later = T0 + timedelta(days=5)
    for rating, interval in plain.preview(memory, later).items():
        after = plain.review(memory, rating, later)
        assert after.due == later + interval


def test_retrievability_decreases_with_time() -> None:
    scheduler = FsrsScheduler(SchedulerSettings(), random.Random(0))
    memory = scheduler.review(Memory(), 4, T0)
    values = [scheduler.retrievability(memory, T0 + timedelta(days=d)) for d in (1, 5, 20, 100)]
    assert values == sorted(values, reverse=True) and 0 < values[-1] < values[0] <= 1
    assert scheduler.retrievability(Memory(), T0) == 0.0
