"""Loading the knowledge base: every file validated, every problem reported at once.

Files that loaded without a problem before and have not changed since (same path, size and
modification time) are taken from the content cache (quizdl.kb.cache) instead of being
parsed again; checks across files (duplicate ids) are made on every load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from quizdl.errors import ContentError
from quizdl.kb import cache as content_cache
from quizdl.kb.cards import (
    CardFacts,
    CardStore,
    CardStoreBuilder,
    Location,
    Segment,
    SegmentWriter,
)
from quizdl.kb.paths import shipped_content_dir
from quizdl.kb.problems import Problem, display_path
from quizdl.kb.schema import Card, GeneratedCard, TopicFile, TopicMeta

if TYPE_CHECKING:
    from quizdl.kb.yamlsrc import Document

__all__ = ["KnowledgeBase", "Location", "content_files", "load", "load_or_raise"]

CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass
class KnowledgeBase:
    """Topics and cards by id, and where each card is written (for editing).

    `cards` stores every card compactly and builds its model on access; `topic_of`, `where`
    and the facts below (content hash, section, kind) are answered without building one.
    """

    topics: dict[str, TopicMeta] = field(default_factory=dict)
    cards: CardStore = field(default_factory=CardStore)
    files: list[Path] = field(default_factory=list)

    @property
    def topic_of(self) -> Mapping[str, str]:
        return self.cards.topic_of

    @property
    def where(self) -> Mapping[str, Location]:
        return self.cards.where

    def content_hash(self, card_id: str) -> str:
        """Equal to schema.content_hash(self.cards[card_id]), without building the card."""
        return self.cards.content_hash(card_id)

    def section_of(self, card_id: str) -> str:
        return self.cards.section_of(card_id)

    def kind_of(self, card_id: str) -> str:
        return self.cards.kind_of(card_id)

    def facts(self, card_id: str) -> CardFacts:
        return self.cards.facts(card_id)

    def cards_of(self, topic_id: str) -> list[Card]:
        topic_of = self.topic_of
        return [self.cards[card_id] for card_id in self.cards if topic_of[card_id] == topic_id]

    @classmethod
    def from_cards(cls, topics: Iterable[TopicMeta], cards: Iterable[Card]) -> KnowledgeBase:
        """A knowledge base of validated cards (each in the topic its id starts with), stored
        as the loader stores them; cards are taken one at a time, none is kept."""
        kb = cls(topics={topic.id: topic for topic in topics})
        builder = CardStoreBuilder()
        for topic, run in groupby(cards, key=lambda card: card.id.split("/", 1)[0]):
            if topic not in kb.topics:
                raise ValueError(f"card topic {topic!r} is not among the topics")
            writer = SegmentWriter()
            for card in run:
                writer.add(card)
            builder.add(writer.finish(), topic)
        kb.cards = builder.build()
        return kb


def content_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files named by `paths` (folders are searched recursively), in order."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in CONTENT_SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(display_path(path), 1, 1, "no such file or folder"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def load(
    extra: Sequence[Path] = (), *, shipped: bool = True, cache: bool | Path = True
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load the shipped content (unless `shipped` is false) plus `extra` files and folders.

    Returns the knowledge base of every valid topic and the problems found in all files.
    `cache`: True for the content cache in its usual place (cache.default_cache_file), a
    path for another cache file, False to parse every file.
    """
    roots = ([shipped_content_dir()] if shipped else []) + list(extra)
    files, problems = content_files(roots)
    cached = content_cache.CacheRun(
        content_cache.default_cache_file() if cache is True else cache or None
    )
    builder = CardStoreBuilder()
    seen = _FirstUse(builder)
    kb = KnowledgeBase(files=files)
    for path in files:
        shown = display_path(path)
        key = content_cache.FileKey.of(path)
        entry = cached.entry(path, key)
        if entry is not None and seen.free(entry.topic.id, entry.segment.ids):
            seen.topics[entry.topic.id] = (shown, entry.topic_line)
            _add(kb, builder, path, entry.topic, entry.segment)
            cached.keep(path, entry)
            continue
        loaded = _parse(path, shown, seen, problems)
        if loaded is not None:
            topic, topic_line, segment = loaded
            _add(kb, builder, path, topic, segment)
            seen.forget(segment.ids)  # the store answers for them from now on
            cached.remember(path, key, topic, topic_line, segment)
    kb.cards = builder.build()
    cached.save()
    problems.sort(key=lambda p: (p.path, p.line, p.col))
    return kb, problems


def load_or_raise(
    extra: Sequence[Path] = (), *, shipped: bool = True, cache: bool | Path = True
) -> KnowledgeBase:
    kb, problems = load(extra, shipped=shipped, cache=cache)
    if problems:
        raise ContentError(list(problems))
    return kb


def _add(
    kb: KnowledgeBase, builder: CardStoreBuilder, path: Path, topic: TopicMeta, segment: Segment
) -> None:
    kb.topics[topic.id] = topic
    builder.add(segment, topic.id, path)


