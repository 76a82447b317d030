from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizdl.kb.import_match import (
    SIMILAR,
    Origin,
    merge_excerpts,
    parse_origin,
    same_text,
    term_origin,
)


def test_origin_records_the_term_and_the_definition() -> None:
    origin = term_origin("梯度消失", 1, "主要是指激活函数的导数小于1")
    assert str(origin) == "term:梯度消失\n主要是指激活函数的导数小于1"
    assert origin.key == "term:梯度消失"
    assert term_origin("x", 3, "y").key == "term:x#3"  # the third `**x**` of a section


def test_the_one_line_form_of_earlier_imports_records_nothing() -> None:
    old = parse_origin("term:梯度消失")
    assert old == Origin("term:梯度消失", None)
    assert str(old) == "term:梯度消失"
    assert not old.records("主要是指激活函数的导数小于1")


@settings(max_examples=200, derandomize=True)
@given(
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\n\r"), min_size=1),
    st.integers(1, 5),
    st.text(st.characters(exclude_categories=["Cs"])),
)
def test_an_origin_reads_back_as_written(term: str, occurrence: int, text: str) -> None:
    origin = term_origin(term, occurrence, text)
    assert parse_origin(str(origin)) == origin
    assert origin.records(text)


def test_whitespace_is_no_change_but_anything_else_is() -> None:
    assert same_text("区分真实样本和生成样本的网络", "区分真实样本\n和生成样本的网络")
    assert same_text("max(0, x)", " max(0,x) ")
    assert not same_text("max(0, x)", "max(0, y)")
    assert not same_text("梯度小于1", "梯度大于1")


def test_excerpts_equal_up_to_case_and_spacing_are_the_same() -> None:
    merged = merge_excerpts(["elu、Gelu", "backbone"], ["ELU、GELU", "Backbone ", "head"])
    assert (merged.new, merged.gone) == (["head"], [])


def test_an_excerpt_twice_in_the_notes_is_added_once() -> None:
    merged = merge_excerpts([], ["a note", "another", "A  note"])
    assert (merged.new, merged.gone) == (["a note", "another"], [])


def common_prefix_ratio(a: str, b: str) -> float:
    """difflib's ratio 2M/T for strings whose only common part is a shared prefix."""
    shared = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return 2 * shared / (len(a) + len(b))


def test_a_stored_excerpt_at_least_similar_enough_is_the_same_one_edited() -> None:
    notes = "abcdefghij"
    close, far = "abcdefXYZW", "abcdeXYZWV"  # 6 and 5 letters in common of 20
    assert common_prefix_ratio(notes, close) >= SIMILAR > common_prefix_ratio(notes, far)
    paired = merge_excerpts([close], [notes])
    assert (paired.new, paired.gone) == ([], [])
    unpaired = merge_excerpts([far], [notes])
    assert (unpaired.new, unpaired.gone) == ([notes], [far])


def test_the_most_alike_pairs_win() -> None:
    stored = ["Critic instead of the discriminator", "Critic instead of discriminator!"]
    merged = merge_excerpts(stored, ["Critic instead of discriminator."])
    assert (merged.new, merged.gone) == ([], ["Critic instead of the discriminator"])


def test_new_material_like_a_kept_excerpt_is_still_new() -> None:
    # The stored excerpt is paired with its equal, so it cannot stand for the new one too.
    merged = merge_excerpts(
        ["损失函数针对单个样本"], ["损失函数针对单个样本", "损失函数针对多个样本"]
    )
    assert (merged.new, merged.gone) == (["损失函数针对多个样本"], [])


def test_gone_excerpts_keep_their_stored_order() -> None:
    merged = merge_excerpts(["zeta", "kept", "alpha"], ["kept"])
    assert (merged.new, merged.gone) == ([], ["zeta", "alpha"])
