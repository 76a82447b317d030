from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RepresenterError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from quizdl.kb.yaml_style import (
    block,
    dig,
    flow,
    insert_in_order,
    round_trip_yaml,
    scalar,
    write_atomically,
)


def dumped(data: Any) -> str:
    buffer = io.StringIO()
    round_trip_yaml().dump(data, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("GAN", str),
        ("梯度消失", str),
        ("https://e.org/x", SingleQuotedScalarString),  # a colon
        (r"C:\Users\x.png", SingleQuotedScalarString),  # backslashes kept as written
        ("", SingleQuotedScalarString),
        ("- a list?", SingleQuotedScalarString),
        ("bell\x07", DoubleQuotedScalarString),  # only double quotes can escape it
        ("two\nlines", DoubleQuotedScalarString),  # in a flow context
    ],
)
def test_the_plainest_safe_style(text: str, style: type[str]) -> None:
    assert type(scalar(text)) is style


def test_a_block_context_shows_lines_as_written() -> None:
    assert type(block("two\nlines")) is LiteralScalarString
    assert type(block("tab\x0b\nlines")) is DoubleQuotedScalarString  # no control in a block


@settings(max_examples=300, derandomize=True)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=30))
def test_any_text_reads_back_the_same_in_flow_and_block(text: str) -> None:
    data = CommentedMap(
        topic=flow(title=text), excerpts=CommentedSeq([block(text)]), origin=block(text)
    )
    loaded = YAML(typ="safe").load(dumped(data))
    assert loaded == {"topic": {"title": text}, "excerpts": [text], "origin": text}


def test_a_new_key_goes_where_the_order_puts_it() -> None:
    order = ("id", "title", "references", "excerpts")
    node = CommentedMap(id="gan", excerpts=["x"], extra=1)
    insert_in_order(node, "references", [], order)
    assert list(node) == ["id", "references", "excerpts", "extra"]
    insert_in_order(node, "title", "GAN", order)
    assert list(node) == ["id", "title", "references", "excerpts", "extra"]
    insert_in_order(node, "id", "wgan", order)  # an existing key stays where it is
    assert list(node) == ["id", "title", "references", "excerpts", "extra"]
    assert node["id"] == "wgan"


def test_dig_tolerates_any_shape() -> None:
    data = {"topic": {"source": {"note": "a.md"}, "title": "GAN"}}
    assert dig(data, "topic", "source", "note") == "a.md"
    assert dig(data, "topic", "title", "en") is None  # a string, not a mapping
    assert dig(data, "cards") is None
    assert dig(["not", "a", "mapping"], "topic") is None


def test_an_atomic_write_replaces_the_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "gan.yaml"
    write_atomically(path, CommentedMap(topic=flow(id="gan")))
    write_atomically(path, CommentedMap(topic=flow(id="wgan")))
    assert path.read_text("utf-8") == "topic: {id: wgan}\n"
    assert [p.name for p in path.parent.iterdir()] == ["gan.yaml"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gan.yaml"
    path.write_text("topic: {id: gan}\n", "utf-8")
    with pytest.raises(RepresenterError):  # fails while dumping, before any file is made
        write_atomically(path, CommentedMap(topic=object()))

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("quizdl.kb.yaml_style.os.replace", full_disk)
    with pytest.raises(OSError, match="No space"):  # fails after the temporary file is written
        write_atomically(path, CommentedMap(topic=flow(id="wgan")))
    assert path.read_text("utf-8") == "topic: {id: gan}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["gan.yaml"]  # the temporary file is gone
