"""Why scores are scaled by 1/√dₖ: q·k variance by Monte-Carlo (seeded numpy) and by the
covariance trace tr(Σ_q Σ_k); softmax weights with numpy."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from draft_checks import assert_mistakes_distinct, int_list, integer, mistake_value, number, within

from quizdl.engine.question import AnswerValue, Draft, Family
from quizdl.engine.registry import families

SEEDS = range(200)
SCORE_VARIANCE = families()["attention-score-variance"]
SOFTMAX = families()["softmax-scaling"]


def drafts(family: Family) -> Iterator[Draft]:
    for seed in SEEDS:
        yield family.generate(seed).draft


def monte_carlo_moments(d_k: int, sigma2: float) -> dict[str, float]:
    """Var and std of q·k and of q·k/√dₖ over sampled q, k with iid N(0, σ²) components."""
    rng = np.random.default_rng(2024)
    samples = max(2000, 500_000 // d_k)  # relative error of the variance ≈ √(2/samples)
    q = rng.normal(0.0, math.sqrt(sigma2), size=(samples, d_k))
    k = rng.normal(0.0, math.sqrt(sigma2), size=(samples, d_k))
    scores = np.einsum("ij,ij->i", q, k)
    scaled = scores / math.sqrt(d_k)
    return {
        "var": float(scores.var()),
        "std": float(scores.std()),
        "scaled-var": float(scaled.var()),
        "scaled-std": float(scaled.std()),
    }


def trace_moments(d_k: int, sigma2: float) -> dict[str, float]:
    """Exact: Var(q·k) = E[(qᵀk)²] = tr(Σ_q Σ_k) for independent zero-mean q and k."""
    cov = sigma2 * np.eye(d_k)
    var = float(np.trace(cov @ cov))
    return {
        "var": var,
        "std": math.sqrt(var),
        "scaled-var": var / d_k,
        "scaled-std": math.sqrt(var / d_k),
    }


def test_score_variance_matches_monte_carlo_and_the_covariance_trace() -> None:
    sampled: dict[tuple[int, float], dict[str, float]] = {}
    for draft in drafts(SCORE_VARIANCE):
        d_k, sigma2, ask = integer(draft.params["d_k"]), draft.params["sigma2"], draft.params["ask"]
        assert isinstance(sigma2, float) and isinstance(ask, str)
        exact = trace_moments(d_k, sigma2)[ask]
        assert math.isclose(number(draft.answer), exact, rel_tol=1e-12)
        if (d_k, sigma2) not in sampled:
            sampled[(d_k, sigma2)] = monte_carlo_moments(d_k, sigma2)
        assert math.isclose(number(draft.answer), sampled[(d_k, sigma2)][ask], rel_tol=0.1)
        unscaled = mistake_value(draft, "forgot-scale")
        if unscaled is not None:
            assert math.isclose(
                number(unscaled), exact * (d_k if ask.endswith("var") else math.sqrt(d_k))
            )
        assert_mistakes_distinct(draft)
    assert len(sampled) > 10


def test_score_variance_narrowed_dk() -> None:
    for seed in range(50):
        draft = SCORE_VARIANCE.generate(seed, {"d_k_log2": (6, 6)}).draft
        assert draft.params["d_k"] == 64


def numpy_top_weight(scores: list[int], divisor: float) -> float:
    z = np.array(scores, dtype=float) / divisor
    weights = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    return float(weights[int(np.argmax(z))])


def test_softmax_weight_matches_numpy() -> None:
    for draft in drafts(SOFTMAX):
        ints, d_k = int_list(draft.params["scores"]), integer(draft.params["d_k"])
        assert ints.count(max(ints)) == 1  # "the key with the largest score" is one key
        scaled, plain = numpy_top_weight(ints, math.sqrt(d_k)), numpy_top_weight(ints, 1.0)
        by_ask: dict[str, AnswerValue] = {
            "scaled": scaled,
            "unscaled": plain,
            "vector": (plain, scaled),
        }
        expected = by_ask[str(draft.params["ask"])]
        assert within(draft.answer, expected, 1e-12, 1e-15)
        for mistake in draft.mistakes:
            if mistake.id == "divided-by-dk":
                wrong = numpy_top_weight(ints, d_k)
                assert within(
                    mistake.value, wrong if draft.kind == "number" else (plain, wrong), 1e-12, 0
                )
        assert_mistakes_distinct(draft)


def test_softmax_narrowed_ranges() -> None:
    for seed in range(50):
        draft = SOFTMAX.generate(seed, {"sqrt_d_k": (8, 8), "count": (4, 4)}).draft
        scores = draft.params["scores"]
        assert draft.params["d_k"] == 64 and isinstance(scores, list) and len(scores) == 4


def test_same_seed_same_question() -> None:
    for family in (SCORE_VARIANCE, SOFTMAX):
        for seed in range(30):
            assert family.generate(seed) == family.generate(seed)
