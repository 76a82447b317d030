"""The cards of a knowledge base, stored compactly and built on access.

A pydantic card model costs about 2 KB of memory; 100,000 of them would take most of the
memory budget. So each validated card is kept as its JSON (a few hundred bytes in one shared
buffer) and its model is built when someone asks for it; the last few hundred built models
are kept. What the hot paths need of every card (topic, section, kind, tags, content hash,
where it is written) is stored beside the JSON, so that reconciling 100,000 cards with the
database builds no model at all.
"""

from __future__ import annotations

import json
import threading
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import compress
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from quizdl.kb.schema import CLOZE, Card, content_hash

HASH_BYTES = 8  # schema.content_hash is 16 hex digits
BUILT_CARDS_KEPT = 512
NO_FILE = -1


@dataclass(frozen=True)
class Location:
    """Where a card is written: its file and the line its entry starts on."""

    path: Path
    line: int


class CardFacts(NamedTuple):
    """What the study module needs of a card without building it."""

    topic: str
    section: str
    kind: str
    tags: str
    """Space-separated, as the database stores them (a tag has no spaces)."""
    content_hash: str


# Each card's JSON is deflated with a preset dictionary of what cards' JSON shares (keys,
# kinds, the usual joins): a card shrinks to about half, and inflating one takes microseconds.
_SHARED_JSON = "".join(
    [
        '"tags":["', '"source":{"note":"', '","section":"', '","subsection":', 'null,',
        '"explain":{"en":"', '","zh":"', '"origin":"term:', '"kind":"basic","front":{"en":"',
        '"back":{"en":"', '"kind":"cloze","text":{"en":"', "{{c1::", "}}", "{{c2::",
        '"kind":"choice","question":{"en":"', '"options":{"a":{"en":"', '"b":{"en":"',
        '"c":{"en":"', '"d":{"en":"', '"answer":"', '"shuffle":false',
        '"kind":"typed","prompt":{"en":"', '"accept":["', '"case_sensitive":true',
        '"kind":"ordering","items":[{"en":"', '"kind":"generated","generator":"', '"params":{',
        '"title":{"en":"', '"},', '"}}', "\\\\frac{", "\\\\mathrm{", "$ ", " $", " the ",
        " of the ", " is ", "的", "是", "，", "。",
    ]
).encode()  # fmt: skip
_WINDOW_BITS = -12  # raw deflate, 4 KiB window: small state, any card size
# The field schema.card_title labels a card with, by kind (a test holds the two together).
_TITLE_FIELD = {
    "basic": "front",
    "cloze": "text",
    "choice": "question",
    "typed": "prompt",
    "ordering": "prompt",
    "generated": "title",
}


@cache
def _card_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Card)


def encode_card(card: Card) -> bytes:
    """A validated card's JSON, deflated, without its id (the store's key): the fields that
    were given, so that the card built back is equal to it, down to its `model_fields_set`."""
    data = card.model_dump(mode="json", exclude_unset=True, exclude={"id"})
    text = json.dumps(data, ensure_ascii=False, allow_nan=True, separators=(",", ":"))
    raw = text.encode("utf-8", "surrogatepass")  # YAML escapes can give lone surrogates
    deflate = zlib.compressobj(
        6, zlib.DEFLATED, _WINDOW_BITS, 8, zlib.Z_DEFAULT_STRATEGY, _SHARED_JSON
    )
    return deflate.compress(raw) + deflate.flush()


def decode_card(card_id: str, encoded: bytes | bytearray | memoryview) -> Card:
    card: Card = _card_adapter().validate_python({"id": card_id, **_decode_data(encoded)})
    return card


def _decode_data(encoded: bytes | bytearray | memoryview) -> dict[str, Any]:
    """A card's JSON data as encode_card stored it (validated when it was stored)."""
    inflate = zlib.decompressobj(_WINDOW_BITS, _SHARED_JSON)
    raw = inflate.decompress(encoded) + inflate.flush()
    data: dict[str, Any] = json.loads(raw.decode("utf-8", "surrogatepass"))
    return data


@dataclass
class Segment:
    """The cards of one content file in compact form: what the store takes in and what the
    content cache writes per file. Sections, kinds and tags are indexes into `strings`."""

    ids: list[str]
    strings: list[str]
    section: array[int]
    kind: array[int]
    tags: array[int]
    lines: array[int]
    """The line each card's entry starts on (0 when the card comes from no file)."""
    id_lines: array[int]
    """The line of each card's id (for "first used at" in duplicate-id messages)."""
    hashes: bytes | memoryview
    """HASH_BYTES per card: schema.content_hash, as bytes."""
    ends: array[int]
    """Where each card's JSON ends in `payload`."""
    payload: bytes | memoryview

    def __len__(self) -> int:
        return len(self.ids)

    def has_kind(self, kind: str) -> bool:
        return kind in self.strings and self.strings.index(kind) in self.kind


