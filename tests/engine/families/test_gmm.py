"""GMM families checked against scipy densities and a numpy EM written from the definitions."""

from __future__ import annotations

import math

import numpy as np
from draft_checks import array_param, as_vector, clearly_different, float_param
from scipy.stats import norm

from quizdl.engine.fmt import num
from quizdl.engine.question import AnswerValue, Draft
from quizdl.engine.registry import families

SEEDS = range(200)
RESPONSIBILITIES = families()["gmm-responsibilities"]
EM_STEP = families()["gmm-em-step"]


def assert_close(draft: Draft, value: AnswerValue, expected: np.ndarray) -> None:
    np.testing.assert_allclose(as_vector(value), expected, rtol=1e-9, atol=1e-12)


def scipy_responsibilities(
    x: float, weights: np.ndarray, means: np.ndarray, stds: np.ndarray
) -> np.ndarray:
    joint = weights * norm.pdf(x, loc=means, scale=stds)
    return np.asarray(joint / joint.sum())


def test_responsibilities_match_scipy_densities() -> None:
    kinds = set()
    for seed in SEEDS:
        draft = RESPONSIBILITIES.generate(seed).draft
        weights, means, stds = (
            array_param(draft, "weights"),
            array_param(draft, "means"),
            array_param(draft, "stds"),
        )
        x = float_param(draft, "x")
        assert math.isclose(weights.sum(), 1.0)
        gammas = scipy_responsibilities(x, weights, means, stds)
        equal = scipy_responsibilities(x, np.ones_like(weights), means, stds)
        squared = scipy_responsibilities(x, weights, means, stds**2)
        raw = weights * norm.pdf(x, loc=means, scale=stds)
        asked = int(float_param(draft, "asked"))
        part = slice(None) if asked == 0 else slice(asked - 1, asked)
        kinds.add(draft.kind)
        assert draft.kind == ("vector" if asked == 0 else "number")
        assert_close(draft, draft.answer, gammas[part])
        if asked:
            assert gammas[asked - 1] >= 0.02
        expected = {"forgot-weights": equal, "variance-as-std": squared, "unnormalised": raw}
        for mistake in draft.mistakes:
            assert_close(draft, mistake.value, expected[mistake.id][part])
            assert clearly_different(draft, mistake.value, draft.answer)
        assert f"x = {num(x)}" in draft.prompt.en and f"x = {num(x)}" in draft.prompt.zh
    assert kinds == {"vector", "number"}


def test_responsibilities_same_seed_same_question_and_narrowed_components() -> None:
    for seed in range(50):
        assert RESPONSIBILITIES.generate(seed) == RESPONSIBILITIES.generate(seed)
        for k in (2, 3):
            draft = RESPONSIBILITIES.generate(seed, {"components": (k, k)}).draft
            assert draft.params["components"] == k
            assert len(array_param(draft, "means")) == k
            if draft.kind == "vector":
                assert len(as_vector(draft.answer)) == k


def numpy_em_step(xs: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """One M-step from the (n, 2) responsibility matrix: (μ₁, μ₂, π₁, π₂)."""
    counts = gamma.sum(axis=0)
    means = gamma.T @ xs / counts
    return np.concatenate([means, counts / len(xs)])


def mixture_log_likelihood(
    xs: np.ndarray, weights: np.ndarray, means: np.ndarray, std: float
) -> float:
    return float(np.log((weights * norm.pdf(xs[:, None], loc=means, scale=std)).sum(1)).sum())


def test_em_step_matches_numpy_m_step() -> None:
    modes = set()
    for seed in SEEDS:
        draft = EM_STEP.generate(seed).draft
        xs = array_param(draft, "x")
        modes.add(draft.params["mode"])
        if draft.params["mode"] == "compute":
            weights, means, std = (
                array_param(draft, "weights"),
                array_param(draft, "means"),
                float_param(draft, "std"),
            )
            joint = weights * norm.pdf(xs[:, None], loc=means, scale=std)
            gamma = joint / joint.sum(axis=1, keepdims=True)
            np.testing.assert_allclose(gamma[:, 0], array_param(draft, "gamma_1"))
            new = numpy_em_step(xs, gamma)
            # EM never lowers the likelihood (σ held fixed is still a valid partial M-step).
            before = mixture_log_likelihood(xs, weights, means, std)
            after = mixture_log_likelihood(xs, new[2:], new[:2], std)
            assert after >= before - 1e-12
        else:
            gamma_1 = array_param(draft, "gamma_1")
            gamma = np.column_stack([gamma_1, 1 - gamma_1])
            new = numpy_em_step(xs, gamma)
        assert_close(draft, draft.answer, new)
        counts = gamma.sum(axis=0)
        weighted_sums = (gamma * xs[:, None]).sum(axis=0)  # Σᵢ γᵢₖ xᵢ
        expected = {
            "unweighted-mean": np.array([xs.mean(), xs.mean(), *new[2:]]),
            "divided-by-n": np.array([*(weighted_sums / len(xs)), *new[2:]]),
            "weights-not-normalised": np.array([*new[:2], *counts]),
        }
        for mistake in draft.mistakes:
            assert_close(draft, mistake.value, expected[mistake.id])
            assert clearly_different(draft, mistake.value, draft.answer)
    assert modes == {"given", "compute"}


def test_em_step_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(50):
        assert EM_STEP.generate(seed) == EM_STEP.generate(seed)
        draft = EM_STEP.generate(
            seed, {"points": (4, 4), "weight_tenths": (6, 6), "mean_1": (-1, -1)}
        ).draft
        assert draft.params["points"] == 4 and len(array_param(draft, "x")) == 4
        if draft.params["mode"] == "compute":
            assert draft.params["weights"] == [0.6, 0.4]
            assert array_param(draft, "means")[0] == -1.0
