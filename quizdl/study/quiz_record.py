"""A quiz counted in the schedule: the learner's choice (a quiz is practice by default).

Each answer that counts is recorded through the very calls of the review screen
(`Study.present`, `submit_answer`, `accept`), so its Review row is the one a review of the
same question records: generator, version, seed, parameters, the raw answer, the verdict,
the suggested rating (accepted), the time from question to answer; and it is committed
before the verdict is handed back, so nothing is acknowledged that could still be lost.

What a learner would expect, and so what is done:

- The quiz runs on a Study of its own, in a study session of its own (its filters carry
  `"quiz": true`), ended with its summary when the quiz ends or is left: its answers show on
  the dashboard as the last session, and the review screen's undo history (each review
  session starts a fresh Study) never holds a quiz answer. The quiz itself offers no undo.
- Only a card the review could show today counts. A suspended card, a card buried until
  tomorrow (by hand, or as the sibling of a card just answered, when siblings are buried)
  and a retired card do not: the question is still asked, and the screen says why it does
  not count. Recording would silently lift the bury or reschedule a card set aside.
- A card counts once per quiz, on its first answer. A repeat (the quiz asks a skill again,
  with new numbers, when there are more questions than skills) is practice: answers minutes
  apart would push the card's interval out on no real evidence of memory.
- A new card's first counted answer introduces it, as the review would: it enters learning
  and counts toward today's new-card limit (a review session later that day shows that many
  fewer new cards), since what the limit bounds is the reviews new cards bring later. A card
  counts whether it is due or not (an early review, as when a card is opened from browse).
  The quiz does not stop at the daily limits: the learner chose the topics and the number.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from quizdl.store.models import StudySession
from quizdl.study import repo
from quizdl.study.items import AnswerResult, Item, Recorded, Summary
from quizdl.study.service import Study


class NotCounted(StrEnum):
    """Why a question of a counted quiz is not recorded."""

    SUSPENDED = "suspended"
    BURIED = "buried"
    RETIRED = "retired"
    REPEAT = "repeat"


class ScheduleRecorder:
    """Records the answers of one quiz as reviews of their cards, on `study`, which should
    be a Study of the quiz's own (`Opened.new_session()`): `begin` starts its session."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.counted: set[str] = set()
        """The cards recorded in this quiz."""
        self.summary: Summary | None = None
        """The session's summary, once ended."""
        self._open = False

    def begin(self, topics: Sequence[str]) -> None:
        """Open the quiz's session, marked as a quiz (two commits: a session with no review
        is never shown, so one left behind by a failure between them is harmless)."""
        study = self.study
        study.start(tuple(topics))
        with study.db.transaction() as session:
            row = session.get(StudySession, study.session_id)
            if row is not None:
                row.filters = {**row.filters, "quiz": True}
        self._open = True

    def present(self, item: Item) -> NotCounted | None:
        """Put the question before the study when its card counts (the answer is timed from
        now); otherwise say why it does not."""
        if item.card_id in self.counted:
            return NotCounted.REPEAT
        study = self.study
        with study.db.sessions() as session:
            state = repo.load_state(session, study.profile_id, item.card_id)
        if state is None or state["retired"]:
            return NotCounted.RETIRED
        if state["suspended"]:
            return NotCounted.SUSPENDED
        buried_until = state["buried_until"]
        if buried_until is not None and buried_until > study.clock.now():
            return NotCounted.BURIED
        study.present(item)
        return None

    def answer(self, raw: str) -> tuple[AnswerResult, Recorded | None]:
        """Check the answer to the presented question. A readable one is recorded with its
        suggested rating, committed before this returns; an unreadable one leaves the
        question open, as in the review."""
        result = self.study.submit_answer(raw)
        if result.correct is None:
            return result, None
        recorded = self.study.accept()
        self.counted.add(recorded.card_id)
        return result, recorded

    def end(self) -> None:
        """End the quiz's session (its summary stored); again, nothing happens."""
        if self._open:
            self.summary = self.study.end()
            self._open = False
