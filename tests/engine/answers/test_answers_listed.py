"""A number typed for a card that lists its accepted answers: the same number written
otherwise is right, a rounding is right to the figures the card asks, a count is exact."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdl.engine.answers.listed import check_listed_number
from quizdl.kb.loader import load_or_raise
from quizdl.kb.schema import TypedCard

FEATURES = ["262144", "262,144", "512x512", "512×512", "512*512", "512^2", "512²"]
MIN_VALUE = ["-log 4", "−log 4", "-ln 4", "-2 ln 2", "-1.386", "−1.386"]
HALF = ["0.5", ".5", "1/2", "½"]
SHELL = ["0.634", "63.4%", ".634"]


@pytest.mark.parametrize(
    ("accepted", "raw", "correct", "echo"),
    [
        (FEATURES, "512 ^ 2", True, "512^2 = 262,144"),
        (FEATURES, "262 144", True, "262,144"),
        (FEATURES, "2.62144e5", True, "262,144"),
        (FEATURES, "2^18", True, "2^18 = 262,144"),
        (FEATURES, "262145", False, "262,145"),
        (FEATURES, "2.62e5", False, "262,000"),  # a count is exact
        (MIN_VALUE, "-1.3863", True, "−1.3863"),  # more figures than the card lists
        (MIN_VALUE, "−1.38629", True, "−1.38629"),
        (MIN_VALUE, "-1.3862", False, "−1.3862"),  # not a rounding of −ln 4
        (MIN_VALUE, "ln(1/4)", True, "ln(1/4) = −1.386294361"),
        (MIN_VALUE, "1.386", False, "1.386"),  # the sign
        (HALF, "0.50", True, "0.5"),
        (HALF, "2^-1", True, "2^−1 = 0.5"),
        (HALF, "50%", True, "50% = 0.5"),
        (HALF, "0.51", False, "0.51"),
        (SHELL, "63.40%", True, "63.40% = 0.634"),
        (SHELL, "0.6340", True, "0.634"),
    ],
)
def test_the_same_number_written_otherwise(
    accepted: list[str], raw: str, correct: bool, echo: str
) -> None:
    verdict = check_listed_number(raw, accepted)
    assert verdict is not None
    assert (verdict.correct, verdict.echo) == (correct, echo)
    assert verdict.figures_wanted is None


@pytest.mark.parametrize(
    ("accepted", "raw", "wanted"),
    [
        (MIN_VALUE, "-1.39", 4),  # the card lists −1.386: four figures
        (SHELL, "63%", 3),
        (["ln 10", "2.303", "2.30"], "2.3", None),  # 2.30 is listed: the same number
        (["ln 10", "2.303", "2.30"], "2", 3),
        (["ln 2"], "0.69", 3),  # no decimal listed: three figures
        (["ln 2"], "0.693", None),
    ],
)
def test_a_rounding_with_too_few_figures_is_close(
    accepted: list[str], raw: str, wanted: int | None
) -> None:
    verdict = check_listed_number(raw, accepted)
    assert verdict is not None
    assert verdict.correct is (wanted is None)
    assert verdict.figures_wanted == wanted


@pytest.mark.parametrize(
    ("accepted", "raw"),
    [
        (FEATURES, "about 262k"),  # not a number: left to the text match
        (["five", "5 shots"], "5"),  # the card lists no number
        (HALF, ""),
        (HALF, "__import__('os')"),
    ],
)
def test_not_numbers_are_left_to_the_text_match(accepted: list[str], raw: str) -> None:
    assert check_listed_number(raw, accepted) is None


def test_roundings_of_the_exact_value_computed_here() -> None:
    """−ln 4 rounded by Python's own formatting to 4 to 9 figures is right; 3 is close."""
    exact = -math.log(4)
    for figures in range(4, 10):
        verdict = check_listed_number(f"{exact:.{figures}g}", MIN_VALUE)
        assert verdict is not None and verdict.correct, figures
    close = check_listed_number(f"{exact:.3g}", MIN_VALUE)
    assert close is not None and not close.correct and close.figures_wanted == 4


NUMERIC_CARDS = [
    card
    for card in (load_or_raise().cards[c] for c in load_or_raise().cards)
    if isinstance(card, TypedCard) and check_listed_number(card.accept[0], card.accept)
]


def test_the_shipped_content_has_typed_numbers() -> None:
    assert len(NUMERIC_CARDS) >= 30


@pytest.mark.parametrize("card", NUMERIC_CARDS, ids=lambda c: c.id)
def test_every_listed_number_is_right_written_plainly_and_a_near_miss_is_not(
    card: TypedCard,
) -> None:
    for form in card.accept:
        verdict = check_listed_number(form, card.accept)
        if verdict is None:
            continue  # a word ("five") among the numbers
        assert verdict.correct, form
        value = float(verdict.echo.split(" = ")[-1].replace(",", "").replace("−", "-"))
        plain = check_listed_number(repr(value), card.accept)
        assert plain is not None and plain.correct, (form, repr(value))
        off = value * 1.05 if value else 0.05
        missed = check_listed_number(repr(off), card.accept)
        assert missed is not None and not missed.correct, (form, off)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gets_a_verdict_or_none(raw: str) -> None:
    verdict = check_listed_number(raw, MIN_VALUE)
    assert verdict is None or isinstance(verdict.correct, bool)
