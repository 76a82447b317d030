"""The compact card store: cards built back equal to the validated ones, facts kept beside
them equal to what the models say, a bounded cache of built models, less memory."""

from __future__ import annotations

import gc
import math
import threading
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from quizdl.kb.cards import BUILT_CARDS_KEPT, Location, decode_card, encode_card
from quizdl.kb.loader import KnowledgeBase, load, load_or_raise
from quizdl.kb.schema import (
    CARD_KINDS,
    BasicCard,
    Card,
    ClozeCard,
    GeneratedCard,
    Source,
    TopicFile,
    TopicMeta,
    card_title,
)
from quizdl.kb.schema import content_hash as schema_content_hash
from quizdl.kb.text import Text
from quizdl.kb.yamlsrc import read_document

DATA = Path(__file__).parent / "data"
TINY = DATA / "good" / "tiny.yaml"
CARD = TypeAdapter[Card](Card)


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    kb, problems = load(cache=False)
    assert problems == []
    return kb


def topic(topic_id: str, order: int = 0) -> TopicMeta:
    return TopicMeta(
        id=topic_id, title=Text.same(topic_id), source=Source(note="n.md", section="S"), order=order
    )


def basic(card_id: str, section: str = "S", tags: tuple[str, ...] = ()) -> BasicCard:
    return BasicCard(
        id=card_id,
        kind="basic",
        front=Text(en=f"front of {card_id}", zh=f"{card_id} 的正面"),
        back=Text.same(f"${len(card_id)}$"),
        source=Source(note="n.md", section=section),
        tags=list(tags),
    )


