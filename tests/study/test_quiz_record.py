"""A quiz counted in the schedule: each counted answer is the review a review of the same
question records; what does not count (suspended, buried, retired, a repeat) is left
alone; a practice quiz (the default) writes nothing; the review's undo never sees a quiz."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from quizdl.clock import Clock
from quizdl.engine import registry
from quizdl.kb.loader import KnowledgeBase
from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.store.db import Database
from quizdl.store.models import CardState, Profile, Review, StudySession
from quizdl.study.items import Item
from quizdl.study.quiz import Quiz
from quizdl.study.quiz_record import NotCounted, ScheduleRecorder
from quizdl.study.service import Study
from quizdl.study.settings import StudySettings
from tests.study.conftest import NOW

DENSE = "sample-numbers/dense-params"
SIGMOID = "sample-numbers/sigmoid-derivative"
VANISH = "sample-numbers/vanish-or-explode"
# what a twin review must match; the row's id, profile, session and timing are its own
OWN_COLUMNS = {"id", "profile_id", "session_id", "duration_ms"}


def open_study(
    database: Database, kb: KnowledgeBase, profile: str, at: datetime = NOW, seed: int = 11
) -> Study:
    return Study(
        database, kb, clock=Clock(zone=UTC, fixed=at), rng=random.Random(seed), profile=profile
    )


def right_answer(item: Item) -> str:
    assert item.question is not None
    answer = item.question.draft.answer
    return repr(answer) if isinstance(answer, float) else str(answer)


def wrong_answer(item: Item) -> str:
    assert item.question is not None
    draft = item.question.draft
    if draft.kind == "choice":
        return next(key for key, _ in draft.choices if key != draft.answer)
    return "12345.678"


def reviews(database: Database, profile: str | None = None) -> list[dict[str, Any]]:
    ids = _profile_ids(database)
    with database.sessions() as session:
        found = session.scalars(select(Review).order_by(Review.id)).all()
        return [
            {c.name: getattr(r, c.name) for c in Review.__table__.columns}
            for r in found
            if profile is None or r.profile_id == ids[profile]
        ]


def states(database: Database, profile: str) -> dict[str, dict[str, Any]]:
    ids = _profile_ids(database)
    with database.sessions() as session:
        rows = session.scalars(select(CardState).where(CardState.profile_id == ids[profile]))
        return {
            r.card_id: {c.name: getattr(r, c.name) for c in CardState.__table__.columns}
            for r in rows
        }


def _profile_ids(database: Database) -> dict[str, int]:
    with database.sessions() as session:
        return {p.name: p.id for p in session.scalars(select(Profile))}


def without(row: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


def no_fuzz(study: Study) -> None:
    # Fuzz draws from each Study's generator, which the twin's own draws move on; both
    # profiles go without it so that equal rows mean equal scheduling.
    study.save_settings(StudySettings(fuzz=False))


def test_counted_answers_are_the_reviews_a_review_of_the_same_question_records(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    # Both profiles met dense-params five days ago (rated easy: a review card now).
    for profile in ("quiz", "twin"):
        earlier = open_study(database, sample_kb, profile, at=NOW - timedelta(days=5))
        no_fuzz(earlier)
        earlier.show(DENSE)
        earlier.rate(4)
    study = open_study(database, sample_kb, "quiz")
    quiz = Quiz(sample_kb, random.Random(3), count=4, recorder=ScheduleRecorder(study))
    assert sorted({i.card_id for i in quiz.items[:3]}) == sorted([DENSE, SIGMOID, VANISH])
    timing: list[tuple[float, float]] = []
    for n in range(4):
        before = time.monotonic()
        item = quiz.ask()
        assert item is not None
        raw = right_answer(item) if n % 2 == 0 else wrong_answer(item)
        result = quiz.answer(raw)
        timing.append((before, time.monotonic()))
        assert result.correct is (n % 2 == 0)
    assert quiz.ask() is None  # the end: the quiz's session is closed
    assert [a.not_counted for a in quiz.answers] == [None, None, None, NotCounted.REPEAT]
    assert quiz.result().recorded == 3
    counted, timing = quiz.answers[:3], timing[:3]

    twin = open_study(database, sample_kb, "twin")
    twin.start()
    quiz_rows = reviews(database, "quiz")[1:]  # after the review five days ago
    assert [r["card_id"] for r in quiz_rows] == [a.item.card_id for a in counted]
    assert next(r for r in quiz_rows if r["card_id"] == DENSE)["state_before"] == S.REVIEW
    for answer, row in zip(counted, quiz_rows, strict=True):
        # The review shows the card and, here, the very question the quiz asked (a review
        # draws its own seed; this one is handed the quiz's).
        shown = twin.show(answer.item.card_id)
        shown.question, shown.choices = answer.item.question, answer.item.choices
        assert twin.submit_answer(answer.raw) == answer.result
        recorded = twin.accept()
        assert answer.recorded is not None and answer.recorded.review_id == row["id"]
        assert answer.recorded.rating == recorded.rating == answer.result.suggested_rating
        assert answer.recorded.due == recorded.due
        twin_row = next(r for r in reviews(database, "twin") if r["id"] == recorded.review_id)
        assert without(row, OWN_COLUMNS) == without(twin_row, OWN_COLUMNS)
    # what regenerates each question is kept, as for any review of a generated card
    for answer, row in zip(counted, quiz_rows, strict=True):
        question = answer.item.question
        assert question is not None
        family = registry.families()[row["generator"]]
        assert row["generator_version"] == family.version
        assert family.generate(row["seed"]) == question
        assert row["params"] == dict(question.draft.params)
        assert row["raw_answer"] == answer.raw
        assert row["verdict"]["correct"] is answer.result.correct
        assert row["verdict"]["interpreted"] == answer.result.interpreted
    # each answer is timed from the moment its question was asked
    for (before, after), row in zip(timing, quiz_rows, strict=True):
        assert 0 <= row["duration_ms"] <= (after - before) * 1000 + 1
    # the cards stand where the twin's stand
    quiz_states, twin_states = states(database, "quiz"), states(database, "twin")
    for card_id in (DENSE, SIGMOID, VANISH):
        assert without(quiz_states[card_id], {"profile_id"}) == without(
            twin_states[card_id], {"profile_id"}
        )
    assert quiz_states[DENSE]["state"] != S.NEW and quiz_states[DENSE]["reps"] == 2


def test_the_quiz_has_a_session_of_its_own_and_the_review_undo_never_sees_it(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    study = open_study(database, sample_kb, "default")
    quiz = Quiz(sample_kb, random.Random(5), count=3, recorder=ScheduleRecorder(study))
    while (item := quiz.ask()) is not None:
        quiz.answer(right_answer(item))
    rows = reviews(database)
    assert len(rows) == 3
    with database.sessions() as session:
        sessions = session.scalars(select(StudySession)).all()
    assert len(sessions) == 1
    (record,) = sessions
    assert record.filters.get("quiz") is True and record.ended_at == NOW
    assert record.summary is not None and record.summary["reviewed"] == 3
    assert record.summary["correct"] == 3 and record.summary["incorrect"] == 0
    assert {r["session_id"] for r in rows} == {record.id}
    # A review session starts a Study of its own (as the review screen does): nothing of
    # the quiz is in its undo history.
    review = open_study(database, sample_kb, "default")
    review.start()
    assert review.undo() is None
    assert reviews(database) == rows


def test_a_quiz_is_practice_unless_asked_it_writes_nothing(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    earlier = open_study(database, sample_kb, "default", at=NOW - timedelta(days=3))
    earlier.start()
    for _ in range(4):  # some history, so that "unchanged" means something
        assert earlier.next_item() is not None
        earlier.rate(3)
    earlier.end()
    before = (reviews(database), states(database, "default"))
    with database.sessions() as session:
        sessions_before = len(session.scalars(select(StudySession)).all())
    study = open_study(database, sample_kb, "default")
    quiz = Quiz(study.kb, study.rng, count=5)  # the default: no recorder
    assert not quiz.counted
    n = 0
    while (item := quiz.ask()) is not None:
        quiz.answer(right_answer(item) if n % 2 else wrong_answer(item))
        n += 1
    assert n == 5 and quiz.result().recorded is None
    assert all(a.recorded is None and a.not_counted is None for a in quiz.answers)
    assert (reviews(database), states(database, "default")) == before
    with database.sessions() as session:
        assert len(session.scalars(select(StudySession)).all()) == sessions_before


def test_suspended_buried_and_retired_cards_do_not_count_and_are_left_alone(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    setup = open_study(database, sample_kb, "default")
    setup.show(DENSE)
    setup.suspend()
    setup.show(SIGMOID)
    setup.bury()
    with database.transaction() as session:
        session.execute(update(CardState).where(CardState.card_id == VANISH).values(retired=True))
    before = states(database, "default")
    study = open_study(database, sample_kb, "default")
    quiz = Quiz(sample_kb, random.Random(1), count=3, recorder=ScheduleRecorder(study))
    why: dict[str, NotCounted | None] = {}
    while (item := quiz.ask()) is not None:
        why[item.card_id] = quiz.not_counted
        result = quiz.answer(right_answer(item))
        assert result.correct is True  # still checked, with its verdict and solution
    assert why == {
        DENSE: NotCounted.SUSPENDED,
        SIGMOID: NotCounted.BURIED,
        VANISH: NotCounted.RETIRED,
    }
    assert quiz.result().recorded == 0 and quiz.result().right == 3
    assert reviews(database) == []
    assert states(database, "default") == before


def test_a_bury_that_has_ended_does_not_stop_a_card_counting(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    yesterday = open_study(database, sample_kb, "default", at=NOW - timedelta(days=1))
    yesterday.show(DENSE)
    yesterday.bury()  # until the end of yesterday's study day
    study = open_study(database, sample_kb, "default")
    quiz = Quiz(sample_kb, random.Random(1), (), 3, recorder=ScheduleRecorder(study))
    while (item := quiz.ask()) is not None:
        assert quiz.not_counted is None
        quiz.answer(right_answer(item))
    assert {r["card_id"] for r in reviews(database)} == {DENSE, SIGMOID, VANISH}
    assert states(database, "default")[DENSE]["buried_until"] is None


def test_new_cards_introduced_by_a_quiz_count_toward_the_new_card_limit(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    study = open_study(database, sample_kb, "default")
    study.save_settings(StudySettings(new_per_day=5, bury_siblings=False))
    quiz = Quiz(sample_kb, random.Random(2), count=3, recorder=ScheduleRecorder(study))
    while (item := quiz.ask()) is not None:
        quiz.answer(right_answer(item))
    introduced = [r for r in reviews(database) if r["state_before"] == S.NEW]
    assert len(introduced) == 3
    review = open_study(database, sample_kb, "default")
    counts = review.start()
    total_new = len(sample_kb.cards) - 3  # the quiz's three cards are no longer new
    assert counts.new == min(total_new, 5 - 3)
    # the introduced cards are learning now, back in today's review like any other
    assert counts.learning == 3


def test_an_unreadable_answer_records_nothing_and_leaves_the_question_open(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    study = open_study(database, sample_kb, "default")
    quiz = Quiz(sample_kb, random.Random(4), count=1, recorder=ScheduleRecorder(study))
    item = quiz.ask()
    assert item is not None
    unreadable = quiz.answer("§§§")
    assert unreadable.correct is None and quiz.position == 0
    assert reviews(database) == []
    quiz.answer(right_answer(item))
    # committed before answer() returned: another connection reads it
    (row,) = reviews(database)
    assert row["card_id"] == item.card_id and row["raw_answer"] == right_answer(item)


def test_a_quiz_left_early_ends_its_session(database: Database, sample_kb: KnowledgeBase) -> None:
    study = open_study(database, sample_kb, "default")
    quiz = Quiz(sample_kb, random.Random(6), count=3, recorder=ScheduleRecorder(study))
    item = quiz.ask()
    assert item is not None
    quiz.answer(wrong_answer(item))
    quiz.stop()
    quiz.stop()  # a second time does nothing
    with database.sessions() as session:
        (record,) = session.scalars(select(StudySession)).all()
    assert record.ended_at == NOW and record.summary is not None
    assert record.summary["reviewed"] == 1 and record.summary["incorrect"] == 1
    assert len(reviews(database)) == 1


def test_a_counted_quiz_is_asked_in_its_study_language(
    database: Database, sample_kb: KnowledgeBase
) -> None:
    study = open_study(database, sample_kb, "default")
    with pytest.raises(ValueError, match="language"):
        Quiz(sample_kb, random.Random(1), lang="zh", recorder=ScheduleRecorder(study))
