"""Prior ⇔ penalty families: the λ taught must make the penalised least-squares minimiser equal
the MAP estimate found by numerically minimising the negative log posterior (scipy densities);
ridge is checked against numpy least squares on the augmented system."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from draft_checks import array_param, clearly_different, float_param, number
from scipy.optimize import minimize_scalar
from scipy.stats import laplace, norm

from quizdl.engine.registry import families

SEEDS = range(200)
GAUSSIAN = families()["gaussian-prior-l2"]
LAPLACE = families()["laplace-prior-l1"]
RIDGE = families()["ridge-1d"]


def toy_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1000 + seed)
    xs = rng.uniform(-2, 2, size=6)
    return xs, 0.8 * xs + rng.normal(0, 0.5, size=6)


def argmin(objective: Callable[[float], float]) -> float:
    result = minimize_scalar(
        objective, bounds=(-10, 10), method="bounded", options={"xatol": 1e-10}
    )
    return float(result.x)


def gaussian_map(xs: np.ndarray, ys: np.ndarray, sigma: float, tau: float) -> float:
    """argmax of log N(y | wx, σ²) + log N(w | 0, τ²), found numerically."""
    return argmin(lambda w: -float(norm.logpdf(ys, w * xs, sigma).sum() + norm.logpdf(w, 0, tau)))


def laplace_map(xs: np.ndarray, ys: np.ndarray, sigma: float, scale: float) -> float:
    """argmax of log N(y | wx, σ²) + log Laplace(w | 0, b), found numerically."""
    return argmin(
        lambda w: -float(norm.logpdf(ys, w * xs, sigma).sum() + laplace.logpdf(w, 0, scale))
    )


def ridge_numeric(xs: np.ndarray, ys: np.ndarray, lam: float) -> float:
    return argmin(lambda w: float(((ys - w * xs) ** 2).sum() + lam * w * w))


def ridge_lstsq(xs: np.ndarray, ys: np.ndarray, lam: float) -> float:
    """min Σ(y − wx)² + λw² is least squares on x stacked over √λ, y stacked over 0."""
    design = np.append(xs, math.sqrt(lam))[:, None]
    target = np.append(ys, 0.0)
    return float(np.linalg.lstsq(design, target, rcond=None)[0][0])


def test_gaussian_prior_lambda_gives_the_map_estimate() -> None:
    asks = set()
    for seed in SEEDS:
        draft = GAUSSIAN.generate(seed).draft
        sigma = float_param(draft, "sigma")
        asks.add(draft.params["ask"])
        if draft.params["ask"] == "lambda":
            tau, lam = float_param(draft, "tau"), number(draft.answer)
        else:
            tau, lam = number(draft.answer), float_param(draft, "lam")
        xs, ys = toy_data(seed)
        assert math.isclose(
            gaussian_map(xs, ys, sigma, tau), ridge_numeric(xs, ys, lam), abs_tol=1e-6
        )
        expected = {
            "lambda": {
                "std-not-variance": sigma / tau,
                "inverted": tau**2 / sigma**2,
                "factor-two": sigma**2 / (2 * tau**2),
            },
            # the τ for which each wrong formula would give the stated λ
            "tau": {
                "std-not-variance": sigma / lam,
                "inverted": sigma * math.sqrt(lam),
                "factor-two": math.sqrt(sigma**2 / (2 * lam)),
            },
        }[str(draft.params["ask"])]
        for mistake in draft.mistakes:
            assert math.isclose(number(mistake.value), expected[mistake.id], rel_tol=1e-12)
            assert clearly_different(draft, mistake.value, draft.answer)
    assert asks == {"lambda", "tau"}


def test_laplace_prior_lambda_gives_the_map_estimate() -> None:
    asks = set()
    for seed in SEEDS:
        draft = LAPLACE.generate(seed).draft
        asks.add(draft.params["ask"])
        if draft.params["ask"] == "sparsity":
            continue
        sigma, scale, lam = (
            float_param(draft, "sigma"),
            float_param(draft, "scale"),
            number(draft.answer),
        )
        xs, ys = toy_data(seed)
        # The L1-penalised 1-D least squares minimiser in closed form (soft thresholding).
        sxy, sxx = float(xs @ ys), float(xs @ xs)
        soft = math.copysign(max(abs(sxy) - lam / 2, 0.0), sxy) / sxx
        assert math.isclose(laplace_map(xs, ys, sigma, scale), soft, abs_tol=1e-6)
        expected = {
            "gaussian-analogy": sigma**2 / scale**2,
            "forgot-factor-two": sigma**2 / scale,
            "inverted": scale / (2 * sigma**2),
        }
        for mistake in draft.mistakes:
            assert math.isclose(number(mistake.value), expected[mistake.id], rel_tol=1e-12)
            assert clearly_different(draft, mistake.value, draft.answer)
    assert asks == {"lambda", "sparsity"}


def test_laplace_sparsity_choice() -> None:
    seen_answers = set()
    for seed in SEEDS:
        draft = LAPLACE.generate(seed).draft
        if draft.kind != "choice":
            continue
        choices = dict(draft.choices)
        assert sorted(choices) == ["a", "b", "c", "d"]
        assert isinstance(draft.answer, str)
        seen_answers.add(draft.answer)
        assert "Laplace" in choices[draft.answer].en and "拉普拉斯" in choices[draft.answer].zh
        assert {m.value for m in draft.mistakes} == set(choices) - {draft.answer}
    assert len(seen_answers) > 1  # the right option is not always in the same place


def test_ridge_matches_augmented_least_squares() -> None:
    for seed in SEEDS:
        draft = RIDGE.generate(seed).draft
        xs, ys, lam = array_param(draft, "x"), array_param(draft, "y"), float_param(draft, "lam")
        n = len(xs)
        answer = number(draft.answer)
        assert math.isclose(answer, ridge_lstsq(xs, ys, lam), rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(answer, ridge_numeric(xs, ys, lam), abs_tol=1e-6)
        assert draft.answer != 0.0
        expected = {
            "forgot-lambda": ridge_lstsq(xs, ys, 0.0),
            "lambda-in-numerator": (float(xs @ ys) + lam) / float(xs @ xs),
            "lambda-times-n": ridge_lstsq(xs, ys, n * lam),
        }
        for mistake in draft.mistakes:
            assert math.isclose(number(mistake.value), expected[mistake.id], rel_tol=1e-9)
            assert clearly_different(draft, mistake.value, draft.answer)


def test_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(50):
        for family in (GAUSSIAN, LAPLACE, RIDGE):
            assert family.generate(seed) == family.generate(seed)
        draft = GAUSSIAN.generate(seed, {"sigma": (2, 2), "tau": (1, 1), "lam": (0.5, 0.5)}).draft
        assert draft.params["sigma"] == 2.0
        assert draft.params.get("tau", 1.0) == 1.0 and draft.params.get("lam", 0.5) == 0.5
        draft = LAPLACE.generate(seed, {"sigma": (1.5, 1.5), "scale": (0.5, 0.5)}).draft
        if draft.kind == "number":
            assert (draft.params["sigma"], draft.params["scale"]) == (1.5, 0.5)
        draft = RIDGE.generate(seed, {"points": (3, 3), "lam": (2.0, 2.0)}).draft
        assert draft.params["points"] == 3 and len(array_param(draft, "x")) == 3
        assert draft.params["lam"] == 2.0
