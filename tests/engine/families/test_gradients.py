"""Gradient families checked against a chain of units built explicitly and differentiated
numerically in high precision (mpmath), brute-force simulation and exact fractions."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import mpmath  # type: ignore[import-untyped]
import numpy as np
import pytest
from draft_checks import assert_mistakes_distinct, float_list_param, float_param, int_param, number

from quizdl.engine.families.gradients import first_layer_below
from quizdl.engine.question import Family
from quizdl.engine.registry import families

SEEDS = range(200)
CHAIN = families()["gradient-chain"]
VANISH = families()["gradient-vanish-explode"]
THRESHOLD = families()["layers-until-threshold"]

mpmath.mp.dps = 60
MP_ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
    "tanh": mpmath.tanh,
    "ReLU": lambda z: z if z > 0 else mpmath.mpf(0),
}


def chain_gradient(activation: str, weights: list[float], zs: list[float]) -> float:
    """∂hₙ/∂x of the chain hᵢ = f(wᵢ·hᵢ₋₁ + bᵢ), with biases chosen so that the forward pass
    at x₀ gives exactly the pre-activations zs, by a central difference in 60-digit arithmetic."""
    f = MP_ACTIVATIONS[activation]
    x0 = mpmath.mpf("0.7")
    biases = []
    h = x0
    for w, z in zip(weights, zs, strict=True):
        biases.append(mpmath.mpf(repr(z)) - mpmath.mpf(repr(w)) * h)
        h = f(mpmath.mpf(repr(z)))

    def forward(x: mpmath.mpf) -> mpmath.mpf:
        for w, b in zip(weights, biases, strict=True):
            x = f(mpmath.mpf(repr(w)) * x + b)
        return x

    step = mpmath.mpf("1e-25")
    return float((forward(x0 + step) - forward(x0 - step)) / (2 * step))


def test_chain_gradient_matches_numeric_differentiation() -> None:
    seen = set()
    for seed in SEEDS:
        draft = CHAIN.generate(seed).draft
        variant, n = draft.params["activation"], draft.params["layers"]
        assert isinstance(variant, str) and isinstance(n, int)
        if variant == "zero-sigmoid":
            w = draft.params["weight"]
            assert isinstance(w, float)
            expected = chain_gradient("sigmoid", [w] * n, [0.0] * n)
        else:
            weights, zs = float_list_param(draft, "weights"), float_list_param(draft, "z")
            assert len(weights) == len(zs) == n
            assert variant != "ReLU" or 0.0 not in zs  # ReLU has no derivative at 0
            assert all(math.copysign(1.0, z) == 1.0 for z in zs if z == 0.0)  # no −0.0 shown
            expected = chain_gradient(variant, weights, zs)
        assert math.isclose(number(draft.answer), expected, rel_tol=1e-9, abs_tol=1e-300)
        assert_mistakes_distinct(draft)
        seen.add((variant, draft.answer == 0.0))
    # every variant, and the dead ReLU unit that stops the gradient
    assert {v for v, _ in seen} == {"zero-sigmoid", "sigmoid", "tanh", "ReLU"}
    assert ("ReLU", True) in seen


def test_chain_mistakes_are_the_named_products() -> None:
    values_checked = 0
    for seed in SEEDS:
        draft = CHAIN.generate(seed).draft
        activation = draft.params["activation"]
        by_id = {m.id: number(m.value) for m in draft.mistakes}
        if activation == "zero-sigmoid":
            weights = [float_param(draft, "weight")] * int_param(draft, "layers")
            zs = [0.0] * len(weights)
        else:
            weights, zs = float_list_param(draft, "weights"), float_list_param(draft, "z")
        if activation == "sigmoid":
            # forgetting every σ′ ≤ 1/4 leaves a product at least 4ⁿ times larger
            assert math.isclose(by_id["off-by-4k"], float(np.prod(weights)), rel_tol=1e-12)
            assert abs(by_id["off-by-4k"]) >= 4 ** len(weights) * abs(number(draft.answer))
        if "value-not-derivative" in by_id:
            # the activations' values f(zᵢ) multiplied in place of their derivatives
            f = NUMPY_ACTIVATIONS["sigmoid" if activation == "zero-sigmoid" else str(activation)]
            expected = float(np.prod(np.array(weights) * f(np.array(zs))))
            assert math.isclose(by_id["value-not-derivative"], expected, rel_tol=1e-9)
            values_checked += 1
    assert values_checked > len(SEEDS) // 2


NUMPY_ACTIVATIONS: dict[str, Callable[[Any], Any]] = {
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "ReLU": lambda x: np.maximum(x, 0.0),
}


def largest_slope(name: str) -> float:
    """The maximum of f′ over a fine grid, by central differences."""
    xs = np.linspace(-6, 6, 120_001)
    f = NUMPY_ACTIVATIONS[name]
    return float(np.max((f(xs + 1e-6) - f(xs - 1e-6)) / 2e-6))


def test_vanish_explode_matches_simulation() -> None:
    slopes = {name: largest_slope(name) for name in ("sigmoid", "tanh", "ReLU")}
    outcomes = set()
    for seed in SEEDS:
        draft = VANISH.generate(seed).draft
        activation, n, w = (draft.params[k] for k in ("activation", "layers", "weight"))
        assert isinstance(activation, str) and isinstance(n, int) and isinstance(w, float)
        # brute force: push a unit gradient back through n and then 2n layers
        factor = Fraction(repr(w)) * Fraction(round(slopes[activation] * 1e6), 10**6)
        gradient_n = math.prod([factor] * n)
        gradient_2n = gradient_n * math.prod([factor] * n)
        expected = "a" if gradient_2n < gradient_n else "b" if gradient_2n > gradient_n else "c"
        assert draft.answer == expected, (seed, draft.params)
        keys = sorted(str(m.value) for m in draft.mistakes)
        assert keys == sorted({"a", "b", "c"} - {expected})
        assert {key for key, _ in draft.choices} == {"a", "b", "c"}
        outcomes.add((activation, expected))
    assert len(outcomes) == 9


def brute_force_layers(factor: float, exponent: int) -> int:
    f, threshold = Fraction(repr(factor)), Fraction(1, 10**exponent)
    n = 1
    while f**n >= threshold:
        n += 1
    return n


def test_layers_until_threshold_matches_brute_force() -> None:
    exact_powers = 0
    for seed in SEEDS:
        draft = THRESHOLD.generate(seed).draft
        factor, k = draft.params["factor"], draft.params["exponent"]
        assert isinstance(factor, float) and isinstance(k, int)
        assert number(draft.answer) == brute_force_layers(factor, k)
        if factor == 0.1:  # 0.1ᵏ equals 10⁻ᵏ: not strictly below, one more layer
            exact_powers += 1
            assert draft.answer == k + 1
        for mistake in draft.mistakes:
            assert abs(number(mistake.value) - number(draft.answer)) >= 1
        assert draft.rel_tol == 0 and draft.abs_tol == 0.5
    assert exact_powers > 0


def test_first_layer_below_on_known_cases() -> None:
    # 0.25¹⁰ = 9.54e-7 < 10⁻⁶ ≤ 0.25⁹ = 3.81e-6, checked against the brute force
    assert first_layer_below(1, 4, 6) == brute_force_layers(0.25, 6)
    for numerator in range(1, 100):
        for exponent in (1, 2, 5, 9):
            assert first_layer_below(numerator, 100, exponent) == brute_force_layers(
                numerator / 100, exponent
            )


@pytest.mark.parametrize("family", [CHAIN, VANISH, THRESHOLD], ids=lambda f: f.id)
def test_same_seed_same_question(family: Family) -> None:
    for seed in range(50):
        assert family.generate(seed) == family.generate(seed)


def test_card_ranges_are_respected() -> None:
    for seed in range(50):
        draft = CHAIN.generate(seed, {"layers": (3, 3), "weight": (2.0, 2.0)}).draft
        assert draft.params["layers"] == 3
        if draft.params["activation"] == "zero-sigmoid":
            assert draft.params["weight"] == 2.0
        assert VANISH.generate(seed, {"layers": (40, 40)}).draft.params["layers"] == 40
        assert THRESHOLD.generate(seed, {"exponent": (6, 6)}).draft.params["exponent"] == 6