class SegmentWriter:
    """Turns validated cards into a Segment, one at a time (no model is kept)."""

    def __init__(self) -> None:
        self._seg = Segment(
            ids=[],
            strings=[],
            section=array("I"),
            kind=array("I"),
            tags=array("I"),
            lines=array("I"),
            id_lines=array("I"),
            hashes=b"",
            ends=array("Q"),
            payload=b"",
        )
        self._string_no: dict[str, int] = {}
        self._hashes = bytearray()
        self._payload = bytearray()

    def _intern(self, text: str) -> int:
        number = self._string_no.get(text)
        if number is None:
            number = self._string_no[text] = len(self._seg.strings)
            self._seg.strings.append(text)
        return number

    def add(self, card: Card, *, line: int = 0, id_line: int = 0) -> None:
        seg = self._seg
        seg.ids.append(card.id)
        seg.section.append(self._intern(card.source.section))
        seg.kind.append(self._intern(card.kind))
        seg.tags.append(self._intern(" ".join(card.tags)))
        seg.lines.append(line)
        seg.id_lines.append(id_line)
        self._hashes += bytes.fromhex(content_hash(card))
        self._payload += encode_card(card)
        seg.ends.append(len(self._payload))

    def finish(self) -> Segment:
        seg = self._seg
        seg.hashes, seg.payload = bytes(self._hashes), bytes(self._payload)
        return seg


class CardStore(Mapping[str, Card]):
    """Cards by id, in content order. A Mapping: `store[id]`, `in`, `len`, iteration over
    ids, `.items()`, `.values()`, `.get()`; built by a CardStoreBuilder."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._strings: list[str] = []
        self._string_no: dict[str, int] = {}
        self._paths: list[Path] = []
        self._topic = array("I")
        self._section = array("I")
        self._kind = array("I")
        self._tags = array("I")
        self._file = array("i")
        self._lines = array("I")
        self._id_lines = array("I")
        self._hashes = bytearray()
        self._ends = array("Q")
        self._payload = bytearray()
        self._located = 0
        self._built: dict[str, Card] = {}  # least recently used first
        self._lock = threading.Lock()  # the app reads cards from worker threads
        self.topic_of: Mapping[str, str] = _TopicOf(self)
        self.where: Mapping[str, Location] = _Where(self)

    # -- the Mapping ---------------------------------------------------------------------
    def __getitem__(self, card_id: str) -> Card:
        with self._lock:
            card = self._built.pop(card_id, None)
            if card is not None:
                self._built[card_id] = card
                return card
        number = self._index[card_id]
        start = self._ends[number - 1] if number else 0
        card = decode_card(card_id, self._payload[start : self._ends[number]])
        with self._lock:
            self._built[card_id] = card
            if len(self._built) > BUILT_CARDS_KEPT:
                del self._built[next(iter(self._built))]
        return card

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    # -- facts kept beside each card -------------------------------------------------------
    def content_hash(self, card_id: str) -> str:
        """schema.content_hash of the card, computed when it was validated."""
        start = self._index[card_id] * HASH_BYTES
        return self._hashes[start : start + HASH_BYTES].hex()

    def section_of(self, card_id: str) -> str:
        return self._strings[self._section[self._index[card_id]]]

    def kind_of(self, card_id: str) -> str:
        return self._strings[self._kind[self._index[card_id]]]

    def facts(self, card_id: str) -> CardFacts:
        n = self._index[card_id]
        s = self._strings
        hashed = self._hashes[n * HASH_BYTES : (n + 1) * HASH_BYTES].hex()
        return CardFacts(
            s[self._topic[n]], s[self._section[n]], s[self._kind[n]], s[self._tags[n]], hashed
        )

    def count_by_kind(self) -> dict[str, int]:
        """How many cards there are of each kind, in no set order (no card is built)."""
        return {self._strings[n]: count for n, count in Counter(self._kind).items()}

    def count_by_topic(self, kind: str | None = None) -> dict[str, int]:
        """How many cards each topic has (of `kind`, if given), in no set order; a topic
        with none is left out (no card is built)."""
        topics: Iterable[int] = self._topic
        if kind is not None:
            topics = compress(self._topic, self._is_kind(kind))
        return {self._strings[n]: count for n, count in Counter(topics).items()}

    def ids_of_kind(self, kind: str) -> list[str]:
        """The ids of the cards of `kind`, in content order (no card is built; a pass at C
        speed: a fifth of the time of asking kind_of for each of 100,000 cards)."""
        # the index holds the ids in card-number order, the order of the kinds array
        return list(compress(self._index, self._is_kind(kind)))

    def _is_kind(self, kind: str) -> Iterator[bool]:
        """For each card in number order, whether it is of `kind`."""
        number = self._string_no.get(kind)
        if number is None:
            return iter(())  # compress stops at the shorter input: no card
        return map(number.__eq__, self._kind)

    def titles(self, card_id: str) -> tuple[str, str]:
        """schema.card_title of the card in English and in Chinese, read from its stored
        JSON: a tenth of the cost of building the card, and nothing is kept."""
        n = self._index[card_id]
        start = self._ends[n - 1] if n else 0
        data = _decode_data(self._payload[start : self._ends[n]])
        text = data.get(_TITLE_FIELD.get(self._strings[self._kind[n]], ""))
        if not isinstance(text, dict):  # no such field (a generated card without a title)
            return card_id, card_id
        return _one_line(text["en"]), _one_line(text["zh"])

    def any_of(self, card_ids: Iterable[str]) -> bool:
        """Whether any of `card_ids` is in the store (one pass at C speed)."""
        return not self._index.keys().isdisjoint(card_ids)

    def id_position(self, card_id: str) -> tuple[Path, int] | None:
        """The file and line of a card's id, if the card came from a file."""
        n = self._index.get(card_id)
        if n is None or self._file[n] == NO_FILE:
            return None
        return self._paths[self._file[n]], self._id_lines[n]

    # -- filling (CardStoreBuilder only) -----------------------------------------------------
    def _number(self, text: str) -> int:
        number = self._string_no.get(text)
        if number is None:
            number = self._string_no[text] = len(self._strings)
            self._strings.append(text)
        return number

    def _extend(self, seg: Segment, topic: str, path: Path | None) -> None:
        count = len(seg.ids)
        if len(set(seg.ids)) != count or not self._index.keys().isdisjoint(seg.ids):
            taken = [cid for cid in seg.ids if cid in self._index or seg.ids.count(cid) > 1]
            raise ValueError(f"card id {taken[0]!r} is given twice")
        start = len(self._index)
        self._index.update(zip(seg.ids, range(start, start + count), strict=True))
        mapping = [self._number(text) for text in seg.strings]
        same = mapping == list(range(len(mapping)))  # the first segment, usually
        for ours, theirs in (
            (self._section, seg.section),
            (self._kind, seg.kind),
            (self._tags, seg.tags),
        ):
            ours.extend(theirs if same else array("I", [mapping[i] for i in theirs]))
        self._topic.extend(array("I", [self._number(topic)]) * count)
        file_no = NO_FILE
        if path is not None:
            file_no = len(self._paths)
            self._paths.append(path)
            self._located += count
        self._file.extend(array("i", [file_no]) * count)
        self._lines.extend(seg.lines)
        self._id_lines.extend(seg.id_lines)
        self._hashes += seg.hashes
        base = len(self._payload)
        self._ends.extend(array("Q", [end + base for end in seg.ends]) if base else seg.ends)
        self._payload += seg.payload


