"""The volume near the surface of a d-ball from the d-ball volume formula and a Monte-Carlo
estimate."""

from __future__ import annotations

import math

import numpy as np
import pytest
from draft_checks import assert_mistakes_distinct, float_param, int_param, number

from quizdl.engine.registry import families

SEEDS = range(200)
VOLUME = families()["volume-concentration"]


def ball_volume(d: int, r: float) -> float:
    """Volume of the d-dimensional ball of radius r: π^(d/2)·rᵈ / Γ(d/2 + 1)."""
    return math.exp(d / 2 * math.log(math.pi) + d * math.log(r) - math.lgamma(d / 2 + 1))


def test_volume_fraction_matches_ball_volumes() -> None:
    for seed in SEEDS:
        draft = VOLUME.generate(seed).draft
        d, eps = int_param(draft, "dimension"), float_param(draft, "epsilon")
        shell = ball_volume(d, 1.0) - ball_volume(d, 1.0 - eps)
        assert math.isclose(number(draft.answer), shell / ball_volume(d, 1.0), rel_tol=1e-9)
        assert_mistakes_distinct(draft)


@pytest.mark.parametrize("d", [2, 3, 4])
def test_volume_fraction_matches_monte_carlo(d: int) -> None:
    rng = np.random.default_rng(2024)
    points = rng.uniform(-1, 1, size=(400_000, d))
    radii = np.linalg.norm(points, axis=1)
    inside = radii[radii <= 1]
    for seed in range(10):
        draft = VOLUME.generate(seed, {"dimension": (d, d)}).draft
        assert draft.params["dimension"] == d
        eps = float_param(draft, "epsilon")
        estimate = float(np.mean(inside > 1 - eps))
        error = math.sqrt(estimate * (1 - estimate) / inside.size)
        assert abs(number(draft.answer) - estimate) < 5 * error + 1e-4


def test_same_seed_same_question_and_card_ranges() -> None:
    for seed in range(50):
        assert VOLUME.generate(seed) == VOLUME.generate(seed)
        draft = VOLUME.generate(seed, {"dimension": (50, 50), "epsilon": (0.05, 0.05)}).draft
        assert draft.params["dimension"] == 50 and draft.params["epsilon"] == 0.05
