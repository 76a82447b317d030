"""GAN families: D* as the numerical maximiser of the pointwise objective, the game value from
scipy's Jensen-Shannon distance and from the definition, WGAN-GP by central differences."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from draft_checks import (
    array_param,
    as_vector,
    assert_mistakes_match,
    clearly_different,
    float_param,
)
from scipy.optimize import minimize_scalar
from scipy.spatial.distance import jensenshannon
from scipy.stats import norm

from quizdl.engine.question import Draft
from quizdl.engine.registry import families

SEEDS = range(200)
DISCRIMINATOR = families()["gan-optimal-discriminator"]
VALUE = families()["gan-optimal-value"]
WGAN_GP = families()["wgan-gp"]


def pointwise_argmax(p_data: float, p_g: float) -> float:
    """For fixed G the discriminator maximises p_data·log D + p_g·log(1 − D) at each x."""
    result = minimize_scalar(
        lambda d: -(p_data * math.log(d) + p_g * math.log(1 - d)),
        bounds=(1e-9, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return float(result.x)


def test_optimal_discriminator_maximises_the_pointwise_objective() -> None:
    given = set()
    for seed in SEEDS:
        draft = DISCRIMINATOR.generate(seed).draft
        given.add(draft.params["given"])
        if draft.params["given"] == "gaussians":
            x = float_param(draft, "x")
            p_data = float(
                norm.pdf(x, float_param(draft, "mean_data"), float_param(draft, "std_data"))
            )
            p_g = float(norm.pdf(x, float_param(draft, "mean_g"), float_param(draft, "std_g")))
        else:
            p_data, p_g = float_param(draft, "p_data"), float_param(draft, "p_g")
        best = pointwise_argmax(p_data, p_g)
        assert math.isclose(as_vector(draft.answer)[0], best, abs_tol=1e-7)
        assert_mistakes_match(draft, {"inverted": p_g / (p_data + p_g), "ratio": p_data / p_g})
    assert given == {"gaussians", "values"}


def value_from_definition(p: np.ndarray, q: np.ndarray, log: Callable[..., np.ndarray]) -> float:
    """V(D*, G) = Σ p log D*(x) + Σ q log(1 − D*(x)) with D* = p/(p + q)."""
    d_star = p / (p + q)
    return float((p * log(d_star)).sum() + (q * log(1 - d_star)).sum())


def test_optimal_value_matches_jensen_shannon() -> None:
    optimum_seen = False
    for seed in SEEDS:
        draft = VALUE.generate(seed).draft
        p, q = array_param(draft, "p_data"), array_param(draft, "p_g")
        assert math.isclose(p.sum(), 1.0) and math.isclose(q.sum(), 1.0)
        jsd = float(jensenshannon(p, q)) ** 2  # scipy returns the distance √JSD, base e
        answer = as_vector(draft.answer)[0]
        assert math.isclose(answer, -math.log(4) + 2 * jsd, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(answer, value_from_definition(p, q, np.log), rel_tol=1e-9)
        if np.array_equal(p, q):
            # Goodfellow et al. (2014), Theorem 1: the global minimum of C(G) is −log 4.
            assert math.isclose(answer, -math.log(4))
            optimum_seen = True
        assert_mistakes_match(
            draft,
            {
                "forgot-factor-two": -math.log(4) + jsd,
                "log2-vs-ln": value_from_definition(p, q, np.log2),
                "forgot-log4": 2 * jsd,
            },
        )
    assert optimum_seen


def numeric_gradient(critic: Callable[[np.ndarray], float], at: np.ndarray) -> np.ndarray:
    """Central differences of the critic at a point."""
    h = 1e-5
    return np.array([(critic(at + h * e) - critic(at - h * e)) / (2 * h) for e in np.eye(len(at))])


def linear_critic(w: np.ndarray) -> Callable[[np.ndarray], float]:
    return lambda x: float(w @ x) + 0.7  # any bias: it does not change the gradient


def quadratic_critic(a: float) -> Callable[[np.ndarray], float]:
    return lambda x: 0.5 * a * float(x @ x)


def gradient_penalty(
    critic: Callable[[np.ndarray], float], at: np.ndarray, lam: float, squared: bool = False
) -> float:
    """λ(‖∇D‖ − 1)², or λ(‖∇D‖² − 1)² when `squared`, with ∇D by central differences."""
    norm_ = float(np.linalg.norm(numeric_gradient(critic, at)))
    return lam * ((norm_**2 if squared else norm_) - 1) ** 2


def test_wgan_gp_by_central_differences() -> None:
    asks = set()
    for seed in SEEDS:
        draft = WGAN_GP.generate(seed).draft
        real, fake = array_param(draft, "real"), array_param(draft, "fake")
        eps, lam = float_param(draft, "epsilon"), float_param(draft, "lam")
        mixed = eps * real + (1 - eps) * fake
        ask = draft.params["ask"]
        asks.add(ask)
        if ask == "interpolate":
            assert draft.kind == "vector"
            np.testing.assert_allclose(as_vector(draft.answer), mixed, rtol=1e-12, atol=1e-12)
            swapped = (1 - eps) * real + eps * fake
            assert_mistakes_match(
                draft,
                {
                    "gradient-at-real": real,
                    "gradient-at-generated": fake,
                    "swapped-epsilon": swapped,
                },
            )
            continue
        if ask == "linear":
            critic = linear_critic(array_param(draft, "w"))
        else:
            critic = quadratic_critic(float_param(draft, "a"))
        expected = gradient_penalty(critic, mixed, lam)
        assert math.isclose(as_vector(draft.answer)[0], expected, rel_tol=1e-6, abs_tol=1e-8)
        assert_mistakes_close(
            draft,
            {
                "gradient-at-real": gradient_penalty(critic, real, lam),
                "squared-norm": gradient_penalty(critic, mixed, lam, squared=True),
                "forgot-lambda": expected / lam,
            },
        )
        if ask == "linear":
            assert {m.id for m in draft.mistakes} <= {"squared-norm", "forgot-lambda"}
    assert asks == {"interpolate", "linear", "quadratic"}


def assert_mistakes_close(draft: Draft, expected: dict[str, float]) -> None:
    """Like assert_mistakes, with the looser tolerance numerical gradients need."""
    for mistake in draft.mistakes:
        assert math.isclose(
            as_vector(mistake.value)[0], expected[mistake.id], rel_tol=1e-6, abs_tol=1e-8
        )
        assert clearly_different(draft, mistake.value, draft.answer)


def test_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(50):
        for family in (DISCRIMINATOR, VALUE, WGAN_GP):
            assert family.generate(seed) == family.generate(seed)
        draft = VALUE.generate(seed, {"outcomes": (3, 3)}).draft
        assert draft.params["outcomes"] == 3 and len(array_param(draft, "p_g")) == 3
        draft = WGAN_GP.generate(
            seed, {"dims": (2, 2), "lam": (10, 10), "epsilon": (0.5, 0.5)}
        ).draft
        assert (draft.params["dims"], draft.params["lam"], draft.params["epsilon"]) == (2, 10, 0.5)
        assert len(array_param(draft, "real")) == 2
