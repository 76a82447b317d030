"""FSRS through the `fsrs` package (py-fsrs), with randomness passed in.

py-fsrs draws its interval fuzz from the global `random`; here the fuzz comes from an
injected `random.Random`, so that tests and replays are reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES


class CardState(IntEnum):
    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


RATINGS = (1, 2, 3, 4)  # Again, Hard, Good, Easy


@dataclass(frozen=True, slots=True)
class Memory:
    """What the scheduler knows about a card."""

    state: CardState = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None


@dataclass(frozen=True)
class SchedulerSettings:
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    parameters: tuple[float, ...] = field(default=tuple(DEFAULT_PARAMETERS))
    fuzz: bool = True


class _SeededScheduler(Scheduler):
    """py-fsrs's scheduler with the fuzz drawn from an injected generator."""

    def __init__(self, rng: random.Random, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._rng = rng

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        days = interval.days
        if days < 2.5:  # py-fsrs applies no fuzz below 2.5 days
            return interval
        low, high = fuzz_range(days, self.maximum_interval)
        # A uniform whole number of days in [low, high], as Anki draws it (py-fsrs rounds
        # random()·(high − low + 1) + low, which can land one day past `high`).
        fuzzed = low + int(self._rng.random() * (high - low + 1))
        return timedelta(days=min(fuzzed, self.maximum_interval))


def fuzz_range(days: int, maximum_interval: int) -> tuple[int, int]:
    """The fuzz window of py-fsrs (and Anki) around an interval of `days`."""
    delta = 1.0
    for band in FUZZ_RANGES:
        delta += band["factor"] * max(min(float(days), band["end"]) - band["start"], 0.0)
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum_interval)
    return min(low, high), high


class FsrsScheduler:
    def __init__(self, settings: SchedulerSettings, rng: random.Random) -> None:
        self.settings = settings
        common = {
            "parameters": settings.parameters,
            "desired_retention": settings.desired_retention,
            "learning_steps": settings.learning_steps,
            "relearning_steps": settings.relearning_steps,
            "maximum_interval": settings.maximum_interval,
        }
        self._fuzzed = _SeededScheduler(rng, enable_fuzzing=settings.fuzz, **common)
        self._plain = Scheduler(enable_fuzzing=False, **common)  # type: ignore[arg-type]

    def review(self, memory: Memory, rating: int, now: datetime) -> Memory:
        """The card's memory after an answer at `now`. A clock set backwards never gives a
        negative interval: the review is computed as if made at the last review."""
        card, at = _to_card(memory, now)
        after, _ = self._fuzzed.review_card(card, Rating(rating), review_datetime=at)
        return _from_card(after)

    def preview(self, memory: Memory, now: datetime) -> dict[int, timedelta]:
        """The interval each rating would give (without fuzz), as Anki shows on its buttons."""
        card, at = _to_card(memory, now)
        result: dict[int, timedelta] = {}
        for rating in RATINGS:
            after, _ = self._plain.review_card(card, Rating(rating), review_datetime=at)
            result[rating] = after.due - at
        return result

    def retrievability(self, memory: Memory, now: datetime) -> float:
        if memory.state == CardState.NEW or memory.stability is None:
            return 0.0
        card, at = _to_card(memory, now)
        return float(self._plain.get_card_retrievability(card, at))

    def replay(self, ratings: Sequence[tuple[int, datetime]]) -> Memory:
        """The memory after a whole history of (rating, time) answers, from new."""
        memory = Memory()
        for rating, at in ratings:
            memory = self.review(memory, rating, at)
        return memory


def _to_card(memory: Memory, now: datetime) -> tuple[Card, datetime]:
    at = max(now, memory.last_review) if memory.last_review else now
    if memory.state == CardState.NEW:
        return Card(card_id=0, state=State.Learning, step=0, due=at), at
    card = Card(
        card_id=0,
        state=State(int(memory.state)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due or at,
        last_review=memory.last_review,
    )
    return card, at


def _from_card(card: Card) -> Memory:
    return Memory(
        state=CardState(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
