"""Turning a queue entry into an item to show: shuffled choices and orderings, and a
freshly drawn question for a generated card (a new seed on every review)."""

from __future__ import annotations

import random
import string

from quizdl.engine import registry
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.schema import ChoiceCard, GeneratedCard, OrderingCard, TypedCard
from quizdl.schedule.queue import Entry
from quizdl.study.items import Item

SEED_BOUND = 2**31  # seeds are stored in a 32-bit integer column


def make_item(entry: Entry, kb: KnowledgeBase, rng: random.Random, *, shuffle: bool = True) -> Item:
    """The card of `entry` as it is shown: options and ordering items shuffled with `rng`
    (unless `shuffle` is False: as written, for a card looked at rather than answered), a
    generated card's question drawn with it."""
    card = kb.cards[entry.card_id]
    item = Item(
        card_id=entry.card_id,
        card=card,
        topic=entry.topic,
        section=entry.section,
        state=entry.state,
        expects="answer"
        if isinstance(card, ChoiceCard | TypedCard | OrderingCard | GeneratedCard)
        else "rating",
        changed=entry.changed,
    )
    if isinstance(card, ChoiceCard):
        keys = list(card.options)
        if card.shuffle and shuffle:
            rng.shuffle(keys)
        item.choices = list(zip(string.ascii_lowercase, keys, strict=False))
    elif isinstance(card, OrderingCard):
        order = list(range(len(card.items)))
        for _ in range(10 if shuffle else 0):  # the right order would give it away
            rng.shuffle(order)
            if order != sorted(order):
                break
        item.order = order
    elif isinstance(card, GeneratedCard):
        family = registry.get(card.generator)
        if family is None:  # the loader refuses such content; guard against a stale registry
            raise LookupError(f"card {card.id!r} names an unknown generator {card.generator!r}")
        ranges = {
            name: (float(v[0]), float(v[1])) if isinstance(v, list) else (float(v), float(v))
            for name, v in card.params.items()
        }
        item.question = family.generate(rng.randrange(SEED_BOUND), ranges or None)
        item.choices = [(key, key) for key, _ in item.question.draft.choices]
    return item
