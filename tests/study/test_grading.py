"""Checking answers against what the learner is shown: the right answer, as the review and
the quiz write it, is itself accepted when typed back."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from quizdl.kb.loader import KnowledgeBase, load_or_raise
from quizdl.kb.schema import GeneratedCard
from quizdl.schedule.queue import Entry
from quizdl.study.grading import expected_text, grade
from quizdl.study.items import Item
from quizdl.study.present import make_item


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return load_or_raise()


def generated_item(kb: KnowledgeBase, card_id: str, seed: int) -> Item:
    card = kb.cards[card_id]
    entry = Entry(card_id, card_id.split("/")[0], card.source.section, 0, None)
    return make_item(entry, kb, random.Random(seed))


def test_every_generated_questions_right_answer_typed_back_is_accepted(
    shipped: KnowledgeBase,
) -> None:
    refused = []
    cards = [c for c, card in shipped.cards.items() if isinstance(card, GeneratedCard)]
    assert len(cards) >= 40
    for card_id in cards:
        for seed in range(12):
            item = generated_item(shipped, card_id, seed)
            assert item.question is not None
            shown = expected_text(item, "en")
            typed = shown.split(")")[0] if item.question.draft.kind == "choice" else shown
            for lang in ("en", "zh"):
                result = grade(item, typed, lang)
                if not result.correct:
                    refused.append((card_id, seed, shown, result.interpreted, result.diagnosis))
    assert refused == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (6.4e-05, "6.4×10⁻⁵"),
        (1921437.0, "1,921,437"),
        (0.123456789, "0.123457"),
        (3.25e-10, "3.25×10⁻¹⁰"),
    ],
)
def test_a_number_is_shown_as_the_question_writes_numbers(
    shipped: KnowledgeBase, value: float, shown: str
) -> None:
    item = generated_item(shipped, "deep-learning/gen-gradient-chain", 0)
    assert item.question is not None
    draft = replace(item.question.draft, answer=value, mistakes=())
    item.question = replace(item.question, draft=draft)
    assert expected_text(item, "en") == shown
    assert grade(item, shown, "en").correct  # and it reads back
