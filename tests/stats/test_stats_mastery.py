"""Mastery: the mean retrievability of seen cards, checked against the scheduler's own
FsrsScheduler.retrievability (py-fsrs), in SQL and in the numpy fallback."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from stats_history import NOW, History

from quizdl.clock import Clock
from quizdl.schedule.fsrs_adapter import (
    CardState,
    FsrsScheduler,
    Memory,
    SchedulerSettings,
)
from quizdl.stats import compute
from quizdl.stats.retrievability import ForgettingCurve

# (topic, state, stability, time since the last review): whole-day boundaries on purpose.
CARDS = [
    ("x", CardState.REVIEW, 10.0, timedelta(days=7)),  # exactly 7 days: t = 7
    ("x", CardState.REVIEW, 10.0, timedelta(days=7, seconds=-1)),  # just under: t = 6
    ("x", CardState.REVIEW, 2.5, timedelta(days=40, hours=5)),
    ("x", CardState.RELEARNING, 0.4, timedelta(minutes=5)),  # t = 0: R = 1
    ("x", CardState.REVIEW, 300.0, timedelta(days=700)),
    ("y", CardState.LEARNING, 2.3, timedelta(hours=30)),
    ("y", CardState.REVIEW, 55.5, timedelta(days=-2)),  # reviewed "in the future": t = 0
    ("y", CardState.REVIEW, 1.0, timedelta(days=365, hours=23)),
]
# FSRS-6 parameters with a steeper forgetting curve (w[20] = 0.5 instead of 0.1542).
STEEP = [*SchedulerSettings().parameters[:20], 0.5]


def expected_mastery(weights: list[float] | None) -> dict[str, float]:
    settings = SchedulerSettings(parameters=tuple(weights)) if weights else SchedulerSettings()
    scheduler = FsrsScheduler(settings, random.Random(0))
    per_topic: dict[str, list[float]] = {}
    for topic, state, stability, ago in CARDS:
        memory = Memory(state=state, stability=stability, difficulty=5.0, last_review=NOW - ago)
        per_topic.setdefault(topic, []).append(scheduler.retrievability(memory, NOW))
    return {topic: sum(rs) / len(rs) for topic, rs in per_topic.items()}


def write_cards(history: History, weights: list[float] | None) -> None:
    history.profile(weights=weights)
    for i, (topic, state, stability, ago) in enumerate(CARDS):
        last: datetime = NOW - ago
        history.card(f"{topic}/c{i}", int(state), stability=stability, last_review=last)
    history.card("x/new", int(CardState.NEW))  # never seen: not part of mastery
    history.card("x/suspended", 2, stability=3.0, last_review=NOW - timedelta(days=3),
                 suspended=True)  # fmt: skip
    history.card("y/retired", 2, stability=0.5, last_review=NOW - timedelta(days=99), retired=True)


@pytest.mark.parametrize("math_in_sql", [True, False], ids=["sql", "numpy"])
@pytest.mark.parametrize("weights", [None, STEEP], ids=["default", "steep"])
def test_mastery_is_the_mean_retrievability_from_the_scheduler(
    history: History, clock: Clock, math_in_sql: bool, weights: list[float] | None
) -> None:
    write_cards(history, weights)
    stats = compute(history.write(), clock=clock, math_in_sql=math_in_sql)
    expected = expected_mastery(weights)
    # The suspended card (seen, 3 days after its last review, S = 3) counts in topic x.
    scheduler = FsrsScheduler(
        SchedulerSettings(parameters=tuple(weights)) if weights else SchedulerSettings(),
        random.Random(0),
    )
    suspended = scheduler.retrievability(
        Memory(state=CardState.REVIEW, stability=3.0, last_review=NOW - timedelta(days=3)), NOW
    )
    n_x = sum(1 for c in CARDS if c[0] == "x")
    expected["x"] = (expected["x"] * n_x + suspended) / (n_x + 1)
    by_topic = {t.topic: t for t in stats.topics}
    for topic, value in expected.items():
        assert by_topic[topic].mastery == pytest.approx(value, abs=1e-12)
    assert by_topic["x"].seen == n_x + 1
    overall = (expected["x"] * (n_x + 1) + expected["y"] * (len(CARDS) - n_x)) / (len(CARDS) + 1)
    assert stats.mastery == pytest.approx(overall, abs=1e-12)


def test_the_curve_gives_r_09_when_t_equals_s() -> None:
    for weights in (None, STEEP):
        curve = ForgettingCurve.from_parameters(weights)
        assert (1 + curve.factor * 17.0 / 17.0) ** curve.decay == pytest.approx(0.9, abs=1e-15)
    assert ForgettingCurve.from_parameters(STEEP).decay == -0.5


def test_mastery_is_null_without_seen_cards(history: History, clock: Clock) -> None:
    history.profile().card("x/new", int(CardState.NEW))
    stats = compute(history.write(), clock=clock)
    assert stats.mastery is None
    assert stats.topics[0].to_json()["mastery"] is None
