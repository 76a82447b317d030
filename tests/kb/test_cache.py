"""The content cache: unchanged files are not parsed again, anything else is; a damaged,
foreign or unwritable cache is ignored; problems are reported exactly as without it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizdl.kb import cache as content_cache
from quizdl.kb import yamlsrc
from quizdl.kb.loader import KnowledgeBase, load
from quizdl.kb.problems import Problem
from quizdl.kb.schema import BasicCard

DATA = Path(__file__).parent / "data"
MINUTE_NS = 60 * 10**9


def topic_yaml(topic: str, cards: dict[str, str], generated: bool = False) -> str:
    lines = [
        f"topic:\n  id: {topic}\n  title: {{en: Topic {topic}, zh: 主题 {topic}}}\n",
        "  source: {note: n.md, section: S}\ncards:\n",
    ]
    for slug, back in cards.items():
        lines.append(
            f"  - id: {topic}/{slug}\n    kind: basic\n"
            f"    front: {{en: What is {slug}?, zh: {slug} 是什么？}}\n"
            f"    back: {back}\n    source: {{note: n.md, section: S {slug}}}\n"
        )
    if generated:
        lines.append(
            f"  - id: {topic}/gen\n    kind: generated\n    generator: activation-derivative\n"
            "    params: {x: [-2, 2]}\n    source: {note: n.md, section: G}\n"
        )
    return "".join(lines)


def settle(path: Path, minutes_ago: int = 10) -> None:
    """Date a file back: the cache leaves out files changed in the last seconds."""
    stamp = time.time_ns() - minutes_ago * MINUTE_NS
    os.utime(path, ns=(stamp, stamp))


def write(path: Path, text: str, minutes_ago: int = 10) -> Path:
    path.write_text(text, encoding="utf-8")
    settle(path, minutes_ago)
    return path


def counted_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parsed (read as YAML) from now on."""
    names: list[str] = []
    real = yamlsrc.read_document

    def counting(path: Path, shown: str) -> tuple[yamlsrc.Document | None, list[Problem]]:
        names.append(path.name)
        return real(path, shown)

    monkeypatch.setattr(yamlsrc, "read_document", counting)
    return names


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return counted_parses(monkeypatch)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    write(folder / "a.yaml", topic_yaml("a", {"x": "$1$", "y": "$2$"}))
    write(folder / "b.yaml", topic_yaml("b", {"z": "$3$"}, generated=True))
    return folder


def back_of(kb: KnowledgeBase, card_id: str) -> str:
    card = kb.cards[card_id]
    assert isinstance(card, BasicCard)
    return card.back.en


def same_kb(one: KnowledgeBase, two: KnowledgeBase) -> None:
    assert one.topics == two.topics
    assert list(one.cards) == list(two.cards)
    assert dict(one.cards.items()) == dict(two.cards.items())
    assert dict(one.where) == dict(two.where)
    assert dict(one.topic_of) == dict(two.topic_of)
    assert [one.facts(c) for c in one.cards] == [two.facts(c) for c in two.cards]
    assert one.files == two.files


def test_unchanged_files_come_from_the_cache(
    content: Path, tmp_path: Path, parsed: list[str]
) -> None:
    cache_file = tmp_path / "cache" / "kb.bin"
    fresh, problems = load([content], shipped=False, cache=False)
    assert problems == [] and parsed == ["a.yaml", "b.yaml"]
    first, _ = load([content], shipped=False, cache=cache_file)
    assert cache_file.is_file() and parsed == ["a.yaml", "b.yaml"] * 2
    second, problems = load([content], shipped=False, cache=cache_file)
    assert problems == [] and parsed == ["a.yaml", "b.yaml"] * 2  # nothing parsed
    same_kb(second, fresh)
    same_kb(first, fresh)


