"""Checking expression answers: equivalent forms, wrong ones, diagnoses, the 2-D echo."""

from __future__ import annotations

import math

import pytest

from quizdl.engine.answers import check, diagnose
from quizdl.engine.answers.evaluate import evaluate
from quizdl.engine.answers.expression import sample_points
from quizdl.engine.answers.parse import read_expression
from quizdl.engine.question import Draft, Mistake, Question
from quizdl.kb.text import Text

SIGMOID_VALUE = Mistake(
    "value-not-derivative", Text(en="That is σ(x) itself.", zh="这是 σ(x) 本身。"), "sigma(x)"
)


def expression_question(
    answer: str, mistakes: tuple[Mistake, ...] = (), variables: tuple[str, ...] = ("x",)
) -> Question:
    draft = Draft(
        Text.same("f'(x) = ?"), "expression", answer, {}, (), mistakes=mistakes, variables=variables
    )
    return Question("test-expression", 1, 0, draft)


SIGMOID_DERIVATIVE = [
    "sigma(x)*(1-sigma(x))",
    "σ(x)(1-σ(x))",
    "σ(x)(1−σ(x))",
    "sigmoid(x) - sigmoid(x)^2",
    "exp(-x)/(1+exp(-x))^2",
    "e^-x/(1+e^-x)**2",
    "e^x/(1+e^x)^2",
    "sigma(x)*sigma(-x)",
    "1/(2 + 2cosh(x))",
]


@pytest.mark.parametrize("typed", SIGMOID_DERIVATIVE)
def test_sigmoid_derivative_in_equivalent_forms(typed: str) -> None:
    verdict = check(expression_question("sigma(x)*(1-sigma(x))"), typed)
    assert verdict.correct is True, verdict.interpreted
    assert verdict.unconfirmed == 0  # confirmed symbolically
    assert "sympy could not confirm" not in verdict.interpreted_in("en")
    assert verdict.suggested_rating == 3


@pytest.mark.parametrize(
    ("answer", "typed"),
    [
        ("1 - tanh(x)^2", "1-tanh²(x)"),
        ("1 - tanh(x)^2", "1 - tanh^2(x)"),
        ("1 - tanh(x)^2", "4/(e^x+e^-x)^2"),
        ("1 - tanh(x)^2", "(1-tanh(x))(1+tanh(x))"),
        ("1 - tanh(x)^2", "1/cosh(x)^2"),
        ("x*(1-x)", "x - x^2"),
        ("x*(1-x)", "x(1-x)"),
        ("2*x*exp(x^2)", "2x e^(x^2)"),
        ("tanh(x)", "2σ(2x) - 1"),
        ("sin(2*x)", "2 sin x cos x"),
        ("x^2 - 1", "(x-1)(x+1)"),
        ("exp(x + 1)", "e·exp(x)"),
        ("sqrt(x)", "x^(1/2)"),
        ("x/2", "0.5x"),
        ("x/2", "50% x"),
        ("2*w*x + b", "b + 2wx"),  # several variables, implicit products of them
    ],
)
def test_equivalent_forms(answer: str, typed: str) -> None:
    variables = ("w", "x", "b") if "w" in answer else ("x",)
    verdict = check(expression_question(answer, variables=variables), typed)
    assert verdict.correct is True, verdict.interpreted


def test_accepted_on_numeric_evidence_says_so() -> None:
    """max(x, 0) = (x + |x|)/2 everywhere, but sympy's quick canceller does not see it."""
    verdict = check(expression_question("max(x, 0)"), "(x + abs(x))/2")
    assert verdict.correct is True
    assert verdict.unconfirmed == 20
    echo, note = verdict.interpreted_in("en").rsplit("\n", 1)
    assert echo == verdict.interpreted  # the drawing alone
    assert note == "(equal at 20 test points; sympy could not confirm it)"
    # each language its own note (both used to be shown at once)
    assert verdict.interpreted_in("zh").endswith("（在 20 个测试点上相等，sympy 未能符号验证）")
    assert "sympy could not confirm" not in verdict.interpreted_in("zh")


@pytest.mark.parametrize("typed", ["sigma(x)*(1+sigma(x))", "x(1-x)", "exp(-x)/(1+exp(-x))", "1"])
def test_non_equivalent_is_wrong(typed: str) -> None:
    verdict = check(expression_question("sigma(x)*(1-sigma(x))"), typed)
    assert verdict.correct is False
    assert verdict.suggested_rating == 1


