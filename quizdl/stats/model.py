"""The results of quizdl.stats, as typed values with a stable JSON form (`to_json`).

The JSON keys are documented in quizdl/stats/__init__.py; a test pins them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

RATINGS = (1, 2, 3, 4)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class DueCounts:
    """Cards a review session would offer: new (within the day's new-card limit), learning
    and relearning cards due before the day ends, review cards due (within the review limit)."""

    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review

    def to_json(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "learning": self.learning,
            "review": self.review,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class Today:
    """Answers given since the study day began."""

    reviews: int = 0
    new_cards: int = 0  # first answers of new cards
    by_rating: dict[int, int] = field(default_factory=dict)
    review_state: int = 0  # answers to cards in the review state ...
    review_state_passed: int = 0  # ... not rated Again
    seconds: float = 0.0

    @property
    def retention(self) -> float | None:
        return _ratio(self.review_state_passed, self.review_state)

    def to_json(self) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "new_cards": self.new_cards,
            "by_rating": {str(r): self.by_rating.get(r, 0) for r in RATINGS},
            "retention": self.retention,
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True, slots=True)
class CardCounts:
    """Cards of the profile that are in the content (retired cards are left out)."""

    total: int = 0
    new: int = 0
    learning: int = 0  # learning and relearning
    review: int = 0
    suspended: int = 0
    leeches: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "new": self.new,
            "learning": self.learning,
            "review": self.review,
            "suspended": self.suspended,
            "leeches": self.leeches,
        }


@dataclass(frozen=True, slots=True)
class Streak:
    days: int = 0
    studied_today: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"days": self.days, "studied_today": self.studied_today}


@dataclass(frozen=True, slots=True)
class Week:
    """The current week, Monday to today (study days)."""

    start: date
    reviews: int = 0
    days_studied: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "reviews": self.reviews,
            "days_studied": self.days_studied,
        }


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int

    def to_json(self, key: str) -> dict[str, Any]:
        return {"day": self.day.isoformat(), key: self.count}


@dataclass(frozen=True, slots=True)
class Retention:
    """True retention over [start, end] (study days): the share of answers to cards in the
    review state that were not Again."""

    start: date
    end: date
    reviews: int = 0
    passed: int = 0

    @property
    def retention(self) -> float | None:
        return _ratio(self.passed, self.reviews)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "reviews": self.reviews,
            "passed": self.passed,
            "retention": self.retention,
        }


@dataclass(frozen=True, slots=True)
class TopicStats:
    topic: str
    cards: int = 0
    seen: int = 0  # cards answered at least once
    mastery: float | None = None  # mean retrievability now of the seen cards
    due: DueCounts = DueCounts()

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "cards": self.cards,
            "seen": self.seen,
            "mastery": None if self.mastery is None else round(self.mastery, 4),
            "due": self.due.to_json(),
        }


@dataclass(frozen=True, slots=True)
class IntervalBucket:
    """Review cards whose current interval (due − last review) is in [min_days, max_days)."""

    min_days: int
    max_days: int | None
    cards: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"min_days": self.min_days, "max_days": self.max_days, "cards": self.cards}


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """The most recent study session with at least one answer."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    reviews: int
    by_rating: dict[int, int]
    seconds: float
    correct: int | None  # generated and typed answers checked right (None: not recorded)
    incorrect: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": _time(self.started_at),
            "ended_at": _time(self.ended_at),
            "reviews": self.reviews,
            "by_rating": {str(r): self.by_rating.get(r, 0) for r in RATINGS},
            "seconds": round(self.seconds, 1),
            "correct": self.correct,
            "incorrect": self.incorrect,
        }


@dataclass(frozen=True, slots=True)
class Leech:
    card_id: str
    topic: str
    lapses: int
    suspended: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "card_id": self.card_id,
            "topic": self.topic,
            "lapses": self.lapses,
            "suspended": self.suspended,
        }


@dataclass(frozen=True)
class Stats:
    profile: str
    now: datetime
    study_day: date
    time_zone: str
    rollover_hour: int
    today: Today
    due: DueCounts
    cards: CardCounts
    streak: Streak
    week: Week
    reviews_per_day: list[DayCount]
    retention_weeks: list[Retention]
    retention_months: list[Retention]
    forecast: list[DayCount]
    mastery: float | None
    topics: list[TopicStats]
    intervals: list[IntervalBucket]
    last_session: SessionSummary | None
    leeches: list[Leech]

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "now": _time(self.now),
            "study_day": self.study_day.isoformat(),
            "time_zone": self.time_zone,
            "rollover_hour": self.rollover_hour,
            "today": self.today.to_json(),
            "due": self.due.to_json(),
            "cards": self.cards.to_json(),
            "streak": self.streak.to_json(),
            "week": self.week.to_json(),
            "reviews_per_day": [d.to_json("reviews") for d in self.reviews_per_day],
            "retention": {
                "weeks": [r.to_json() for r in self.retention_weeks],
                "months": [r.to_json() for r in self.retention_months],
            },
            "forecast": [d.to_json("due") for d in self.forecast],
            "mastery": None if self.mastery is None else round(self.mastery, 4),
            "topics": [t.to_json() for t in self.topics],
            "intervals": [b.to_json() for b in self.intervals],
            "last_session": None if self.last_session is None else self.last_session.to_json(),
            "leeches": [leech.to_json() for leech in self.leeches],
        }