def test_an_edited_file_is_parsed_again(content: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache_file = tmp_path / "kb.bin"
    load([content], shipped=False, cache=cache_file)
    write(content / "a.yaml", topic_yaml("a", {"x": "$1$", "y": "$5$"}), minutes_ago=5)
    parsed.clear()
    kb, problems = load([content], shipped=False, cache=cache_file)
    assert problems == [] and parsed == ["a.yaml"]
    assert back_of(kb, "a/y") == "$5$"
    parsed.clear()
    again, _ = load([content], shipped=False, cache=cache_file)
    assert parsed == [] and again.cards["a/y"] == kb.cards["a/y"]
    assert again.content_hash("a/y") == kb.content_hash("a/y") != ""


def test_a_touched_file_of_the_same_size_is_parsed_again(
    content: Path, tmp_path: Path, parsed: list[str]
) -> None:
    cache_file = tmp_path / "kb.bin"
    load([content], shipped=False, cache=cache_file)
    text = (content / "a.yaml").read_text(encoding="utf-8")
    write(content / "a.yaml", text.replace("$2$", "$9$"), minutes_ago=3)  # same size
    parsed.clear()
    kb, _ = load([content], shipped=False, cache=cache_file)
    assert parsed == ["a.yaml"] and back_of(kb, "a/y") == "$9$"


def test_a_file_changed_seconds_ago_is_not_cached(
    content: Path, tmp_path: Path, parsed: list[str]
) -> None:
    cache_file = tmp_path / "kb.bin"
    (content / "a.yaml").write_text(topic_yaml("a", {"x": "$7$"}), encoding="utf-8")
    load([content], shipped=False, cache=cache_file)
    parsed.clear()
    load([content], shipped=False, cache=cache_file)
    assert parsed == ["a.yaml"]  # a second edit within the same timestamp could go unseen
    settle(content / "a.yaml")
    load([content], shipped=False, cache=cache_file)
    parsed.clear()
    load([content], shipped=False, cache=cache_file)
    assert parsed == []


@pytest.mark.parametrize(
    "damage",
    ["garbage", "empty", "truncated", "flipped byte", "other stamp", "other format"],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(
    content: Path, tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = tmp_path / "kb.bin"
    fresh, _ = load([content], shipped=False, cache=cache_file)
    good = cache_file.read_bytes()
    stamp = content_cache.code_stamp()
    entries = content_cache.read_cache(cache_file, stamp).entries
    if damage == "garbage":
        cache_file.write_bytes(b"\x00not a cache at all" * 50)
    elif damage == "empty":
        cache_file.write_bytes(b"")
    elif damage == "truncated":
        cache_file.write_bytes(good[: len(good) // 2])
    elif damage == "flipped byte":
        cache_file.write_bytes(good[:-7] + bytes([good[-7] ^ 0x40]) + good[-6:])
    elif damage == "other stamp":  # written by another version of quizdl
        content_cache.write_cache(cache_file, "another version", entries)
    else:  # a later cache format, with a correct checksum
        monkeypatch.setattr(content_cache, "FORMAT", content_cache.FORMAT + 1)
        content_cache.write_cache(cache_file, stamp, entries)
        monkeypatch.undo()
    assert content_cache.read_cache(cache_file, stamp).usable is False
    parsed = counted_parses(monkeypatch)
    kb, problems = load([content], shipped=False, cache=cache_file)
    assert problems == [] and parsed == ["a.yaml", "b.yaml"]
    same_kb(kb, fresh)
    assert content_cache.read_cache(cache_file, stamp).usable  # rewritten
    parsed.clear()
    load([content], shipped=False, cache=cache_file)
    assert parsed == []


def test_other_code_or_generators_invalidate_what_they_validated(
    content: Path, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = tmp_path / "kb.bin"
    load([content], shipped=False, cache=cache_file)
    monkeypatch.setattr(content_cache, "registry_stamp", lambda: "changed generators")
    parsed.clear()
    load([content], shipped=False, cache=cache_file)
    assert parsed == ["b.yaml"]  # only b has a generated card
    monkeypatch.setattr(content_cache, "code_stamp", lambda: "changed schema")
    parsed.clear()
    load([content], shipped=False, cache=cache_file)
    assert parsed == ["a.yaml", "b.yaml"]


def test_the_stamps_follow_the_code_they_cover(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    (kb_dir / "schema.py").write_text("x = 1\n")
    before = content_cache._digest(content_cache._stamp_of_files(kb_dir))
    (kb_dir / "schema.py").write_text("x = 22\n")
    assert content_cache._digest(content_cache._stamp_of_files(kb_dir)) != before
    assert content_cache.code_stamp() == content_cache.code_stamp()
    assert content_cache.registry_stamp() != content_cache.code_stamp()


def test_problems_are_the_same_with_a_warm_cache(tmp_path: Path, parsed: list[str]) -> None:
    folder = tmp_path / "across"
    shutil.copytree(DATA / "bad" / "across", folder)
    for path in folder.iterdir():
        settle(path)
    cache_file = tmp_path / "kb.bin"
    cold = load([folder], shipped=False, cache=False)[1]
    assert cold  # two.yaml repeats an id of one.yaml
    load([folder], shipped=False, cache=cache_file)
    parsed.clear()
    warm = load([folder], shipped=False, cache=cache_file)[1]
    assert warm == cold
    assert parsed == ["two.yaml"]  # one.yaml came from the cache


def test_a_new_file_taking_ids_of_a_cached_one_is_reported_exactly(
    content: Path, tmp_path: Path, parsed: list[str]
) -> None:
    cache_file = tmp_path / "kb.bin"
    load([content], shipped=False, cache=cache_file)
    write(content / "0.yaml", topic_yaml("a", {"x": "$8$"}))  # read before a.yaml
    cold_kb, cold = load([content], shipped=False, cache=False)
    parsed.clear()
    warm_kb, warm = load([content], shipped=False, cache=cache_file)
    assert warm == cold
    assert [p.message.split(";")[0] for p in warm] == [
        "duplicate topic id 'a'",
        "duplicate card id 'a/x'",
    ]
    assert parsed == ["0.yaml", "a.yaml"]  # b.yaml came from the cache
    same_kb(warm_kb, cold_kb)


def test_entries_of_other_content_are_kept_until_their_files_go(
    content: Path, tmp_path: Path, parsed: list[str]
) -> None:
    cache_file = tmp_path / "kb.bin"
    other = tmp_path / "other"
    other.mkdir()
    write(other / "c.yaml", topic_yaml("c", {"w": "$4$"}))
    load([content], shipped=False, cache=cache_file)
    load([other], shipped=False, cache=cache_file)
    parsed.clear()
    load([content], shipped=False, cache=cache_file)
    load([other], shipped=False, cache=cache_file)
    assert parsed == []
    (other / "c.yaml").unlink()
    load([content], shipped=False, cache=cache_file)
    names = content_cache.read_cache(cache_file, content_cache.code_stamp()).entries
    assert sorted(Path(name).name for name in names) == ["a.yaml", "b.yaml"]


def test_files_with_problems_are_not_cached(content: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "kb.bin"
    write(content / "bad.yaml", "topic: [unclosed\n")
    _, problems = load([content], shipped=False, cache=cache_file)
    assert [Path(p.path).name for p in problems] == ["bad.yaml"]
    entries = content_cache.read_cache(cache_file, content_cache.code_stamp()).entries
    assert sorted(Path(name).name for name in entries) == ["a.yaml", "b.yaml"]
    _, again = load([content], shipped=False, cache=cache_file)
    assert again == problems


def test_an_unwritable_cache_is_no_error(content: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    fresh, _ = load([content], shipped=False, cache=False)
    kb, problems = load([content], shipped=False, cache=blocker / "kb.bin")
    assert problems == []
    same_kb(kb, fresh)
    assert not content_cache.write_cache(blocker / "kb.bin", "s", {})
    assert list(tmp_path.glob("**/.kb-cache-*")) == []  # no temporary file left behind


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZDL_CACHE_DIR", str(tmp_path / "c"))
    assert content_cache.default_cache_file() == tmp_path / "c" / content_cache.CACHE_FILE
    monkeypatch.delenv("QUIZDL_CACHE_DIR")
    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / "cache" / content_cache.CACHE_FILE
    assert content_cache.default_cache_file() == expected
    monkeypatch.delenv("QUIZDL_HOME")
    default = content_cache.default_cache_file()
    package = Path(content_cache.__file__).resolve().parent.parent
    assert not default.resolve().is_relative_to(package)
    assert "quizdl" in default.parts


def test_a_cached_load_reads_no_yaml(content: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "kb.bin"
    load([content], shipped=False, cache=cache_file)
    code = (
        "import sys\nfrom pathlib import Path\nfrom quizdl.kb.loader import load\n"
        "kb, problems = load([Path(sys.argv[1])], shipped=False, cache=Path(sys.argv[2]))\n"
        "assert not problems and len(kb.cards) == 4\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ruamel', 'numpy', 'sympy'}))\n"
    )
    command = [sys.executable, "-c", code, str(content), str(cache_file)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
