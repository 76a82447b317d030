"""`quizdl export --format apkg`: the content as an Anki deck (written with genanki).

One subdeck per topic ("quizdl::<topic title>"), the card's tags as Anki tags. Cloze cards
become Anki cloze notes (the deletion syntax is the same); every other card a front/back
note, drawn exactly as quizdl shows it (choices listed, the answer and the explanation on
the back). A generated card becomes one fixed worked example: the question drawn with a
seed taken from the card id, its answer and the solution's steps.

Ids are derived from the card and topic ids, so importing a newer export into Anki
updates the notes it already has instead of adding copies.
"""

from __future__ import annotations

import hashlib
import html
import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any, BinaryIO

from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.schema import ClozeCard, GeneratedCard
from quizdl.kb.text import Lang
from quizdl.schedule.queue import Entry

ROOT_DECK = "quizdl"
CSS = (
    ".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n"
    ".source { color: #888; font-size: 14px; margin-top: 1em; }\n"
    ".solution { margin-top: 0.5em; }\n"
)


def stable_id(*parts: str, bits: int = 40) -> int:
    """A positive id from text, the same on every run (Anki ids must stay stable)."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).digest()
    return (1 << bits) + int.from_bytes(digest[:8], "big") % (1 << bits)


def example_seed(card_id: str) -> int:
    """The fixed seed of a card's worked example (and of its choice order)."""
    return int.from_bytes(hashlib.sha256(card_id.encode("utf-8")).digest()[:4], "big")


def deck_name(title: str) -> str:
    # "::" separates deck levels in Anki; a title must not add levels of its own.
    return f"{ROOT_DECK}::{' '.join(title.replace('::', ':').split())}"


def write_apkg(
    kb: KnowledgeBase,
    out: BinaryIO,
    *,
    topics: Sequence[str] = (),
    lang: Lang = "en",
    now: datetime | None = None,
) -> dict[str, int]:
    """Write the deck to `out`; returns the number of notes and decks."""
    import genanki  # a heavy import, needed only here

    unknown = [t for t in topics if t not in kb.topics]
    if unknown:
        known = ", ".join(sorted(kb.topics))
        raise BadInput(f"unknown topic {unknown[0]!r} (topics: {known})")
    basic = genanki.Model(
        stable_id("model", "basic"),
        "quizdl basic",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}, {"name": "CardId"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<div class="source">{{Source}}</div>',
            }
        ],
        css=CSS,
    )
    cloze = genanki.Model(
        stable_id("model", "cloze"),
        "quizdl cloze",
        model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Extra"}, {"name": "Source"}, {"name": "CardId"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}",
                "afmt": '{{cloze:Text}}<br>{{Extra}}<div class="source">{{Source}}</div>',
            }
        ],
        css=CSS,
    )
    chosen = [t for t in sorted(kb.topics.values(), key=lambda t: (t.order, t.id))]
    chosen = [t for t in chosen if not topics or t.id in topics]
    decks = []
    notes = 0
    for topic in chosen:
        deck = genanki.Deck(stable_id("deck", topic.id), deck_name(topic.title.render(lang)))
        for card in kb.cards_of(topic.id):
            source = _html(f"{card.source.note} · {card.source.section}")
            tags = list(card.tags)
            if isinstance(card, ClozeCard):
                extra = card.explain.render(lang) if card.explain else ""
                fields = [_html(card.text.render(lang)), _html(extra), source, card.id]
                note = genanki.Note(model=cloze, fields=fields, tags=tags, guid=_guid(card.id))
            else:
                front, back = _front_back(kb, card.id, topic.id, lang)
                fields = [front, back, source, card.id]
                note = genanki.Note(model=basic, fields=fields, tags=tags, guid=_guid(card.id))
            deck.add_note(note)
            notes += 1
        decks.append(deck)
    package = genanki.Package(decks)
    package.write_to_file(out, timestamp=now.timestamp() if now else None)
    return {"notes": notes, "decks": len(decks)}


def _guid(card_id: str) -> str:
    import genanki

    guid: str = genanki.guid_for("quizdl", card_id)
    return guid


def _front_back(kb: KnowledgeBase, card_id: str, topic: str, lang: Lang) -> tuple[str, str]:
    """The card as quizdl shows it, drawn with the card's fixed seed."""
    from quizdl.study import render
    from quizdl.study.present import make_item

    card = kb.cards[card_id]
    item = make_item(
        Entry(card_id, topic, card.source.section, 0, None),
        kb,
        random.Random(example_seed(card_id)),
    )
    front = _html(render.prompt(item, lang))
    choices = render.choices(item, lang)
    if choices:
        listed = "".join(f"<li>{_html(label)}) {_html(text)}</li>" for label, text in choices)
        front += f'<ul style="list-style: none">{listed}</ul>'
    back = _html(render.back(item, lang))
    if isinstance(card, GeneratedCard) and item.question is not None:
        steps = "".join(f"<li>{_html(s.render(lang))}</li>" for s in item.question.draft.solution)
        if steps:
            back += f'<ol class="solution">{steps}</ol>'
    return front, back


def _html(text: Any) -> str:
    return html.escape(str(text)).replace("\n", "<br>")
