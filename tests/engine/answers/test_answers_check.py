"""Checking number and choice answers: tolerance, diagnoses, echo and suggested ratings."""

from __future__ import annotations

import pytest

from quizdl.engine.answers import Verdict, check, diagnose
from quizdl.engine.answers.evaluate import number_value
from quizdl.engine.answers.parse import read_number
from quizdl.engine.families.activations import FAMILIES as ACTIVATION_FAMILIES
from quizdl.engine.question import Draft, Mistake, Question
from quizdl.kb.text import Text

VALUE_NOT_DERIVATIVE = Mistake(
    "value-not-derivative", Text(en="That is σ(0) itself.", zh="这是 σ(0) 本身。"), 0.5
)


def number_question(
    answer: float,
    mistakes: tuple[Mistake, ...] = (),
    rel_tol: float = 1e-3,
    abs_tol: float = 1e-9,
) -> Question:
    draft = Draft(
        Text.same("?"),
        "number",
        answer,
        {},
        (),
        mistakes=mistakes,
        rel_tol=rel_tol,
        abs_tol=abs_tol,
    )
    return Question("test-number", 1, 0, draft)


def choice_question(answer: str, mistakes: tuple[Mistake, ...] = ()) -> Question:
    choices = (
        ("a", Text(en="ReLU", zh="ReLU")),
        ("b", Text(en="The sigmoid", zh="sigmoid 函数")),
        ("c", Text(en="$\\tanh$", zh="$\\tanh$")),
    )
    draft = Draft(Text.same("?"), "choice", answer, {}, (), mistakes=mistakes, choices=choices)
    return Question("test-choice", 1, 0, draft)


def test_right_number_in_many_spellings() -> None:
    question = number_question(1 / 256)
    for typed in ("0.00390625", "1/256", "2^-8", "2^(-8)", "4**-4", "3.90625e-3", "0.390625%"):
        verdict = check(question, typed)
        assert verdict == Verdict(True, verdict.interpreted, "", None, None, 3), typed


def test_tolerance_has_isclose_semantics() -> None:
    relative = number_question(0.25, rel_tol=1e-2, abs_tol=0.0)
    assert check(relative, "0.2525").correct is True  # |Δ| = 0.0025 = 1% of 0.25
    assert check(relative, "0.2526").correct is False
    absolute = number_question(0.0, rel_tol=1e-3, abs_tol=1e-4)
    assert check(absolute, "0.0001").correct is True
    assert check(absolute, "0.0002").correct is False


def test_echo_shows_how_the_answer_was_read() -> None:
    assert check(number_question(0.0039), "0.0039").interpreted == "0.0039"
    assert check(number_question(1234567.0), "1 234 567").interpreted == "1,234,567"
    assert check(number_question(1 / 256), "2^-8").interpreted == "2^−8 = 0.00390625"
    assert check(number_question(0.25), "25%").interpreted == "25% = 0.25"
    assert check(number_question(3.9e-3), "3.9×10^-3").interpreted == "3.9·10^−3 = 0.0039"
    assert check(number_question(1.0), "log(e)").interpreted == "ln(e) = 1"


@pytest.mark.parametrize("typed", ["2^-8", "-3/4", "1 - 2^-3", "-(2-5)*10^-2"])
def test_echo_draws_minus_signs_and_reads_back(typed: str) -> None:
    """The echo writes − as the app draws math, and typing the echo back gives the same value."""
    question = number_question(number_value(read_number(typed)))
    shown, value = check(question, typed).interpreted.split(" = ")
    assert "-" not in shown and "−" in shown and "-" not in value
    assert check(question, shown).correct is True
    assert number_value(read_number(shown)) == number_value(read_number(typed))


def test_declared_mistake_is_diagnosed() -> None:
    question = number_question(0.25, (VALUE_NOT_DERIVATIVE,))
    verdict = check(question, "1/2")
    assert verdict.correct is False
    assert verdict.diagnosis == VALUE_NOT_DERIVATIVE
    assert verdict.generic is None
    assert verdict.suggested_rating == 1


def test_a_right_answer_carries_no_diagnosis() -> None:
    question = number_question(0.25, (VALUE_NOT_DERIVATIVE,))
    verdict = check(question, "0.25")
    assert verdict.diagnosis is None and verdict.generic is None


