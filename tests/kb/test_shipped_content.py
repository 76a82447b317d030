"""The shipped knowledge base: valid, complete, and faithful to the notes it comes from."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from quizdl.engine import registry
from quizdl.kb.loader import KnowledgeBase, load
from quizdl.kb.schema import ChoiceCard, GeneratedCard

NOTES = Path(__file__).parent / "data" / "notes" / "deep-learning.md"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, problems = load()
    assert [str(p) for p in problems] == []
    return kb


def note_sections() -> list[str]:
    text = NOTES.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.MULTILINE)
    assert title is not None
    return [title.group(1).strip(), *re.findall(r"^## (.+?)\s*$", text, re.MULTILINE)]


def test_at_least_120_cards_of_every_kind(kb: KnowledgeBase) -> None:
    kinds = Counter(card.kind for card in kb.cards.values())
    assert len(kb.cards) >= 120
    assert set(kinds) == {"basic", "cloze", "choice", "typed", "ordering", "generated"}
    choices = [c for c in kb.cards.values() if isinstance(c, ChoiceCard)]
    assert any(c.multiple for c in choices) and any(not c.multiple for c in choices)


def test_every_section_of_the_notes_has_cards(kb: KnowledgeBase) -> None:
    sections = note_sections()
    assert len(sections) == 25  # the intro under "# Deep Learning" and the 24 `##` sections
    covered = Counter(card.source.section for card in kb.cards.values())
    assert {s: covered[s] for s in sections if covered[s] < 3} == {}


def test_every_card_cites_the_notes(kb: KnowledgeBase) -> None:
    sections = set(note_sections())
    wrong = [
        card.id
        for card in kb.cards.values()
        if card.source.note != "deep-learning.md" or card.source.section not in sections
    ]
    assert wrong == []


def test_every_topic_cites_its_section(kb: KnowledgeBase) -> None:
    sections = set(note_sections())
    assert {t.id for t in kb.topics.values() if t.source.section not in sections} == set()
    assert {t.source.section for t in kb.topics.values()} == sections


def test_every_generator_family_has_a_card(kb: KnowledgeBase) -> None:
    used = {c.generator for c in kb.cards.values() if isinstance(c, GeneratedCard)}
    assert set(registry.families()) - used == set()


def test_notes_statements_are_kept(kb: KnowledgeBase) -> None:
    # The notes' own definitions must be taught, in Chinese as the notes state them.
    text = " ".join(
        " ".join(str(v) for v in card.model_dump(mode="json").values())
        for card in kb.cards.values()
    )
    for phrase in ("梯度消失", "梯度爆炸", "损失函数", "代价函数", "L2", "线性插值"):
        assert phrase in text, phrase
