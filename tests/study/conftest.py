"""A small knowledge base on disk and a Study factory with a fixed clock and seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizdl.clock import Clock
from quizdl.kb.loader import KnowledgeBase, load_or_raise
from quizdl.store.db import Database
from quizdl.study.service import Study

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 09:00 UTC: mid study day in UTC with rollover 4:00


def basic(card_id: str, section: str, front: str = "Q", back: str = "A") -> str:
    return (
        f"  - id: {card_id}\n    kind: basic\n    front: {{en: {front}, zh: 问{front}}}\n"
        f"    back: {{en: {back}, zh: 答{back}}}\n"
        f"    source: {{note: n.md, section: {section}}}\n"
    )


def topic_file(topic: str, cards: list[str], order: int = 0) -> str:
    return (
        f"topic:\n  id: {topic}\n  title: {{en: {topic}, zh: 主题{topic}}}\n"
        f"  source: {{note: n.md, section: {topic}}}\n  order: {order}\ncards:\n" + "".join(cards)
    )


def write_kb(folder: Path, topics: dict[str, list[str]]) -> KnowledgeBase:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    for order, (topic, cards) in enumerate(topics.items()):
        (folder / f"{topic}.yaml").write_text(topic_file(topic, cards, order), encoding="utf-8")
    return load_or_raise([folder], shipped=False)


def spread(topic: str, n: int, sections: int | None = None) -> list[str]:
    """n basic cards of `topic`, each in its own section unless `sections` is given."""
    return [basic(f"{topic}/c{i}", f"s{i % sections if sections else i}") for i in range(n)]


StudyFactory = Callable[..., Study]


@pytest.fixture
def make_study(database: Database) -> StudyFactory:
    def factory(kb: KnowledgeBase, at: datetime = T0, seed: int = 0, **kwargs: object) -> Study:
        return Study(database, kb, clock=Clock(fixed=at), rng=random.Random(seed), **kwargs)  # type: ignore[arg-type]

    return factory


# --- the shared sample content (tests/data/sample_content: every kind of card) -------------

SAMPLE_CONTENT = Path(__file__).resolve().parent.parent / "data" / "sample_content"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
StudyAt = Callable[[datetime], Study]


@pytest.fixture
def sample_kb() -> KnowledgeBase:
    return load_or_raise([SAMPLE_CONTENT], shipped=False)


@pytest.fixture
def study_at(database: Database, sample_kb: KnowledgeBase) -> StudyAt:
    """A Study of the sample content on the test's database, its clock fixed at `at`."""

    def make(at: datetime = NOW) -> Study:
        return Study(database, sample_kb, clock=Clock(zone=UTC, fixed=at), rng=random.Random(11))

    return make
