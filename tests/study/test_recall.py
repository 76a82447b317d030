"""The bulk retrievability formula agrees with py-fsrs card by card."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from quizdl.schedule.fsrs_adapter import CardState, FsrsScheduler, Memory, SchedulerSettings
from quizdl.study.recall import Recall

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("seed", range(5))
def test_recall_matches_py_fsrs(seed: int) -> None:
    rng = random.Random(seed)
    settings = SchedulerSettings()
    scheduler = FsrsScheduler(settings, random.Random(0))
    recall = Recall(settings.parameters, NOW)
    for _ in range(200):
        stability = rng.uniform(0.1, 400.0)
        last = NOW - timedelta(hours=rng.uniform(0, 24 * 500))
        memory = Memory(CardState.REVIEW, None, stability, 5.0, NOW, last)
        expected = scheduler.retrievability(memory, NOW)
        got = recall.of(stability, last)
        assert got == pytest.approx(expected, rel=1e-12)


def test_a_card_never_reviewed_has_no_recall() -> None:
    recall = Recall(SchedulerSettings().parameters, NOW)
    assert recall.of(None, None) is None
    assert recall.of(3.0, None) is None
    # reviewed just now: certain recall
    assert recall.of(3.0, NOW) == pytest.approx(1.0)
