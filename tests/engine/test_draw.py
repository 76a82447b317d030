"""Draw: card ranges narrow the family's, and the one-call helpers draw what they say from
the generator's own uniform stream."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizdl.engine.draw import Draw, ParamSpec, choose

SPECS = {"n": ParamSpec(3, 9), "x": ParamSpec(-2.0, 2.0, integer=False)}


def test_bounds_are_the_cards_when_it_narrows_them() -> None:
    draw = Draw(np.random.default_rng(0), SPECS, {"n": (4, 4)})
    assert draw.bounds("n") == (4, 4)
    assert draw.bounds("x") == (-2.0, 2.0)
    assert all(draw.int("n") == 4 for _ in range(20))


def test_int_and_float_stay_in_bounds() -> None:
    draw = Draw(np.random.default_rng(1), SPECS)
    ints = {draw.int("n") for _ in range(500)}
    assert ints == set(range(3, 10))
    floats = [draw.float("x", decimals=1) for _ in range(500)]
    assert min(floats) >= -2.0 and max(floats) <= 2.0
    assert all(round(v, 1) == v for v in floats)


def test_uniforms_are_the_generators_next_uniforms() -> None:
    draw = Draw(np.random.default_rng(7), SPECS)
    assert draw.uniforms(5) == np.random.default_rng(7).random(5).tolist()


@pytest.mark.parametrize("size", [3, 19, 20, 25, 200])
def test_uniform_ints_scale_and_truncate_the_uniforms(size: int) -> None:
    """Both the short (pure Python) and the long (numpy) path give ⌊low + x·span⌋ for the
    same uniforms x."""
    for seed in range(50):
        drawn = Draw(np.random.default_rng(seed), SPECS).uniform_ints(-3, 17, size)
        xs = np.random.default_rng(seed).random(size).tolist()
        assert drawn == [-3 + math.floor(x * 21) for x in xs]
        assert all(type(v) is int for v in drawn)


def test_uniform_ints_cover_the_range_and_stay_inside() -> None:
    draw = Draw(np.random.default_rng(9), {})
    drawn = draw.uniform_ints(1, 20, 20_000)
    counts = np.bincount(np.array(drawn), minlength=21)[1:]
    assert min(drawn) == 1 and max(drawn) == 20
    # Uniform: each of the 20 values near 1,000 times (a 5σ band of the binomial count).
    assert (np.abs(counts - 1000) < 5 * np.sqrt(1000 * 0.95)).all()


def test_choose_splits_the_unit_interval_evenly() -> None:
    options = ("a", "b", "c", "d")
    assert [choose(u, options) for u in (0.0, 0.2499, 0.25, 0.5, 0.99999)] == list("aabcd")
