"""Every bad-input case has a data file under tests/kb/data/bad and an exact expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizdl.errors import ContentError
from quizdl.kb.loader import load, load_or_raise
from quizdl.kb.problems import display_path
from quizdl.kb.schema import BasicCard, ChoiceCard, GeneratedCard

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"


def problems_of(path: Path) -> list[tuple[str, int, int, str]]:
    _, problems = load([path], shipped=False)
    return [(Path(p.path).name, p.line, p.col, p.message) for p in problems]


CASES = {
    "syntax.yaml": [
        (
            5,
            6,
            "YAML syntax error: expected ',' or '}', but got ':' "
            "(while parsing a flow mapping that starts at line 4)",
        ),
    ],
    "tabs.yaml": [(3, 1, "tab character: YAML indentation must use spaces, not tabs")],
    "types.yaml": [
        (5, 10, "order: expected a whole number, found text 'first'"),
        (9, 12, "front: expected a mapping with keys 'en' and 'zh', found a list"),
        (11, 11, "tags: expected a list, found text 'gan'"),
    ],
    "unknown_key.yaml": [
        (6, 5, "missing required key 'front' (a basic card needs: id, source, kind, front, back)"),
        (8, 5, "unknown key 'fornt'; did you mean 'front'?"),
    ],
    "missing.yaml": [
        (6, 5, "missing required key 'back' (a basic card needs: id, source, kind, front, back)"),
        (10, 5, "missing required key 'id' (a basic card needs: id, source, kind, front, back)"),
    ],
    "dup_within.yaml": [
        (11, 9, "duplicate card id 'dup/same'; first used at {dir}/dup_within.yaml:6"),
    ],
    "language.yaml": [
        (8, 12, "missing the 'zh' text: give both {en: ..., zh: ...}"),
        (
            9,
            11,
            "back: plain string '梯度消失' contains Chinese text; "
            "write it as {en: ..., zh: ...} with both languages",
        ),
    ],
    "generator.yaml": [
        (
            8,
            16,
            "unknown generator 'activation-derivatve'; did you mean 'activation-derivative'? "
            "('quizdl gen --list' lists them)",
        ),
        (14, 10, "x: the range [3, -3] is reversed; low must not exceed high"),
        (15, 7, "generator 'activation-derivative' has no parameter 'y' (its parameters: x)"),
        (
            21,
            10,
            "x: the range [-10, 2] goes outside what 'activation-derivative' accepts ([-4, 4])",
        ),
    ],
    "choice.yaml": [(10, 13, "answer 'c' is not among the options (a, b)")],
    "empty.yaml": [(1, 1, "the file is empty; expected a mapping with keys 'topic' and 'cards'")],
    "not_utf8.yaml": [
        (3, 18, "the file is not UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8"),
    ],
    "list_top.yaml": [
        (1, 1, "the top level is a list; expected a mapping with keys 'topic' and 'cards'"),
    ],
    "tag.yaml": [
        (
            3,
            10,
            "YAML tags are not allowed here "
            "(found tag:yaml.org,2002:python/object/apply:os.system); remove it",
        ),
    ],
    "prefix.yaml": [
        (6, 9, "card id 'other/a' must start with its topic id: expected 'prefix/a'"),
    ],
    "dup_key.yaml": [(4, 3, "duplicate key 'title'; first given at line 3")],
    "flow_comma.yaml": [
        (
            3,
            27,
            "unknown key 'masks)'; a comma inside {...} starts a new key: put the text in quotes",
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_reports_exact_lines(name: str) -> None:
    shown = display_path(BAD)
    expected = [(name, line, col, msg.replace("{dir}", shown)) for line, col, msg in CASES[name]]
    assert problems_of(BAD / name) == expected


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(CASES)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    problems = problems_of(BAD / "across")
    assert ("two.yaml", 11, 9) in [p[:3] for p in problems]
    messages = [p[3] for p in problems if p[0] == "two.yaml"]
    assert any(m.startswith("duplicate card id 'across/shared'; first used at ") for m in messages)
    assert any(m.endswith("one.yaml:6") for m in messages)


def test_yaml_tag_constructs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        f'topic: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    problems = problems_of(evil)
    assert problems and "YAML tags are not allowed" in problems[0][3]
    assert not marker.exists()


def test_all_problems_reported_in_one_run() -> None:
    _, problems = load([BAD], shipped=False)
    files = {Path(p.path).name for p in problems}
    assert set(CASES) <= files


def test_good_file_loads_every_kind() -> None:
    kb = load_or_raise([DATA / "good" / "tiny.yaml"], shipped=False)
    assert set(kb.topics) == {"tiny"}
    assert {card.kind for card in kb.cards.values()} == {
        "basic",
        "cloze",
        "choice",
        "typed",
        "ordering",
        "generated",
    }
    basic = kb.cards["tiny/basic"]
    assert isinstance(basic, BasicCard)
    assert basic.back.en == basic.back.zh == "$1/4$"
    assert kb.where["tiny/choice"].line == 16
    choice = kb.cards["tiny/choice"]
    assert isinstance(choice, ChoiceCard) and choice.answers == ["a", "b"] and choice.multiple
    generated = kb.cards["tiny/generated"]
    assert isinstance(generated, GeneratedCard) and generated.params == {"x": [-2, 2]}


def test_load_or_raise_carries_every_problem() -> None:
    with pytest.raises(ContentError) as info:
        load_or_raise([BAD / "missing.yaml"], shipped=False)
    assert len(info.value.problems) == 2


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.yaml") == [("nope.yaml", 1, 1, "no such file or folder")]
