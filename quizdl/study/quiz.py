"""A quiz: N freshly generated questions from chosen topics, outside the schedule unless
the learner asks for it to count.

By default nothing is written to the database: a quiz is practice. The score, the time and
every mistake (with its worked solution) are kept for the walk-through at the end. With a
ScheduleRecorder (quiz_record.py, which explains what counts and why), each counted answer
is also recorded as a review of its card before its verdict is handed back.

The Quiz is used on the study thread (asking and answering may write to the database).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.text import Lang, Text
from quizdl.schedule.queue import Entry
from quizdl.study.grading import grade
from quizdl.study.items import AnswerResult, Item, Recorded
from quizdl.study.present import make_item
from quizdl.study.quiz_record import NotCounted, ScheduleRecorder

MAX_QUESTIONS = 200


@dataclass(frozen=True)
class QuizAnswer:
    item: Item
    raw: str
    result: AnswerResult
    recorded: Recorded | None = None
    """The review recorded in the schedule (a counted quiz), committed before the verdict."""
    not_counted: NotCounted | None = None
    """Why a counted quiz did not record this answer."""


@dataclass(frozen=True)
class QuizResult:
    right: int
    total: int
    seconds: float
    mistakes: list[QuizAnswer]
    answered: int = 0
    """How many questions were answered: `total` unless the quiz was ended early."""
    recorded: int | None = None
    """How many answers were recorded in the schedule; None when the quiz was practice."""


GENERATED = "generated"  # the kind of the cards a quiz asks


def quiz_topics(kb: KnowledgeBase) -> list[str]:
    """Topics that have generated questions, in content order. Read from the stored kinds:
    building every card model would take over a second at 100,000 cards."""
    with_generated = kb.cards.count_by_topic(kind=GENERATED)
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
    recorder: ScheduleRecorder | None = None
    """Set when the learner asked for the quiz to count in the schedule."""
    items: list[Item] = field(default_factory=list, init=False)
    answers: list[QuizAnswer] = field(default_factory=list, init=False)
    not_counted: NotCounted | None = field(default=None, init=False)
    """Why the question asked now does not count (a counted quiz; None: it counts)."""
    _started: float = field(default=0.0, init=False)
    _finished: float | None = field(default=None, init=False)
    _asked: int = field(default=-1, init=False)

    def _bad(self, *, en: str, zh: str) -> BadInput:
        """What cannot be asked, in the quiz's language (the app shows it as it is)."""
        return BadInput(Text(en=en, zh=zh).get(self.lang))

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_QUESTIONS:
            raise self._bad(
                en=f"a quiz has 1 to {MAX_QUESTIONS} questions, not {self.count}",
                zh=f"测验的题目数是 1 到 {MAX_QUESTIONS}，不能是 {self.count}",
            )
        unknown = [t for t in self.topics if t not in self.kb.topics]
        if unknown:
            raise self._bad(en=f"unknown topic {unknown[0]!r}", zh=f"没有主题 {unknown[0]!r}")
        pool = self.kb.cards.ids_of_kind(GENERATED)  # no card is built, only those drawn
        if self.topics:
            wanted, topic_of = set(self.topics), self.kb.topic_of
            pool = [card_id for card_id in pool if topic_of[card_id] in wanted]
        if not pool:
            raise self._bad(
                en=f"there are no generated questions in {', '.join(self.topics) or 'the content'}",
                zh=f"{'、'.join(self.topics) or '内容'} 中没有生成题",
            )
        if self.recorder is not None and self.recorder.study.lang != self.lang:
            # a counted answer is checked by the study, in the study's language
            raise ValueError("a counted quiz is asked in its study's language")
        # Every skill once before any repeats (each repeat has new numbers).
        chosen: list[str] = []
        while len(chosen) < self.count:
            chosen.extend(self.rng.sample(pool, len(pool)))
        for card_id in chosen[: self.count]:
            facts = self.kb.facts(card_id)
            entry = Entry(card_id, facts.topic, facts.section, 0, None)
            self.items.append(make_item(entry, self.kb, self.rng))
        if self.recorder is not None:
            self.recorder.begin(self.topics)
        self._started = self.timer()

    @property
    def counted(self) -> bool:
        """Whether the learner asked for the quiz to count in the schedule."""
        return self.recorder is not None

    @property
    def position(self) -> int:
        """How many questions are answered (the index of the one being asked)."""
        return len(self.answers)

    def current(self) -> Item | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def ask(self) -> Item | None:
        """The question to show now, None when the quiz is over. In a counted quiz its card
        is put before the study, which times the answer from here (or `not_counted` says
        why it does not count), and the quiz's session is ended after the last question."""
        item = self.current()
        if self.recorder is None:
            return item
        if item is None:
            self.recorder.end()
        elif self._asked != self.position:
            self.not_counted = self.recorder.present(item)
            self._asked = self.position
        return item

    def answer(self, raw: str) -> AnswerResult:
        """Check the answer to the current question; a readable answer moves the quiz on,
        an unreadable one (correct is None) leaves the question open. In a counted quiz a
        readable answer that counts is recorded (committed) before this returns."""
        item = self.current()
        if item is None:
            raise BadInput("the quiz is over")
        recorded: Recorded | None = None
        if self.recorder is None:
            result = grade(item, raw, self.lang)
        else:
            self.ask()  # a question answered without being asked is asked now
            if self.not_counted is None:
                result, recorded = self.recorder.answer(raw)
            else:
                result = grade(item, raw, self.lang)
        if result.correct is not None:
            self.answers.append(QuizAnswer(item, raw, result, recorded, self.not_counted))
            if self.current() is None:
                self._finished = self.timer()
        return result

    def stop(self) -> None:
        """Leave the quiz: a counted quiz's session is ended (nothing happens the second
        time, nor for a practice quiz). The clock stops: `result` is the score so far."""
        if self._finished is None:
            self._finished = self.timer()
        if self.recorder is not None:
            self.recorder.end()

    def result(self) -> QuizResult:
        end = self._finished if self._finished is not None else self.timer()
        recorded = sum(1 for a in self.answers if a.recorded is not None)
        return QuizResult(
            right=sum(1 for a in self.answers if a.result.correct),
            total=len(self.items),
            seconds=round(end - self._started, 1),
            mistakes=[a for a in self.answers if not a.result.correct],
            recorded=recorded if self.recorder is not None else None,
            answered=len(self.answers),
        )