def _parse(
    path: Path, shown: str, seen: _FirstUse, problems: list[Problem]
) -> tuple[TopicMeta, int, Segment] | None:
    """Read, validate and check one file; its topic, the line of the topic id and its cards
    when it has no problem (the problems go to `problems`)."""
    # The YAML reader and the error wording are needed only for files not in the cache.
    from quizdl.kb.validate import problems_from_errors
    from quizdl.kb.yamlsrc import read_document

    doc, found = read_document(path, shown)
    problems.extend(found)
    if doc is None or found:
        return None
    try:
        topic_file = TopicFile.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from_errors(doc, exc.errors()))
        return None
    file_problems = _check_file(doc, topic_file, seen)
    problems.extend(file_problems)
    if file_problems:
        return None
    writer = SegmentWriter()
    for index, card in enumerate(topic_file.cards):
        line = doc.pos(("cards", index))[0]
        writer.add(card, line=line, id_line=doc.pos(("cards", index, "id"))[0])
    return topic_file.topic, doc.pos(("topic", "id"))[0], writer.finish()


class _FirstUse:
    """Where each topic and card id was first given, for duplicate-id messages. Cards of
    files already in the store are found there; those of a file being checked, or of a file
    left out for its problems, are kept here."""

    def __init__(self, builder: CardStoreBuilder) -> None:
        self._store = builder.store
        self.topics: dict[str, tuple[str, int]] = {}
        self.cards: dict[str, tuple[str, int]] = {}

    def card(self, card_id: str) -> tuple[str, int] | None:
        found = self.cards.get(card_id)
        if found is None:
            position = self._store.id_position(card_id)
            if position is not None:
                found = (display_path(position[0]), position[1])
        return found

    def free(self, topic_id: str, card_ids: Sequence[str]) -> bool:
        """No id of a file is taken yet (else the file is parsed, to report it exactly)."""
        if topic_id in self.topics:
            return False
        return self.cards.keys().isdisjoint(card_ids) and not self._store.any_of(card_ids)

    def forget(self, card_ids: Iterable[str]) -> None:
        for card_id in card_ids:
            self.cards.pop(card_id, None)


def _check_file(doc: Document, topic_file: TopicFile, seen: _FirstUse) -> list[Problem]:
    """Checks across cards and files: unique ids, id prefixes, generators and their ranges."""
    problems: list[Problem] = []
    topic = topic_file.topic
    line = doc.pos(("topic", "id"))[0]
    if topic.id in seen.topics:
        where, at = seen.topics[topic.id]
        problems.append(
            doc.problem(
                ("topic", "id"), f"duplicate topic id {topic.id!r}; first used at {where}:{at}"
            )
        )
    else:
        seen.topics[topic.id] = (doc.path, line)
    for index, card in enumerate(topic_file.cards):
        id_path = ("cards", index, "id")
        line = doc.pos(id_path)[0]
        first = seen.card(card.id)
        if first is not None:
            where, at = first
            problems.append(
                doc.problem(id_path, f"duplicate card id {card.id!r}; first used at {where}:{at}")
            )
        else:
            seen.cards[card.id] = (doc.path, line)
        prefix = card.id.split("/", 1)[0]
        if prefix != topic.id:
            problems.append(
                doc.problem(
                    id_path,
                    f"card id {card.id!r} must start with its topic id: "
                    f"expected '{topic.id}/{card.id.split('/', 1)[1]}'",
                )
            )
        if isinstance(card, GeneratedCard):
            problems.extend(_check_generated(doc, ("cards", index), card))
    return problems


def _check_generated(
    doc: Document, path: tuple[str | int, ...], card: GeneratedCard
) -> list[Problem]:
    import difflib

    from quizdl.engine import registry  # the engine is needed only for generated cards

    family = registry.get(card.generator)
    if family is None:
        names = list(registry.families())
        close = difflib.get_close_matches(card.generator, names, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return [
            doc.problem(
                (*path, "generator"),
                f"unknown generator {card.generator!r}{hint} ('quizdl gen --list' lists them)",
            )
        ]
    problems: list[Problem] = []
    for name, value in card.params.items():
        where = (*path, "params", name)
        spec = family.params.get(name)
        if spec is None:
            known = ", ".join(family.params) or "none"
            problems.append(
                doc.problem(
                    where,
                    f"generator {family.id!r} has no parameter {name!r} (its parameters: {known})",
                    key=True,
                )
            )
            continue
        bounds = value if isinstance(value, list) else [value, value]
        if len(bounds) != 2:
            problems.append(
                doc.problem(
                    where, f"{name}: expected a number or [low, high], found {len(bounds)} values"
                )
            )
            continue
        low, high = bounds
        message = None
        if low > high:
            message = f"{name}: the range [{low}, {high}] is reversed; low must not exceed high"
        elif low < spec.low or high > spec.high:
            message = (
                f"{name}: the range [{low}, {high}] goes outside what {family.id!r} accepts "
                f"([{_num(spec.low)}, {_num(spec.high)}])"
            )
        elif spec.integer and not (float(low).is_integer() and float(high).is_integer()):
            message = f"{name}: expected whole numbers, found [{low}, {high}]"
        if message:
            problems.append(doc.problem(where, message))
    return problems


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
