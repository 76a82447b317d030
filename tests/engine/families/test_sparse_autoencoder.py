"""The sparse-autoencoder penalty checked against scipy's KL divergence of two Bernoulli
distributions."""

from __future__ import annotations

from draft_checks import (
    assert_mistakes_distinct,
    close,
    float_list_param,
    float_param,
    number,
    numbers_by_id,
)
from scipy.stats import entropy

from quizdl.engine.families.sparse_autoencoder import kl_bernoulli
from quizdl.engine.registry import families

SEEDS = range(200)
SPARSE = families()["sparse-ae-kl"]


def test_sparse_penalty_matches_scipy_kl() -> None:
    betas = set()
    checked = 0
    for seed in SEEDS:
        draft = SPARSE.generate(seed).draft
        rho, beta = float_param(draft, "rho"), float_param(draft, "beta")
        hats = float_list_param(draft, "rho_hat")
        target = [rho, 1 - rho]
        expected = beta * sum(entropy(target, [h, 1 - h]) for h in hats)
        assert close(number(draft.answer), expected)
        mistakes = numbers_by_id(draft)
        swapped = beta * sum(entropy([h, 1 - h], target) for h in hats)
        in_bits = beta * sum(entropy(target, [h, 1 - h], base=2) for h in hats)
        # A mistake that coincides with an earlier one is left out of that question.
        assert close(mistakes.get("swapped-arguments", swapped), swapped)
        assert close(mistakes.get("log-base-2", in_bits), in_bits)
        checked += "swapped-arguments" in mistakes and "log-base-2" in mistakes
        assert ("forgot-beta" in mistakes) == (beta != 1.0)
        assert_mistakes_distinct(draft)
        betas.add(beta)
    assert len(betas) > 1
    assert checked > len(SEEDS) // 2


def test_kl_bernoulli_matches_scipy() -> None:
    for rho, rho_hat in ((0.05, 0.3), (0.2, 0.21), (0.01, 0.5)):
        expected = entropy([rho, 1 - rho], [rho_hat, 1 - rho_hat])
        assert close(kl_bernoulli(rho, rho_hat), float(expected))


def test_same_seed_same_question_and_card_ranges() -> None:
    for seed in range(50):
        assert SPARSE.generate(seed) == SPARSE.generate(seed)
        assert SPARSE.generate(seed, {"units": (3, 3)}).draft.params["units"] == 3