def many(count: int, topics: int = 3) -> Iterator[BasicCard]:
    per_topic = -(-count // topics)
    for i in range(count):
        yield basic(f"t{i // per_topic}/c{i}", section=f"S{i // 4}", tags=("x", f"y{i % 3}"))


def test_every_shipped_card_is_built_back_equal(shipped: KnowledgeBase) -> None:
    # Independently of the store: parse each shipped file and validate it again.
    for path in shipped.files:
        doc, problems = read_document(path, str(path))
        assert doc is not None and problems == []
        for card in TopicFile.model_validate(doc.data).cards:
            built = shipped.cards[card.id]
            assert type(built) is type(card)
            assert built == card
            assert built.model_fields_set == card.model_fields_set
            assert decode_card(card.id, encode_card(card)) == card


def test_precomputed_hash_agrees_with_schema_content_hash(shipped: KnowledgeBase) -> None:
    assert len(shipped.cards) > 200
    for card_id, card in shipped.cards.items():
        assert shipped.content_hash(card_id) == schema_content_hash(card)


def test_facts_agree_with_the_built_cards(shipped: KnowledgeBase) -> None:
    for card_id, card in shipped.cards.items():
        facts = shipped.facts(card_id)
        assert facts.topic == shipped.topic_of[card_id] == card_id.split("/")[0]
        assert facts.section == shipped.section_of(card_id) == card.source.section
        assert facts.kind == shipped.kind_of(card_id) == card.kind
        assert facts.tags == " ".join(card.tags)
        assert facts.content_hash == schema_content_hash(card)


def test_counts_by_kind_and_topic_agree_with_the_files(shipped: KnowledgeBase) -> None:
    # Independently of the store: count what each shipped file declares.
    kinds: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for path in shipped.files:
        doc, problems = read_document(path, str(path))
        assert doc is not None and problems == []
        parsed = TopicFile.model_validate(doc.data)
        kinds.update(card.kind for card in parsed.cards)
        topics[parsed.topic.id] += len(parsed.cards)
    assert shipped.cards.count_by_kind() == dict(kinds)
    assert shipped.cards.count_by_topic() == dict(topics)
    assert sum(kinds.values()) == len(shipped.cards)


def test_ids_and_topic_counts_of_one_kind_agree_with_the_built_cards(
    shipped: KnowledgeBase,
) -> None:
    for kind in CARD_KINDS:
        ids = [card_id for card_id, card in shipped.cards.items() if card.kind == kind]
        assert shipped.cards.ids_of_kind(kind) == ids  # in content order
        topics = Counter(shipped.topic_of[card_id] for card_id in ids)
        assert shipped.cards.count_by_topic(kind=kind) == dict(topics)
    assert shipped.cards.ids_of_kind("generated")  # the shipped content has every kind
    assert shipped.cards.ids_of_kind("no-such-kind") == []
    assert shipped.cards.count_by_topic(kind="no-such-kind") == {}


def test_titles_are_the_card_titles_in_both_languages(shipped: KnowledgeBase) -> None:
    seen = set()
    for card_id, card in shipped.cards.items():
        assert shipped.cards.titles(card_id) == (card_title(card, "en"), card_title(card, "zh"))
        seen.add(card.kind)
    assert seen == set(CARD_KINDS)  # every kind's title field is checked
    untitled = GeneratedCard(
        id="t/g",
        kind="generated",
        generator="activation-derivative",
        source=Source(note="n.md", section="S"),
    )
    cloze = ClozeCard(
        id="t/c",
        kind="cloze",
        text=Text(en="The {{c1::ReLU}}\n  gradient", zh="{{c1::ReLU::hint}} 的梯度"),
        source=Source(note="n.md", section="S"),
    )
    kb = KnowledgeBase.from_cards([topic("t")], [untitled, cloze])
    assert kb.cards.titles("t/g") == ("t/g", "t/g") == (card_title(untitled), card_title(untitled))
    assert kb.cards.titles("t/c") == ("The ReLU gradient", "ReLU 的梯度")
    assert kb.cards.titles("t/c") == (card_title(cloze, "en"), card_title(cloze, "zh"))


def test_counts_and_titles_build_no_card(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = KnowledgeBase.from_cards([topic("t0"), topic("t1"), topic("t2")], many(30))

    def refuse(card_id: str, encoded: bytes) -> Card:
        raise AssertionError(f"{card_id} was built")

    monkeypatch.setattr("quizdl.kb.cards.decode_card", refuse)
    assert kb.cards.count_by_kind() == {"basic": 30}
    assert kb.cards.count_by_topic() == {"t0": 10, "t1": 10, "t2": 10}
    assert kb.cards.count_by_topic(kind="basic") == {"t0": 10, "t1": 10, "t2": 10}
    assert kb.cards.ids_of_kind("basic") == [f"t{i // 10}/c{i}" for i in range(30)]
    # a string the store knows as a section or a tag, not as a kind, names no card
    assert kb.cards.ids_of_kind("S3") == kb.cards.ids_of_kind("x") == []
    assert kb.cards.count_by_topic(kind="x") == {}
    assert kb.cards.titles("t1/c12") == ("front of t1/c12", "t1/c12 的正面")


def test_edited_text_changes_the_precomputed_hash() -> None:
    one = KnowledgeBase.from_cards([topic("t")], [basic("t/a")])
    edited = basic("t/a").model_copy(update={"back": Text.same("$2$")})
    two = KnowledgeBase.from_cards([topic("t")], [edited])
    retagged = KnowledgeBase.from_cards([topic("t")], [basic("t/a", tags=("new",))])
    assert one.content_hash("t/a") != two.content_hash("t/a")
    assert one.content_hash("t/a") == retagged.content_hash("t/a")  # tags teach nothing
    assert two.content_hash("t/a") == schema_content_hash(edited)


def test_the_mapping_behaves_as_the_dict_it_replaces() -> None:
    kb = load_or_raise([TINY], shipped=False, cache=False)
    doc, _ = read_document(TINY, "tiny.yaml")
    assert doc is not None
    expected = {card.id: card for card in TopicFile.model_validate(doc.data).cards}
    assert list(kb.cards) == list(expected)  # content order
    assert len(kb.cards) == len(expected) == 6
    assert dict(kb.cards.items()) == expected
    assert list(kb.cards.values()) == list(expected.values())
    assert list(kb.cards.keys()) == list(expected)
    assert "tiny/basic" in kb.cards and "tiny/nope" not in kb.cards
    assert 3 not in kb.cards.keys()  # type: ignore[comparison-overlap]  # any key, as a dict
    assert kb.cards.get("tiny/nope") is None
    assert kb.cards.get("tiny/typed") == expected["tiny/typed"]
    with pytest.raises(KeyError):
        kb.cards["tiny/nope"]
    assert dict(kb.topic_of) == dict.fromkeys(expected, "tiny")
    assert kb.cards_of("tiny") == list(expected.values())
    assert kb.cards_of("other") == []


def test_where_gives_the_line_of_each_card_entry() -> None:
    kb = load_or_raise([TINY], shipped=False, cache=False)
    lines = [n for n, text in enumerate(TINY.read_text().splitlines(), 1) if "- id:" in text]
    assert [kb.where[cid] for cid in kb.cards] == [Location(TINY.resolve(), line) for line in lines]
    assert len(kb.where) == 6 and "tiny/choice" in kb.where and kb.where.get("nope") is None


def test_cards_from_no_file_have_no_location() -> None:
    kb = KnowledgeBase.from_cards([topic("t")], [basic("t/a"), basic("t/b")])
    assert kb.where.get("t/a") is None and "t/a" not in kb.where
    assert len(kb.where) == 0 and list(kb.where) == []
    assert list(kb.topic_of.items()) == [("t/a", "t"), ("t/b", "t")]


def test_from_cards_takes_cards_of_interleaved_topics() -> None:
    cards = [basic("a/1"), basic("b/1"), basic("a/2")]
    kb = KnowledgeBase.from_cards([topic("a"), topic("b")], iter(cards))
    assert list(kb.cards) == ["a/1", "b/1", "a/2"]
    assert [kb.topic_of[c] for c in kb.cards] == ["a", "b", "a"]
    assert list(kb.cards.values()) == cards


def test_from_cards_refuses_unknown_topics_and_repeated_ids() -> None:
    with pytest.raises(ValueError, match="'b' is not among the topics"):
        KnowledgeBase.from_cards([topic("a")], [basic("b/1")])
    with pytest.raises(ValueError, match="'a/1' is given twice"):
        KnowledgeBase.from_cards([topic("a")], [basic("a/1"), basic("a/1")])
    with pytest.raises(ValueError, match="'a/1' is given twice"):
        KnowledgeBase.from_cards(
            [topic("a"), topic("b")], [basic("a/1"), basic("b/1"), basic("a/1")]
        )


def test_built_models_are_kept_up_to_the_limit() -> None:
    kb = KnowledgeBase.from_cards(
        [topic("t0"), topic("t1"), topic("t2")], many(BUILT_CARDS_KEPT + 50)
    )
    first = kb.cards["t0/c0"]
    assert kb.cards["t0/c0"] is first  # kept
    for card_id in kb.cards:
        kb.cards[card_id]
    assert len(kb.cards._built) == BUILT_CARDS_KEPT
    again = kb.cards["t0/c0"]  # evicted since, built anew
    assert again is not first and again == first


def test_text_with_unusual_characters_and_numbers_round_trip() -> None:
    card = CARD.validate_python(
        {
            "id": "t/odd",
            "kind": "generated",
            "generator": "g",
            "params": {"x": [1, math.inf], "n": 3, "y": 2.5},
            "title": {"en": "lone \ud800 surrogate", "zh": "代理 \udfff 字符"},
            "source": {"note": "n.md", "section": "S"},
        }
    )
    built = decode_card("t/odd", encode_card(card))
    assert isinstance(built, GeneratedCard) and built == card
    assert built.params == {"x": [1, math.inf], "n": 3, "y": 2.5}
    assert type(built.params["n"]) is int and type(built.params["y"]) is float


def test_cards_are_read_safely_from_many_threads() -> None:
    # The app reads cards from worker threads; the cache of built models is shared.
    kb = KnowledgeBase.from_cards([topic("t0"), topic("t1"), topic("t2")], many(2000))
    ids = list(kb.cards)
    failures: list[str] = []

    def reader(offset: int) -> None:
        for i in range(3000):
            card_id = ids[(i * 7 + offset) % len(ids)]
            card = kb.cards[card_id]
            if not isinstance(card, BasicCard) or card.front.en != f"front of {card_id}":
                failures.append(card_id)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(kb.cards._built) <= BUILT_CARDS_KEPT


def allocated(build: Callable[[], object]) -> int:
    """Bytes still allocated, once `build()` is done, by what it returns."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert kept is not None
    return after - before


def test_the_store_takes_a_fraction_of_the_models_memory() -> None:
    count = 1000
    topics = [topic("t0"), topic("t1"), topic("t2")]
    models = allocated(lambda: list(many(count)))
    store = allocated(lambda: KnowledgeBase.from_cards(topics, many(count)))
    assert store * 4 < models, (store / count, models / count)
