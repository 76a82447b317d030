"""The Anki deck: genanki writes it; when the `anki` library is installed (it is not a
dependency of quizdl: `pip install anki`), it is imported into a fresh collection and the
notes, decks and tags are checked there."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizdl.errors import BadInput
from quizdl.export import ExportRequest, export
from quizdl.export.apkg import ROOT_DECK, stable_id
from quizdl.kb.loader import KnowledgeBase


def write(kb: KnowledgeBase, path: Path, **kwargs: object) -> Path:
    export(ExportRequest("apkg", path, **kwargs), kb=kb)  # type: ignore[arg-type]
    return path


def notes_in_package(path: Path, tmp_path: Path) -> list[tuple[str, str]]:
    """(fields, tags) of every note, read from the package's own SQLite file."""
    with zipfile.ZipFile(path) as package:
        package.extract("collection.anki2", tmp_path)
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        return list(connection.execute("SELECT flds, tags FROM notes ORDER BY flds"))
    finally:
        connection.close()


def test_genanki_writes_every_card_once(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = write(kb, tmp_path / "deck.apkg")
    notes = notes_in_package(path, tmp_path)
    assert len(notes) == len(kb.cards) == 8
    fields = {flds.split("\x1f")[-1]: flds.split("\x1f") for flds, _tags in notes}
    assert set(fields) == set(kb.cards)  # the last field is the card id
    assert fields["alpha/relu"][:2] == ["What does ReLU return for x &lt; 0?", "Zero."]
    assert fields["alpha/adam"][0] == "Adam keeps {{c1::two moment estimates}}."
    choice = fields["alpha/saturates"]
    assert "<li>a) " in choice[0] and "<li>b) " in choice[0] and "sigmoid" in choice[1]
    # A generated card: one fixed worked example with its answer and solution steps.
    # ConvTranspose1d output length, PyTorch's formula (torch.nn.ConvTranspose1d docs):
    # L_out = (L_in − 1)·s − 2p + d(k − 1) + output_padding + 1, with the card's parameters.
    size, kernel, stride, padding, dilation = 10, 3, 1, 0, 1
    length = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + 0 + 1
    generated = fields["beta/deconv"]
    assert generated[1].startswith(f'{length}<ol class="solution"><li>')
    again = notes_in_package(write(kb, tmp_path / "again.apkg"), tmp_path / "again")
    assert again == notes  # the same example on every export


def test_chinese_deck_and_one_topic(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = write(kb, tmp_path / "zh.apkg", lang="zh", topics=("beta",))
    notes = notes_in_package(path, tmp_path)
    assert len(notes) == 3
    assert any("测试时 dropout 是否生效？" in flds for flds, _ in notes)


def test_unknown_topic_is_refused(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unknown topic 'gamma'"):
        write(kb, tmp_path / "x.apkg", topics=("gamma",))
    assert list(tmp_path.iterdir()) == [tmp_path / "kb"]  # no file, no temporary left


def test_ids_are_stable_and_distinct() -> None:
    assert stable_id("deck", "alpha") == stable_id("deck", "alpha")
    assert stable_id("deck", "alpha") != stable_id("deck", "beta")
    assert 1 << 40 <= stable_id("model", "basic") < 1 << 41


def test_anki_imports_the_deck(kb: KnowledgeBase, tmp_path: Path) -> None:
    collection_module = pytest.importorskip(
        "anki.collection", reason="the anki library is not installed (pip install anki)"
    )
    path = write(kb, tmp_path / "deck.apkg")
    col = collection_module.Collection(str(tmp_path / "fresh.anki2"))
    try:
        request = collection_module.ImportAnkiPackageRequest(package_path=str(path))
        col.import_anki_package(request)
        assert col.note_count() == len(kb.cards)
        names = {d.name for d in col.decks.all_names_and_ids()}
        expected = {f"{ROOT_DECK}::Alpha basics", f"{ROOT_DECK}::Beta: training"}
        assert expected <= names and ROOT_DECK in names
        for topic, deck in (("alpha", "Alpha basics"), ("beta", "Beta: training")):
            in_deck = col.find_notes(f'"deck:{ROOT_DECK}::{deck}"')
            assert len(in_deck) == len(kb.cards_of(topic))
        assert set(col.tags.all()) == {"activation", "basics", "optimizer", "shapes"}
        assert len(col.find_notes("tag:activation")) == 2
        cloze = col.get_note(col.find_notes('"CardId:alpha/adam"')[0])
        assert cloze.note_type()["type"] == 1  # Anki's cloze note type
        assert len(col.find_cards('"CardId:alpha/adam"')) == 1
    finally:
        col.close()
