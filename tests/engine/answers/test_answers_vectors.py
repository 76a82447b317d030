"""Reading and checking vectors: separators, brackets, thousands, lengths."""

from __future__ import annotations

import math

import pytest

from quizdl.engine.answers import Unreadable, check, diagnose, parse_vector
from quizdl.engine.question import Draft, Mistake, Question
from quizdl.kb.text import Text


def vector_question(answer: tuple[float, ...], mistakes: tuple[Mistake, ...] = ()) -> Question:
    draft = Draft(Text.same("v = ?"), "vector", answer, {}, (), mistakes=mistakes, rel_tol=1e-3)
    return Question("test-vector", 1, 0, draft)


ACCEPTED: list[tuple[str, tuple[float, ...]]] = [
    ("(1, 2, 3)", (1.0, 2.0, 3.0)),
    ("[1, 2, 3]", (1.0, 2.0, 3.0)),
    ("1, 2, 3", (1.0, 2.0, 3.0)),
    ("1,2,3", (1.0, 2.0, 3.0)),
    ("1; 2; 3", (1.0, 2.0, 3.0)),
    ("(1；2；3)", (1.0, 2.0, 3.0)),  # full-width semicolons
    ("1、2、3", (1.0, 2.0, 3.0)),  # the Chinese enumeration comma
    ("[0.5 -1 2]", (0.5, -1.0, 2.0)),  # numpy's way of printing
    ("[ 1.  -2.5  3. ]", (1.0, -2.5, 3.0)),
    ("1 2 3", (1.0, 2.0, 3.0)),
    ("[1 - 2]", (-1.0,)),  # spaces on both sides of the sign: one item
    ("(1/2, 2^-2, 25%)", (0.5, 0.25, 0.25)),
    ("(max(1, 2), 3)", (2.0, 3.0)),  # a comma inside a call is not a separator
    ("(sqrt(2), -e)", (math.sqrt(2), -math.e)),
    ("1,234", (1.0, 234.0)),  # in a comma list a comma always separates
    ("1,234; 5", (1234.0, 5.0)),  # with ';' a comma may separate thousands again
    ("(1 000, 2 500)", (1000.0, 2500.0)),  # a space separates thousands in a comma list
    ("1 234", (1.0, 234.0)),  # ...but separates items when there is no ',' or ';'
    ("1, 2, 3,", (1.0, 2.0, 3.0)),  # a trailing separator is tolerated
    ("(5)", (5.0,)),
]


@pytest.mark.parametrize(("typed", "values"), ACCEPTED)
def test_accepted_vectors(typed: str, values: tuple[float, ...]) -> None:
    assert parse_vector(typed) == pytest.approx(values, rel=1e-15, abs=0)


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("()", "no numbers"),
        ("", "no numbers"),
        ("1,,2", "missing number before ',' at position 3"),
        ("(1, 2", "missing ')'"),
        ("(1, x)", "unknown name 'x'"),
        ("1, 2; 3", "unexpected ','"),  # ';' separates, and ", 2" is no thousands group
    ],
)
def test_unreadable_vectors(typed: str, fragment: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_vector(typed)
    assert fragment in caught.value.reason


def test_right_vector_and_its_echo() -> None:
    verdict = check(vector_question((1.5, 2.0, 0.25)), "[3/2; 2; 1/4]")
    assert verdict.correct is True
    assert verdict.interpreted == "(1.5, 2, 0.25)"
    assert verdict.suggested_rating == 3


def test_elementwise_tolerance() -> None:
    question = vector_question((1.0, 100.0))
    assert check(question, "(1.0009, 100.09)").correct is True  # rel_tol 1e-3 per item
    assert check(question, "(1.0011, 100)").correct is False


def test_wrong_length_is_wrong_with_a_clear_diagnosis() -> None:
    verdict = check(vector_question((1.0, 2.0, 3.0)), "(1, 2)")
    assert verdict.correct is False
    assert verdict.generic == diagnose.wrong_length(3, 2)
    assert verdict.generic is not None and "Expected 3 numbers, got 2" in verdict.generic.en


def test_declared_mistake_is_diagnosed() -> None:
    transposed = Mistake("transposed", Text(en="transposed", zh="转置了"), (3.0, 1.0, 2.0))
    verdict = check(vector_question((1.0, 2.0, 3.0), (transposed,)), "3, 1, 2")
    assert verdict.correct is False
    assert verdict.diagnosis == transposed
    assert verdict.generic is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("(-1, 2, -3)", diagnose.WRONG_SIGN),
        ("(100, -200, 300)", diagnose.power_of_ten(2)),
        ("(1, -1/2, 1/3)", diagnose.RECIPROCAL),
        ("(3, -2, 1)", diagnose.WRONG_ORDER),
        ("(1, -2, 4)", None),  # one item wrong: nothing general to say
    ],
)
def test_generic_vector_diagnoses(typed: str, expected: Text | None) -> None:
    verdict = check(vector_question((1.0, -2.0, 3.0)), typed)
    assert verdict.correct is False
    assert verdict.generic == expected
