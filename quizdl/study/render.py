"""The text of an item as a learner reads it, in one language, math drawn in Unicode.
Shared by the JSON-lines protocol, the plain review and the app."""

from __future__ import annotations

from quizdl.kb.schema import (
    CLOZE,
    BasicCard,
    ChoiceCard,
    ClozeCard,
    GeneratedCard,
    OrderingCard,
    TypedCard,
)
from quizdl.kb.text import Lang
from quizdl.study.grading import expected_text
from quizdl.study.items import Item


def prompt(item: Item, lang: Lang) -> str:
    card = item.card
    if item.question is not None:
        return item.question.draft.prompt.render(lang)
    if isinstance(card, BasicCard):
        return card.front.render(lang)
    if isinstance(card, ClozeCard):
        return CLOZE.sub(lambda m: f"[{m.group(3) or '…'}]", card.text.render(lang))
    if isinstance(card, ChoiceCard):
        return card.question.render(lang)
    if isinstance(card, TypedCard | OrderingCard):
        return card.prompt.render(lang)
    return card.id


def back(item: Item, lang: Lang) -> str:
    """What is revealed after the card: the back, the filled cloze, the right answer."""
    card = item.card
    if isinstance(card, BasicCard):
        text = card.back.render(lang)
    elif isinstance(card, ClozeCard):
        text = CLOZE.sub(lambda m: m.group(2), card.text.render(lang))
    else:
        text = expected_text(item, lang)
    if card.explain is not None and not isinstance(card, GeneratedCard):
        text += "\n" + card.explain.render(lang)
    return text


def choices(item: Item, lang: Lang) -> list[tuple[str, str]]:
    """(label, text) pairs for choice cards, generated choice questions and orderings."""
    card = item.card
    if isinstance(card, ChoiceCard):
        return [(label, card.options[key].render(lang)) for label, key in item.choices]
    if isinstance(card, OrderingCard):
        return [(str(n), card.items[i].render(lang)) for n, i in enumerate(item.order, 1)]
    if item.question is not None:
        texts = dict(item.question.draft.choices)
        return [(label, texts[key].render(lang)) for label, key in item.choices]
    return []
