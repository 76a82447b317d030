"""The content format: one YAML file per topic, validated by these pydantic models.

Unknown keys are errors (``extra="forbid"``) so that a typo never passes silently.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from quizdl.kb.text import LANGS, LocalText, Text

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
CARD_ID = rf"^{SLUG}/{SLUG}$"
TOPIC_ID = rf"^{SLUG}$"
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.*?))?\}\}", re.DOTALL)

CardId = Annotated[str, Field(pattern=CARD_ID)]
TopicId = Annotated[str, Field(pattern=TOPIC_ID)]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Number = int | float


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Model):
    """Where a card comes from: the note file and the section (its `##` heading)."""

    note: Annotated[str, Field(min_length=1)]
    section: Annotated[str, Field(min_length=1)]
    subsection: str | None = None


class Reference(Model):
    """A link or image found in the notes."""

    kind: Literal["link", "image"]
    target: Annotated[str, Field(min_length=1)]
    title: str = ""
    exists: bool | None = None


class CardBase(Model):
    id: CardId
    tags: list[Tag] = []
    source: Source
    explain: LocalText | None = None
    origin: str | None = None
    """Set by the importer: the note material a card was made from: ``term:<term>`` on the
    first line (how a re-import finds the card again), the definition as imported on the
    second (so a change in the notes is flagged exactly); hand-written cards have none."""


class BasicCard(CardBase):
    """Front and back; the learner rates how well they remembered."""

    kind: Literal["basic"]
    front: LocalText
    back: LocalText


class ClozeCard(CardBase):
    """A sentence with deletions written ``{{c1::answer}}`` or ``{{c1::answer::hint}}``."""

    kind: Literal["cloze"]
    text: LocalText

    @field_validator("text")
    @classmethod
    def _deletions(cls, text: Text) -> Text:
        numbers = {lang: {m.group(1) for m in CLOZE.finditer(text.get(lang))} for lang in LANGS}
        for lang in LANGS:
            if not numbers[lang]:
                raise ValueError(
                    f"the {lang!r} text has no deletion; mark one as {{{{c1::answer}}}}"
                )
        if numbers["en"] != numbers["zh"]:
            raise ValueError(
                "the two languages delete different parts: "
                f"en has c{', c'.join(sorted(numbers['en']))}, "
                f"zh has c{', c'.join(sorted(numbers['zh']))}"
            )
        return text


class ChoiceCard(CardBase):
    """Options keyed by a letter; one right answer (``answer: b``) or several (``[a, c]``)."""

    kind: Literal["choice"]
    question: LocalText
    options: dict[Annotated[str, Field(pattern=r"^[a-z]$")], LocalText]
    answer: str | list[str]
    shuffle: bool = True

    @property
    def answers(self) -> list[str]:
        return [self.answer] if isinstance(self.answer, str) else list(self.answer)

    @property
    def multiple(self) -> bool:
        return isinstance(self.answer, list)

    @field_validator("options")
    @classmethod
    def _enough_options(cls, options: dict[str, Text]) -> dict[str, Text]:
        if len(options) < 2:
            raise ValueError(f"a choice card needs at least 2 options, found {len(options)}")
        return options

    @field_validator("answer")
    @classmethod
    def _answer_in_options(cls, answer: str | list[str], info: ValidationInfo) -> str | list[str]:
        options = info.data.get("options")
        if options is None:  # the options themselves are wrong; reported there
            return answer
        answers = [answer] if isinstance(answer, str) else answer
        if not answers:
            raise ValueError("answer is an empty list; name at least one option")
        keys = ", ".join(options)
        for key in answers:
            if key not in options:
                raise ValueError(f"answer {key!r} is not among the options ({keys})")
        if len(set(answers)) != len(answers):
            raise ValueError("answer names the same option twice")
        return answer


class TypedCard(CardBase):
    """The learner types a short text; any of `accept` is right."""

    kind: Literal["typed"]
    prompt: LocalText
    accept: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    case_sensitive: bool = False


class OrderingCard(CardBase):
    """Items given in the right order; the learner sees them shuffled."""

    kind: Literal["ordering"]
    prompt: LocalText
    items: Annotated[list[LocalText], Field(min_length=2)]


class GeneratedCard(CardBase):
    """A skill practised with fresh numbers: names a generator of the numeric engine.

    ``params`` narrows the generator's parameter ranges: ``name: [low, high]`` or a
    fixed ``name: value``. The loader checks names and ranges against the registry.
    """

    kind: Literal["generated"]
    generator: Annotated[str, Field(min_length=1)]
    params: dict[str, Number | list[Number]] = {}
    title: LocalText | None = None


Card = Annotated[
    BasicCard | ClozeCard | ChoiceCard | TypedCard | OrderingCard | GeneratedCard,
    Field(discriminator="kind"),
]
CARD_KINDS: tuple[str, ...] = ("basic", "cloze", "choice", "typed", "ordering", "generated")


class TopicMeta(Model):
    id: TopicId
    title: LocalText
    source: Source
    order: int = 0
    summary: LocalText | None = None
    references: list[Reference] = []
    excerpts: list[str] = []
    """Note text the importer kept that is not (yet) a card; never shown as a card."""


class TopicFile(Model):
    """One YAML file: a topic and its cards."""

    topic: TopicMeta
    cards: list[Card] = []


def card_title(card: CardBase, lang: Literal["en", "zh"] = "en") -> str:
    """A one-line label for lists and tables."""
    field: Text | None
    match card:
        case BasicCard():
            field = card.front
        case ClozeCard():
            field = card.text
        case ChoiceCard():
            field = card.question
        case TypedCard() | OrderingCard():
            field = card.prompt
        case GeneratedCard():
            field = card.title
        case _:
            field = None
    text = field.get(lang) if field else card.id
    return " ".join(CLOZE.sub(lambda m: m.group(2), text).split())


def content_hash(card: CardBase) -> str:
    """A stable hash of what a card teaches, used to flag cards edited since a review."""
    # tags and the importer's origin record do not change what the card teaches
    data: Any = card.model_dump(mode="json", exclude={"tags", "origin"})
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
