"""The quiz: how questions are drawn, scored and kept for the walk-through."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.study.quiz import Quiz, quiz_topics


def right_answer(quiz: Quiz) -> str:
    item = quiz.current()
    assert item is not None and item.question is not None
    answer = item.question.draft.answer
    return repr(answer) if isinstance(answer, float) else str(answer)


def test_only_topics_with_generated_questions(sample_kb: KnowledgeBase) -> None:
    assert quiz_topics(sample_kb) == ["sample-numbers"]
    with pytest.raises(BadInput, match="no generated questions in sample-basics"):
        Quiz(sample_kb, random.Random(1), ("sample-basics",))
    with pytest.raises(BadInput, match="unknown topic"):
        Quiz(sample_kb, random.Random(1), ("nope",))
    with pytest.raises(BadInput, match="1 to 200"):
        Quiz(sample_kb, random.Random(1), count=0)


def test_every_skill_comes_once_before_any_repeats(sample_kb: KnowledgeBase) -> None:
    quiz = Quiz(sample_kb, random.Random(3), count=7)
    ids = [item.card_id for item in quiz.items]
    assert len(set(ids[:3])) == 3 and len(set(ids[3:6])) == 3
    assert max(Counter(ids).values()) == 3
    seeds = [item.question.seed for item in quiz.items if item.question is not None]
    assert len(set(seeds)) == len(seeds)  # each repeat has new numbers


def test_same_seed_same_quiz(sample_kb: KnowledgeBase) -> None:
    first = Quiz(sample_kb, random.Random(5), count=4)
    second = Quiz(sample_kb, random.Random(5), count=4)
    assert [i.question for i in first.items] == [i.question for i in second.items]


def test_score_time_and_mistakes(sample_kb: KnowledgeBase) -> None:
    ticks = iter([100.0, 163.5])
    quiz = Quiz(sample_kb, random.Random(2), count=3, timer=lambda: next(ticks))
    unreadable = quiz.answer("§§§")
    assert unreadable.correct is None and quiz.position == 0  # not counted
    quiz.answer(right_answer(quiz))
    wrong = quiz.current()
    quiz.answer("12345.678" if pick(wrong) != "choice" else other_choice(wrong))
    quiz.answer(right_answer(quiz))
    assert quiz.current() is None
    result = quiz.result()
    assert (result.right, result.total) == (2, 3)
    assert result.seconds == 63.5
    assert [m.item for m in result.mistakes] == [wrong]
    assert result.mistakes[0].result.solution  # the walk-through has the worked solution
    with pytest.raises(BadInput, match="over"):
        quiz.answer("1")


def pick(item: object) -> str:
    question = getattr(item, "question", None)
    return str(question.draft.kind) if question is not None else ""


def other_choice(item: object) -> str:
    question = getattr(item, "question", None)
    assert question is not None
    return next(key for key, _ in question.draft.choices if key != question.draft.answer)
