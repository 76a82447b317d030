"""t-SNE: the conditional probability against scipy's softmax, the perplexity against scipy's
entropy."""

from __future__ import annotations

import math

import numpy as np
from draft_checks import (
    assert_mistakes_distinct,
    close,
    float_list_param,
    float_param,
    int_param,
    number,
    numbers_by_id,
)
from scipy.special import softmax
from scipy.stats import entropy

from quizdl.engine.registry import families

SEEDS = range(200)
CONDITIONAL = families()["tsne-conditional"]
PERPLEXITY = families()["tsne-perplexity"]


def test_tsne_conditional_matches_a_softmax() -> None:
    for seed in SEEDS:
        draft = CONDITIONAL.generate(seed).draft
        ds, sigma = np.array(float_list_param(draft, "d")), float_param(draft, "sigma")
        j = int_param(draft, "j")
        p = softmax(-(ds**2) / (2 * sigma**2))
        assert close(number(draft.answer), float(p[j - 1]))
        mistakes = numbers_by_id(draft)
        if "forgot-2" in mistakes:
            assert close(mistakes["forgot-2"], float(softmax(-(ds**2) / sigma**2)[j - 1]))
        if "distance-not-squared" in mistakes:
            wrong = softmax(-ds / (2 * sigma**2))[j - 1]
            assert close(mistakes["distance-not-squared"], float(wrong))
        assert_mistakes_distinct(draft)


def test_tsne_perplexity_matches_scipy_entropy() -> None:
    for seed in SEEDS:
        draft = PERPLEXITY.generate(seed).draft
        p = float_list_param(draft, "p")
        assert math.isclose(sum(p), 1.0, rel_tol=1e-12) and min(p) > 0
        assert close(number(draft.answer), 2 ** entropy(p, base=2))
        assert close(number(draft.answer), math.exp(entropy(p)))  # the same in nats
        assert number(draft.answer) <= len(p)  # at most the uniform distribution's
        assert_mistakes_distinct(draft)


def test_tiny_kernel_values_are_written_like_the_others() -> None:
    # Seed 600 draws σ = 0.5 and distances near 2.5: every kernel value is below 10⁻⁴.
    steps = [step.en for step in CONDITIONAL.generate(600).draft.solution]
    assert "e-0" not in " ".join(steps) and "×10⁻⁵" in steps[-1]


def test_same_seed_same_question_and_card_ranges() -> None:
    for seed in range(50):
        assert CONDITIONAL.generate(seed) == CONDITIONAL.generate(seed)
        assert PERPLEXITY.generate(seed) == PERPLEXITY.generate(seed)
        draft = CONDITIONAL.generate(seed, {"neighbours": (4, 4), "sigma": (1.0, 1.0)}).draft
        assert draft.params["neighbours"] == 4 and draft.params["sigma"] == 1.0
        assert PERPLEXITY.generate(seed, {"neighbours": (5, 5)}).draft.params["neighbours"] == 5
