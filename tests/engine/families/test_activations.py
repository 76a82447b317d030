"""Activation families checked against numeric differentiation (central differences of
activations written here from their definitions) and sympy for the symbolic derivatives."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import sympy as sp
from draft_checks import assert_mistakes_distinct, number
from scipy.stats import norm

from quizdl.engine.answers.expression import check_expression
from quizdl.engine.question import Family
from quizdl.engine.registry import families

SEEDS = range(200)
STEP = 1e-5
DERIVATIVE_AT = families()["activation-derivative"]
SYMBOLIC = families()["sigmoid-derivative-symbolic"]
DERIVATIVE_MAX = families()["activation-derivative-max"]

# The activations from their definitions, independent of the engine's table.
REFERENCE: dict[str, Callable[[Any], Any]] = {
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "ReLU": lambda x: np.maximum(x, 0.0),
    "leaky ReLU (α=0.01)": lambda x: np.where(x > 0, x, 0.01 * x),
    "ELU (α=1)": lambda x: np.where(x > 0, x, np.expm1(x)),
    "GELU": lambda x: x * norm.cdf(x),
}


def central_difference(f: Callable[[Any], Any], x: float, step: float = STEP) -> float:
    return float((f(x + step) - f(x - step)) / (2 * step))


def test_derivative_at_a_point_matches_central_differences() -> None:
    seen = set()
    for seed in SEEDS:
        draft = DERIVATIVE_AT.generate(seed).draft
        name, x = draft.params["activation"], draft.params["x"]
        assert isinstance(name, str) and isinstance(x, float) and x != 0.0
        expected = central_difference(REFERENCE[name], x)
        assert math.isclose(number(draft.answer), expected, rel_tol=1e-6, abs_tol=1e-9)
        value_mistakes = [m for m in draft.mistakes if m.id == "value-not-derivative"]
        for mistake in value_mistakes:
            assert math.isclose(number(mistake.value), float(REFERENCE[name](x)), rel_tol=1e-12)
        assert_mistakes_distinct(draft)
        seen.add(name)
    assert seen == set(REFERENCE)


X = sp.Symbol("x", real=True)
SIGMA = sp.Lambda(X, 1 / (1 + sp.exp(-X)))


def parse(expression: str) -> sp.Expr:
    """An answer-syntax expression as sympy (the test's own reading, not the app's parser)."""
    return sp.sympify(expression, locals={"sigma": SIGMA, "x": X}, convert_xor=True)


def test_symbolic_derivative_matches_sympy() -> None:
    seen = set()
    grid = np.linspace(-3, 3, 13)
    for seed in range(60):
        draft = SYMBOLIC.generate(seed).draft
        activation, k = draft.params["activation"], draft.params["scale"]
        assert isinstance(k, int) and draft.kind == "expression" and draft.variables == ("x",)
        outer = SIGMA if activation == "sigmoid" else sp.tanh
        expected = sp.diff(outer(k * X), X)
        assert isinstance(draft.answer, str)
        answer = parse(draft.answer)
        assert sp.simplify((answer - expected).rewrite(sp.exp)) == 0, draft.answer
        # every mistake is a genuinely different function of x, and so are the mistakes
        curves = [sp.lambdify(X, answer, "numpy")(grid)]
        for mistake in draft.mistakes:
            assert isinstance(mistake.value, str)
            curves.append(sp.lambdify(X, parse(mistake.value), "numpy")(grid))
        for i, a in enumerate(curves):
            for b in curves[i + 1 :]:
                assert np.max(np.abs(a - b)) > 1e-2, draft.answer
        ids = {m.id for m in draft.mistakes}
        assert ("forgot-chain" in ids) == (k != 1)
        assert ("value-times-inner" in ids) == (k != 1)
        for mistake in draft.mistakes:
            if mistake.id == "value-times-inner":  # k·f(kx): the inner derivative alone
                assert isinstance(mistake.value, str)
                assert sp.simplify(parse(mistake.value) - k * outer(k * X)) == 0
        seen.add((activation, k))
    assert seen == {(a, k) for a in ("sigmoid", "tanh") for k in (1, 2, 3)}


def test_the_inner_derivative_alone_is_diagnosed() -> None:
    """k·σ(kx) typed for the derivative of σ(kx) (or k·tanh(kx) for tanh(kx)) is named."""
    checked = set()
    for seed in range(60):
        draft = SYMBOLIC.generate(seed).draft
        activation, k = draft.params["activation"], draft.params["scale"]
        if k == 1:
            continue
        name = "sigma" if activation == "sigmoid" else "tanh"
        outcome = check_expression(draft, f"{k} {name}({k}x)")
        assert outcome.correct is False
        assert outcome.diagnosis is not None and outcome.diagnosis.id == "value-times-inner"
        checked.add((activation, k))
    assert checked == {(a, k) for a in ("sigmoid", "tanh") for k in (2, 3)}


def test_symbolic_derivative_is_exact_at_points() -> None:
    # The same answers against central differences of the numeric activations.
    for seed in range(40):
        draft = SYMBOLIC.generate(seed).draft
        k = draft.params["scale"]
        assert isinstance(k, int) and isinstance(draft.answer, str)
        f = REFERENCE[str(draft.params["activation"])]
        derivative = sp.lambdify(X, parse(draft.answer), "math")

        def scaled(t: float, f: Callable[[Any], Any] = f, k: int = k) -> Any:
            return f(k * t)

        for x in (-1.3, 0.0, 0.4, 2.1):
            expected = central_difference(scaled, x)
            assert math.isclose(derivative(x), expected, rel_tol=1e-6, abs_tol=1e-9)


def largest_slope(name: str) -> float:
    """The maximum of f′ over a fine grid, by central differences."""
    xs = np.linspace(-8, 8, 160_001)
    f = REFERENCE[name]
    return float(np.max((f(xs + STEP) - f(xs - STEP)) / (2 * STEP)))


def test_derivative_max_matches_a_grid_search() -> None:
    sigmoid_max, tanh_max = largest_slope("sigmoid"), largest_slope("tanh")
    seen = set()
    for seed in SEEDS:
        draft = DERIVATIVE_MAX.generate(seed).draft
        variant = draft.params["variant"]
        if variant == "sigmoid":
            expected = sigmoid_max
        elif variant == "tanh":
            expected = tanh_max
        else:
            n = draft.params["layers"]
            assert isinstance(n, int)
            expected = math.prod([sigmoid_max] * n)
        assert math.isclose(number(draft.answer), expected, rel_tol=1e-7)
        assert_mistakes_distinct(draft)
        assert draft.mistakes
        seen.add(variant)
    assert seen == {"sigmoid", "tanh", "product"}


@pytest.mark.parametrize("family", [DERIVATIVE_AT, SYMBOLIC, DERIVATIVE_MAX], ids=lambda f: f.id)
def test_same_seed_same_question(family: Family) -> None:
    for seed in range(50):
        assert family.generate(seed) == family.generate(seed)


def test_card_ranges_are_respected() -> None:
    for seed in range(50):
        assert DERIVATIVE_AT.generate(seed, {"x": (1.5, 1.5)}).draft.params["x"] == 1.5
        assert SYMBOLIC.generate(seed, {"scale": (1, 1)}).draft.params["scale"] == 1
        draft = DERIVATIVE_MAX.generate(seed, {"layers": (7, 7)}).draft
        if draft.params["variant"] == "product":
            assert draft.params["layers"] == 7