@pytest.mark.parametrize(
    ("answer", "typed", "power"),
    [
        (0.0039, "0.39", 2),  # a percentage typed as a fraction
        (0.0039, "3.9", 3),
        (25.0, "0.25", -2),
        (1234.0, "1.234", -3),
        (-0.5, "-50", 2),
    ],
)
def test_off_by_a_power_of_ten_names_the_power(answer: float, typed: str, power: int) -> None:
    verdict = check(number_question(answer), typed)
    assert verdict.correct is False
    assert verdict.generic == diagnose.power_of_ten(power)
    drawn = verdict.generic.render("en")
    superscript = str(abs(power)).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"10{superscript} times too {'large' if power > 0 else 'small'}" in drawn


def test_wrong_sign_and_reciprocal() -> None:
    assert check(number_question(0.25), "-0.25").generic == diagnose.WRONG_SIGN
    assert check(number_question(0.25), "4").generic == diagnose.RECIPROCAL
    assert check(number_question(0.25), "0.3").generic is None  # nothing general to say


def test_generic_diagnoses_are_bilingual() -> None:
    for text in (diagnose.WRONG_SIGN, diagnose.RECIPROCAL, diagnose.power_of_ten(3)):
        assert text.en != text.zh and text.zh.strip()


@pytest.mark.parametrize(
    ("typed", "hinted", "rating"),
    [
        ("0.25", False, 3),  # Good
        ("0.25", True, 2),  # Hard: right, but after the hint
        ("0.3", False, 1),  # Again
        ("0.3", True, 1),
        ("0,25", False, 0),  # unreadable: no rating suggested
        ("0,25", True, 0),
    ],
)
def test_suggested_ratings(typed: str, hinted: bool, rating: int) -> None:
    assert check(number_question(0.25), typed, hinted=hinted).suggested_rating == rating


def test_unreadable_verdict_is_not_wrong() -> None:
    verdict = check(number_question(0.25), "0,25")
    assert verdict.correct is None
    assert verdict.interpreted == ""
    assert "write decimals with '.'" in verdict.reason
    assert verdict.diagnosis is None and verdict.generic is None


def test_a_real_family_question() -> None:
    """The activation family's own answer, as its solution prints it, is accepted, and its
    declared mistake (the function value instead of the derivative) is diagnosed."""
    family = ACTIVATION_FAMILIES[0]
    for seed in range(40):
        question = family.generate(seed)
        draft = question.draft
        assert isinstance(draft.answer, float)
        assert check(question, f"{draft.answer:.6g}").correct is True
        for mistake in draft.mistakes:
            assert isinstance(mistake.value, float)
            verdict = check(question, repr(mistake.value))
            assert verdict.correct is False and verdict.diagnosis == mistake


@pytest.mark.parametrize("typed", ["b", "B", " b ", "(b)", "b)", "b.", "[B]"])
def test_choice_by_key(typed: str) -> None:
    verdict = check(choice_question("b"), typed)
    assert verdict.correct is True
    assert verdict.interpreted == "b"


@pytest.mark.parametrize(
    "typed", ["The sigmoid", "the  SIGMOID", "sigmoid 函数", "ｓｉｇｍｏｉｄ 函数"]
)
def test_choice_by_text_in_either_language(typed: str) -> None:
    assert check(choice_question("b"), typed).correct is True


def test_choice_by_drawn_math_text() -> None:
    assert check(choice_question("c"), "tanh").correct is True
    assert check(choice_question("c"), "$\\tanh$").correct is True


def test_wrong_choice_with_declared_mistake() -> None:
    relu = Mistake("relu", Text(en="ReLU does not saturate.", zh="ReLU 不会饱和。"), "a")
    verdict = check(choice_question("b", (relu,)), "A")
    assert verdict.correct is False
    assert verdict.diagnosis == relu
    assert verdict.suggested_rating == 1


def test_unknown_choice_is_unreadable() -> None:
    verdict = check(choice_question("b"), "z")
    assert verdict.correct is None
    assert verdict.reason == "not one of the choices (a, b, c)"
