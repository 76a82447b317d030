"""Cards as shown: options and ordering items shuffled for a review, as written for a card
looked at in the browser."""

from __future__ import annotations

import random

import pytest

from quizdl.kb.loader import KnowledgeBase, load_or_raise
from quizdl.kb.schema import ChoiceCard, OrderingCard
from quizdl.schedule.queue import Entry
from quizdl.study.present import make_item


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return load_or_raise()


def entry(kb: KnowledgeBase, card_id: str) -> Entry:
    return Entry(card_id, kb.topic_of[card_id], kb.cards[card_id].source.section, 0, None)


def test_unshuffled_options_keep_their_order_and_letters(shipped: KnowledgeBase) -> None:
    choices = [c for c in shipped.cards if isinstance(shipped.cards[c], ChoiceCard)]
    assert len(choices) > 40
    for card_id in choices:
        card = shipped.cards[card_id]
        assert isinstance(card, ChoiceCard)
        item = make_item(entry(shipped, card_id), shipped, random.Random(1), shuffle=False)
        assert [key for _, key in item.choices] == list(card.options)
        assert [label for label, _ in item.choices] == list("abcdefghi"[: len(card.options)])


def test_unshuffled_ordering_items_come_in_the_right_order(shipped: KnowledgeBase) -> None:
    for card_id in shipped.cards:
        card = shipped.cards[card_id]
        if isinstance(card, OrderingCard):
            item = make_item(entry(shipped, card_id), shipped, random.Random(1), shuffle=False)
            assert item.order == list(range(len(card.items)))


def test_a_review_still_shuffles(shipped: KnowledgeBase) -> None:
    moved = 0
    for card_id in shipped.cards:
        card = shipped.cards[card_id]
        if isinstance(card, ChoiceCard) and card.shuffle:
            item = make_item(entry(shipped, card_id), shipped, random.Random(card_id))
            moved += [key for _, key in item.choices] != list(card.options)
        if isinstance(card, OrderingCard):
            item = make_item(entry(shipped, card_id), shipped, random.Random(card_id))
            assert item.order != sorted(item.order)  # the right order would give it away
    assert moved > 20
