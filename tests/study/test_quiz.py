"""The quiz: how questions are drawn, scored and kept for the walk-through."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

import quizdl.kb.cards as cards_module
from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.schema import BasicCard, Card, GeneratedCard, Source, TopicMeta
from quizdl.kb.text import Text
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
    # in Chinese when the quiz is asked in Chinese (the app shows these words as they are)
    with pytest.raises(BadInput, match="sample-basics 中没有生成题"):
        Quiz(sample_kb, random.Random(1), ("sample-basics",), lang="zh")
    with pytest.raises(BadInput, match="没有主题 'nope'"):
        Quiz(sample_kb, random.Random(1), ("nope",), lang="zh")
    with pytest.raises(BadInput, match="测验的题目数是 1 到 200，不能是 0"):
        Quiz(sample_kb, random.Random(1), count=0, lang="zh")


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


def test_a_quiz_stopped_early_scores_what_was_answered(sample_kb: KnowledgeBase) -> None:
    ticks = iter([10.0, 25.0, 99.0])
    quiz = Quiz(sample_kb, random.Random(2), count=4, timer=lambda: next(ticks))
    quiz.answer(right_answer(quiz))
    quiz.stop()  # at 25.0: the clock stops here
    result = quiz.result()
    assert (result.right, result.answered, result.total, result.seconds) == (1, 1, 4, 15.0)
    assert result.mistakes == [] and result.recorded is None
    quiz.stop()  # a second time changes nothing
    assert quiz.result() == result


def pick(item: object) -> str:
    question = getattr(item, "question", None)
    return str(question.draft.kind) if question is not None else ""


def other_choice(item: object) -> str:
    question = getattr(item, "question", None)
    assert question is not None
    return str(next(key for key, _ in question.draft.choices if key != question.draft.answer))


# --- a big knowledge base: the topic list and the pool are read from the stored kinds -------

BIG_CARDS = 100_000
BIG_TOPICS = 10
PER_TOPIC = BIG_CARDS // BIG_TOPICS
WITH_GENERATED = (2, 5, 7)  # the topics that have generated cards
GENERATED_EVERY = 9  # in those topics, every 9th card is generated


def big_topic_id(t: int) -> str:
    return f"big-{t}"


def big_cards() -> Iterator[Card]:
    """BIG_CARDS cards, built without validation (as the store takes them, one at a time)."""
    for i in range(BIG_CARDS):
        t = i // PER_TOPIC
        common: dict[str, Any] = {
            "id": f"{big_topic_id(t)}/c{i}",
            "tags": [],
            "explain": None,
            "origin": None,
            "source": Source.model_construct(note="b.md", section=f"s{i // 50}"),
        }
        if t in WITH_GENERATED and i % GENERATED_EVERY == 0:
            yield GeneratedCard.model_construct(
                kind="generated", generator="activation-derivative", params={}, title=None, **common
            )
        else:
            front, back = Text.same(f"Q{i}"), Text.same(f"A{i}")
            yield BasicCard.model_construct(kind="basic", front=front, back=back, **common)


@pytest.fixture(scope="module")
def big_kb() -> KnowledgeBase:
    # topics ordered against their ids (big-9 first), so content order is not id order
    topics = [
        TopicMeta.model_construct(
            id=big_topic_id(t),
            title=Text.same(big_topic_id(t)),
            source=Source.model_construct(note="b.md", section=big_topic_id(t)),
            order=BIG_TOPICS - t,
            summary=None,
            references=[],
            excerpts=[],
        )
        for t in range(BIG_TOPICS)
    ]
    return KnowledgeBase.from_cards(topics, big_cards())


def count_built(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts every card model the store builds from now on, by id."""
    built: Counter[str] = Counter()
    decode = cards_module.decode_card

    def counting(card_id: str, encoded: bytes) -> Card:
        built[card_id] += 1
        return decode(card_id, encoded)

    monkeypatch.setattr(cards_module, "decode_card", counting)
    return built


def test_the_topic_list_of_a_big_kb_builds_no_card(
    big_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = count_built(monkeypatch)
    expected = [big_topic_id(t) for t in sorted(WITH_GENERATED, reverse=True)]
    assert quiz_topics(big_kb) == expected
    assert built == Counter()


def test_the_pool_of_a_big_kb_builds_only_the_cards_drawn(
    big_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = count_built(monkeypatch)
    quiz = Quiz(big_kb, random.Random(4), count=30)
    drawn = {item.card_id for item in quiz.items}
    assert len(drawn) == 30  # a pool of thousands: no repeats in 30
    assert set(built) <= drawn  # the built models are the ones drawn (fewer: some were kept)
    for item in quiz.items:
        number = int(item.card_id.rsplit("/c", 1)[1])
        assert number // PER_TOPIC in WITH_GENERATED and number % GENERATED_EVERY == 0
        assert item.card.kind == "generated" and item.question is not None
        assert item.topic == big_topic_id(number // PER_TOPIC)
        assert item.section == f"s{number // 50}"

    built.clear()
    one_topic = Quiz(big_kb, random.Random(4), (big_topic_id(5),), count=30)
    assert {item.topic for item in one_topic.items} == {big_topic_id(5)}
    assert set(built) <= {item.card_id for item in one_topic.items}
    with pytest.raises(BadInput, match="no generated questions in big-3"):
        Quiz(big_kb, random.Random(4), (big_topic_id(3),))
    assert len(built) <= 30


def test_the_pool_is_every_generated_card_of_the_chosen_topics_in_content_order(
    big_kb: KnowledgeBase,
) -> None:
    # The quiz shuffles its pool with one rng.sample before drawing anything else: the same
    # sample of the pool written out here gives the same questions in the same order.
    for topics in ((), (big_topic_id(7), big_topic_id(2))):
        chosen = [int(t.split("-")[1]) for t in topics] or list(range(BIG_TOPICS))
        expected = [
            f"{big_topic_id(i // PER_TOPIC)}/c{i}"
            for i in range(BIG_CARDS)
            if i // PER_TOPIC in WITH_GENERATED and i // PER_TOPIC in chosen
            if i % GENERATED_EVERY == 0
        ]
        quiz = Quiz(big_kb, random.Random(8), topics, count=200)
        shuffled = random.Random(8).sample(expected, len(expected))
        assert [item.card_id for item in quiz.items] == shuffled[:200]
