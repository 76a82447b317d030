"""Loading the knowledge base: every file validated, every problem reported at once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from quizdl.errors import ContentError
from quizdl.kb.paths import shipped_content_dir
from quizdl.kb.problems import Problem, display_path
from quizdl.kb.schema import Card, GeneratedCard, TopicFile, TopicMeta
from quizdl.kb.validate import problems_from_errors
from quizdl.kb.yamlsrc import Document, read_document

CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Location:
    path: Path
    line: int


@dataclass
class KnowledgeBase:
    """Topics and cards by id, and where each card is written (for editing)."""

    topics: dict[str, TopicMeta] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    topic_of: dict[str, str] = field(default_factory=dict)
    where: dict[str, Location] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def cards_of(self, topic_id: str) -> list[Card]:
        return [card for card_id, card in self.cards.items() if self.topic_of[card_id] == topic_id]


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
    extra: Sequence[Path] = (), *, shipped: bool = True
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load the shipped content (unless `shipped` is false) plus `extra` files and folders.

    Returns the knowledge base of every valid topic and the problems found in all files.
    """
    roots = ([shipped_content_dir()] if shipped else []) + list(extra)
    files, problems = content_files(roots)
    kb = KnowledgeBase(files=files)
    first_card: dict[str, tuple[str, int]] = {}
    first_topic: dict[str, tuple[str, int]] = {}
    for path in files:
        doc, found = read_document(path, display_path(path))
        problems.extend(found)
        if doc is None or found:
            continue
        try:
            topic_file = TopicFile.model_validate(doc.data)
        except ValidationError as exc:
            problems.extend(problems_from_errors(doc, exc.errors()))
            continue
        file_problems = _check_file(doc, topic_file, first_card, first_topic)
        problems.extend(file_problems)
        if not file_problems:
            _add(kb, path, doc, topic_file)
    problems.sort(key=lambda p: (p.path, p.line, p.col))
    return kb, problems


def load_or_raise(extra: Sequence[Path] = (), *, shipped: bool = True) -> KnowledgeBase:
    kb, problems = load(extra, shipped=shipped)
    if problems:
        raise ContentError(list(problems))
    return kb


def _add(kb: KnowledgeBase, path: Path, doc: Document, topic_file: TopicFile) -> None:
    topic = topic_file.topic
    kb.topics[topic.id] = topic
    for index, card in enumerate(topic_file.cards):
        kb.cards[card.id] = card
        kb.topic_of[card.id] = topic.id
        kb.where[card.id] = Location(path, doc.pos(("cards", index))[0])


def _check_file(
    doc: Document,
    topic_file: TopicFile,
    first_card: dict[str, tuple[str, int]],
    first_topic: dict[str, tuple[str, int]],
) -> list[Problem]:
    """Checks across cards and files: unique ids, id prefixes, generators and their ranges."""
    problems: list[Problem] = []
    topic = topic_file.topic
    line = doc.pos(("topic", "id"))[0]
    if topic.id in first_topic:
        where, at = first_topic[topic.id]
        problems.append(
            doc.problem(
                ("topic", "id"), f"duplicate topic id {topic.id!r}; first used at {where}:{at}"
            )
        )
    else:
        first_topic[topic.id] = (doc.path, line)
    for index, card in enumerate(topic_file.cards):
        id_path = ("cards", index, "id")
        line = doc.pos(id_path)[0]
        if card.id in first_card:
            where, at = first_card[card.id]
            problems.append(
                doc.problem(id_path, f"duplicate card id {card.id!r}; first used at {where}:{at}")
            )
        else:
            first_card[card.id] = (doc.path, line)
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