def _one_line(text: str) -> str:
    """As schema.card_title shows a text: cloze answers in place, on one line."""
    return " ".join(CLOZE.sub(lambda m: m.group(2), text).split())


class CardStoreBuilder:
    """Fills a CardStore from segments, then hands it over (it never changes afterwards)."""

    def __init__(self) -> None:
        self._store: CardStore | None = CardStore()

    @property
    def store(self) -> CardStore:
        """The store as filled so far (read only: the loader asks it for earlier ids)."""
        if self._store is None:
            raise RuntimeError("the card store was already built")
        return self._store

    def add(self, segment: Segment, topic: str, path: Path | None = None) -> None:
        """Add the cards of `segment`, all of topic `topic`, written in `path` (if any)."""
        self.store._extend(segment, topic, path)

    def build(self) -> CardStore:
        store = self.store
        self._store = None
        return store


class _TopicOf(Mapping[str, str]):
    """Card id to topic id."""

    def __init__(self, store: CardStore) -> None:
        self._store = store

    def __getitem__(self, card_id: str) -> str:
        store = self._store
        return store._strings[store._topic[store._index[card_id]]]

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._store._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._store._index)

    def __len__(self) -> int:
        return len(self._store._index)


class _Where(Mapping[str, Location]):
    """Card id to where it is written; cards that come from no file are not in it."""

    def __init__(self, store: CardStore) -> None:
        self._store = store

    def __getitem__(self, card_id: str) -> Location:
        store = self._store
        n = store._index[card_id]
        if store._file[n] == NO_FILE:
            raise KeyError(card_id)
        return Location(store._paths[store._file[n]], store._lines[n])

    def __contains__(self, card_id: object) -> bool:
        n = self._store._index.get(card_id) if isinstance(card_id, str) else None
        return n is not None and self._store._file[n] != NO_FILE

    def __iter__(self) -> Iterator[str]:
        files = self._store._file
        return (cid for cid, n in self._store._index.items() if files[n] != NO_FILE)

    def __len__(self) -> int:
        return self._store._located
