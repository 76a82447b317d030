"""A quiz: N freshly generated questions from chosen topics, outside the schedule.

Nothing is written to the database: a quiz is practice. The score, the time and every
mistake (with its worked solution) are kept for the walk-through at the end.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.schema import GeneratedCard
from quizdl.kb.text import Lang
from quizdl.schedule.queue import Entry
from quizdl.study.grading import grade
from quizdl.study.items import AnswerResult, Item
from quizdl.study.present import make_item

MAX_QUESTIONS = 200


@dataclass(frozen=True)
class QuizAnswer:
    item: Item
    raw: str
    result: AnswerResult


@dataclass(frozen=True)
class QuizResult:
    right: int
    total: int
    seconds: float
    mistakes: list[QuizAnswer]


def quiz_topics(kb: KnowledgeBase) -> list[str]:
    """Topics that have generated questions, in content order."""
    with_generated = {
        kb.topic_of[cid] for cid, c in kb.cards.items() if isinstance(c, GeneratedCard)
    }
    return [
        t.id
        for t in sorted(kb.topics.values(), key=lambda t: (t.order, t.id))
        if t.id in with_generated
    ]


@dataclass
class Quiz:
    kb: KnowledgeBase
    rng: random.Random
    topics: Sequence[str] = ()
    count: int = 10
    lang: Lang = "en"
    timer: Callable[[], float] = time.monotonic
    items: list[Item] = field(default_factory=list, init=False)
    answers: list[QuizAnswer] = field(default_factory=list, init=False)
    _started: float = field(default=0.0, init=False)
    _finished: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_QUESTIONS:
            raise BadInput(f"a quiz has 1 to {MAX_QUESTIONS} questions, not {self.count}")
        unknown = [t for t in self.topics if t not in self.kb.topics]
        if unknown:
            raise BadInput(f"unknown topic {unknown[0]!r}")
        pool = [
            card_id
            for card_id, card in self.kb.cards.items()
            if isinstance(card, GeneratedCard)
            and (not self.topics or self.kb.topic_of[card_id] in self.topics)
        ]
        if not pool:
            where = ", ".join(self.topics) if self.topics else "the content"
            raise BadInput(f"there are no generated questions in {where}")
        # Every skill once before any repeats (each repeat has new numbers).
        chosen: list[str] = []
        while len(chosen) < self.count:
            chosen.extend(self.rng.sample(pool, len(pool)))
        for card_id in chosen[: self.count]:
            card = self.kb.cards[card_id]
            entry = Entry(card_id, self.kb.topic_of[card_id], card.source.section, 0, None)
            self.items.append(make_item(entry, self.kb, self.rng))
        self._started = self.timer()

    @property
    def position(self) -> int:
        """How many questions are answered (the index of the one being asked)."""
        return len(self.answers)

    def current(self) -> Item | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def answer(self, raw: str) -> AnswerResult:
        """Check the answer to the current question; a readable answer moves the quiz on,
        an unreadable one (correct is None) leaves the question open."""
        item = self.current()
        if item is None:
            raise BadInput("the quiz is over")
        result = grade(item, raw, self.lang)
        if result.correct is not None:
            self.answers.append(QuizAnswer(item, raw, result))
            if self.current() is None:
                self._finished = self.timer()
        return result

    def result(self) -> QuizResult:
        end = self._finished if self._finished is not None else self.timer()
        return QuizResult(
            right=sum(1 for a in self.answers if a.result.correct),
            total=len(self.items),
            seconds=round(end - self._started, 1),
            mistakes=[a for a in self.answers if not a.result.correct],
        )
