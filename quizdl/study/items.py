"""What the study module hands to an interface: items to show, results, acknowledgements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from quizdl.engine.question import Question
from quizdl.kb.schema import Card

Expects = Literal["rating", "answer"]


@dataclass(frozen=True)
class Counts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass
class Item:
    """A card to show now. For a generated card, `question` is freshly drawn;
    `choices` and `order` are the labels shown for choice and ordering cards."""

    card_id: str
    card: Card
    topic: str
    section: str
    state: int
    expects: Expects
    question: Question | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)  # (label shown, key)
    order: list[int] = field(default_factory=list)  # shown position -> index in card.items
    changed: bool = False
    shown_at: float = 0.0


@dataclass(frozen=True)
class AnswerResult:
    correct: bool | None
    interpreted: str
    diagnosis: str | None
    expected: str
    solution: list[str]
    suggested_rating: int | None
    reason: str = ""


@dataclass(frozen=True)
class Recorded:
    """Sent only after the review is committed."""

    card_id: str
    rating: int
    review_id: int
    state: int
    due: datetime | None
    interval: timedelta | None


@dataclass(frozen=True)
class Summary:
    reviewed: int
    by_rating: dict[int, int]
    correct: int
    incorrect: int
    seconds: float
    remaining: Counts
    learning_later_today: int
    next_learning_due: datetime | None
