"""The study use cases on both backends: queue, limits, steps, siblings, leeches, undo,
reconciliation with the content, and time (rollover, clock set backwards)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from quizdl.store.db import Database
from quizdl.store.models import CardState, Review
from quizdl.study.service import Study
from tests.study.conftest import T0, StudyFactory, basic, spread, write_kb


def rows(database: Database) -> dict[str, CardState]:
    with database.sessions() as session:
        return {c.card_id: c for c in session.scalars(select(CardState))}


def review_count(database: Database) -> int:
    with database.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Review)) or 0)


def answer_all(study: Study, rating: int = 3) -> list[str]:
    seen = []
    while (item := study.next_item()) is not None:
        seen.append(item.card_id)
        study.rate(rating)
    return seen


def test_new_cards_respect_the_daily_limit_and_reset_after_rollover(
    tmp_path: Path, make_study: StudyFactory
) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 30)})
    study = make_study(kb)
    study.save_settings(study.settings.model_copy(update={"new_per_day": 5}))
    assert study.start().new == 5
    first = answer_all(study, 4)  # Easy: straight to review, no learning steps
    assert len(first) == 5
    assert make_study(kb, at=T0 + timedelta(hours=5)).start().new == 0  # same study day
    next_day = make_study(kb, at=T0 + timedelta(days=1))
    assert next_day.start().new == 5


def test_learning_cards_come_back_in_the_same_session(
    tmp_path: Path, make_study: StudyFactory, database: Database
) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 1)})
    study = make_study(kb)
    study.start()
    item = study.next_item()
    assert item is not None
    recorded = study.rate(1)  # Again: first learning step, one minute
    assert recorded.state == 1 and recorded.interval == timedelta(minutes=1)
    assert study.counts().learning == 1
    again = study.next_item()  # within the learn-ahead window, nothing else left
    assert again is not None and again.card_id == item.card_id
    study.rate(3)
    study.rate(3) if study.next_item() else None
    assert rows(database)["t/c0"].reps >= 2


def test_siblings_are_buried_for_the_day(tmp_path: Path, make_study: StudyFactory) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 6, sections=2)})  # two sections of three cards
    study = make_study(kb)
    assert study.start().new == 2  # one card per section
    assert len(answer_all(study, 4)) == 2
    other = make_study(kb, profile="other")
    assert other.start(bury=False).new == 6  # asked: siblings shown on the same day
    assert len(answer_all(other, 4)) == 6
    tomorrow = make_study(kb, at=T0 + timedelta(days=1))
    assert tomorrow.start().new == 2


def test_leech_is_tagged_and_suspended(
    tmp_path: Path, make_study: StudyFactory, database: Database
) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 1)})
    study = make_study(kb)
    study.save_settings(study.settings.model_copy(update={"leech_threshold": 2, "fuzz": False}))
    study.start()
    study.next_item()
    study.rate(4)
    for lapse in range(2):  # forget it twice, relearning in between
        state = rows(database)["t/c0"]
        assert state.due is not None and state.state == 2
        study = make_study(kb, at=state.due + timedelta(hours=1))
        study.start()
        assert study.next_item() is not None
        study.rate(1)
        if lapse == 0:
            assert rows(database)["t/c0"].state == 3 and not rows(database)["t/c0"].leech
            study.clock = replace(study.clock, fixed=study.clock.now() + timedelta(minutes=15))
            assert study.next_item() is not None
            study.rate(3)  # relearnt: back in review
    state = rows(database)["t/c0"]
    assert state.lapses == 2 and state.leech and state.suspended


def test_undo_restores_state_exactly_several_levels(
    tmp_path: Path, make_study: StudyFactory, database: Database
) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 3)})
    study = make_study(kb)
    study.start()
    before = {k: _fields(v) for k, v in rows(database).items()}
    answered = []
    for rating in (3, 1, 4):
        item = study.next_item()
        assert item is not None
        answered.append(item.card_id)
        study.rate(rating)
    assert review_count(database) == 3
    assert [study.undo(), study.undo(), study.undo()] == answered[::-1]
    assert study.undo() is None
    assert review_count(database) == 0
    assert {k: _fields(v) for k, v in rows(database).items()} == before
    item = study.next_item()
    assert item is not None and item.card_id == answered[0]


def _fields(state: CardState) -> tuple[object, ...]:
    return (
        state.state,
        state.step,
        state.stability,
        state.difficulty,
        state.due,
        state.last_review,
        state.reps,
        state.lapses,
        state.buried_until,
        state.suspended,
    )


def test_bury_suspend_skip(tmp_path: Path, make_study: StudyFactory, database: Database) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 3)})
    study = make_study(kb)
    study.start()
    first = study.next_item()
    assert first is not None
    study.skip()
    second = study.next_item()
    assert second is not None and second.card_id != first.card_id
    assert study.bury() == second.card_id
    third = study.next_item()
    assert third is not None
    assert study.suspend() == third.card_id
    assert study.next_item() is not None and study.next_item().card_id == first.card_id  # type: ignore[union-attr]
    state = rows(database)
    assert state[second.card_id].buried_until == study.clock.day_end()
    assert state[third.card_id].suspended
    assert review_count(database) == 0  # none of these is an answer


def test_content_reconciliation(
    tmp_path: Path, make_study: StudyFactory, database: Database
) -> None:
    kb = write_kb(tmp_path, {"t": [basic("t/a", "s1"), basic("t/b", "s2")]})
    study = make_study(kb)
    assert sorted(study.reconciled.added) == ["t/a", "t/b"]
    study.start()
    answer_all(study, 4)
    progress = _fields(rows(database)["t/a"])
    # edit a, remove b, add c
    kb = write_kb(tmp_path, {"t": [basic("t/a", "s1", back="edited"), basic("t/c", "s3")]})
    study = make_study(kb, at=T0 + timedelta(days=30))
    assert study.reconciled.changed == ["t/a"] and study.reconciled.retired == ["t/b"]
    assert study.reconciled.added == ["t/c"]
    state = rows(database)
    assert _fields(state["t/a"]) == progress  # progress kept
    assert state["t/b"].retired
    study.start()
    shown = {}
    while (item := study.next_item()) is not None:
        shown[item.card_id] = item.changed
        study.rate(3)
    assert shown.get("t/a") is True and "t/b" not in shown
    # b comes back with its history
    kb = write_kb(tmp_path, {"t": [basic("t/a", "s1", back="edited"), basic("t/b", "s2")]})
    study = make_study(kb, at=T0 + timedelta(days=31))
    assert "t/b" in study.reconciled.returned
    assert not rows(database)["t/b"].retired and rows(database)["t/b"].reps == 1


def test_session_spanning_the_rollover(tmp_path: Path, make_study: StudyFactory) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 4)})
    late = T0.replace(hour=3, minute=50)  # 03:50 UTC, ten minutes before the rollover
    study = make_study(kb, at=late)
    study.save_settings(study.settings.model_copy(update={"new_per_day": 2}))
    study.start()
    study.next_item()
    study.rate(4)
    study.clock = replace(study.clock, fixed=late + timedelta(minutes=20))  # a new study day
    study.next_item()
    study.rate(4)
    fresh = make_study(kb, at=late + timedelta(minutes=25))
    assert fresh.start().new == 1  # one of today's two new cards is already used


def test_clock_set_backwards(tmp_path: Path, make_study: StudyFactory, database: Database) -> None:
    kb = write_kb(tmp_path, {"t": spread("t", 1)})
    study = make_study(kb)
    study.start()
    study.next_item()
    study.rate(4)
    state = rows(database)["t/c0"]
    assert state.due is not None
    earlier = make_study(kb, at=T0 - timedelta(days=2))
    earlier.show("t/c0")
    recorded = earlier.rate(3)
    assert recorded.interval is not None and recorded.interval > timedelta(0)
    assert recorded.due is not None and recorded.due > T0


def test_generated_review_keeps_what_regenerates_the_question(
    tmp_path: Path, make_study: StudyFactory, database: Database
) -> None:
    from quizdl.engine import registry

    card = (
        "  - id: g/derivative\n    kind: generated\n    generator: activation-derivative\n"
        "    source: {note: n.md, section: g}\n"
    )
    kb = write_kb(tmp_path, {"g": [card]})
    study = make_study(kb)
    study.start()
    item = study.next_item()
    assert item is not None and item.question is not None and item.expects == "answer"
    result = study.submit_answer(repr(item.question.draft.answer))
    assert result.correct is True and result.suggested_rating == 3
    study.accept()
    with database.sessions() as session:
        review = session.scalars(select(Review)).one()
    assert review.generator == "activation-derivative"
    assert review.raw_answer == repr(item.question.draft.answer)
    assert review.verdict is not None and review.verdict["correct"] is True
    family = registry.families()[review.generator]
    assert review.seed is not None and review.generator_version == family.version
    again = family.generate(review.seed)
    assert again == item.question and dict(again.draft.params) == review.params