def test_the_two_forms_really_differ_where_the_checker_says() -> None:
    """An independent look at the test points: x(1-x) and σ(x)(1-σ(x)) differ at the first."""
    point = sample_points(("x",))[0]["x"]
    sigmoid = 1 / (1 + math.exp(-point))
    assert not math.isclose(point * (1 - point), sigmoid * (1 - sigmoid), rel_tol=1e-7)


def test_declared_mistake_is_diagnosed() -> None:
    question = expression_question("sigma(x)*(1-sigma(x))", (SIGMOID_VALUE,))
    verdict = check(question, "1/(1+e^-x)")
    assert verdict.correct is False
    assert verdict.diagnosis == SIGMOID_VALUE


def test_generic_sign_and_reciprocal() -> None:
    question = expression_question("sigma(x)*(1-sigma(x))")
    assert check(question, "-σ(x)(1-σ(x))").generic == diagnose.WRONG_SIGN
    assert check(question, "1/(σ(x)(1-σ(x)))").generic == diagnose.RECIPROCAL
    assert check(question, "σ(x)").generic is None


def test_hinted_right_answer_is_hard() -> None:
    verdict = check(expression_question("x*(1-x)"), "x - x^2", hinted=True)
    assert verdict.correct is True and verdict.suggested_rating == 2


def test_two_dimensional_echo() -> None:
    verdict = check(expression_question("exp(-x)/(1+exp(-x))^2"), "e^-x/(1+e^-x)^2")
    lines = verdict.interpreted.splitlines()
    assert len(lines) > 2  # a drawing, not one line
    assert any("ℯ" in line for line in lines) and any("─" in line for line in lines)
    assert check(expression_question("x*(1-x)"), "x(1-x)").interpreted == "x⋅(1 − x)"
    # sympy draws a hyphen for minus; the echo draws the minus sign, as the app's math does
    assert "-" not in verdict.interpreted
    assert any("−x" in line for line in lines)


@pytest.mark.parametrize(
    ("typed", "echo"),
    [
        ("sigma(x)*(1-sigma(x))", "(1 − σ(x))⋅σ(x)"),
        ("σ(x)(1-σ(x))", "(1 − σ(x))⋅σ(x)"),
        ("sigmoid(x) - sigmoid(x)^2", "   2          \n− σ (x) + σ(x)"),
    ],
)
def test_sigmoid_is_echoed_as_typed_and_still_confirmed(typed: str, echo: str) -> None:
    """σ is drawn as σ, not as 1/(1 + ℯ^−x), which made σ(x)(1 − σ(x)) a tower of fractions
    five lines high; the symbolic confirmation still sees its exponential form."""
    verdict = check(expression_question("exp(-x)/(1+exp(-x))^2"), typed)
    assert verdict.correct is True
    assert verdict.interpreted == echo  # confirmed by sympy: no "test points" note


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("y", "unknown name 'y' at position 1 (the variables here: x)"),
        ("x2", "missing operator before '2'"),
        ("relu(x)", "unknown name 'relu'"),
        ("x + 1/0", "division by zero (in 1/0)"),
        ("x * sqrt(-1)", "not a real number"),
        ("ln(-x^2 - 1)", "could not evaluate the expression at any test point"),
        ("exp(x", "missing ')'"),
        ("x,", "unexpected ','"),
    ],
)
def test_unreadable_expressions(typed: str, fragment: str) -> None:
    verdict = check(expression_question("x"), typed)
    assert verdict.correct is None
    assert fragment in verdict.reason
    assert verdict.suggested_rating == 0


def test_names_split_into_known_names() -> None:
    """'xexp(x)' is x·exp(x); 'exp' is never e·x·p; a longer function name wins."""
    node = read_expression("xexp(x)", ("x",))
    assert evaluate(node, {"x": 2.0}) == pytest.approx(2 * math.exp(2), rel=1e-15)
    sigmoid = read_expression("sigmoid(x)", ("x",))
    assert evaluate(sigmoid, {"x": 0.0}) == 0.5


def test_points_are_fixed() -> None:
    """The same points in every run (a fixed seed), half of them positive for ln and sqrt."""
    first = [p["x"] for p in sample_points(("x",))]
    sample_points.cache_clear()
    assert [p["x"] for p in sample_points(("x",))] == first
    assert len(first) == 20
    assert all(-2 <= p <= 2 for p in first[:10])
    assert all(0.05 <= p <= 3 for p in first[10:])
