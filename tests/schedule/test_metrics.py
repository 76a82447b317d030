"""The prediction metrics against brute-force computations of their definitions."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from quizdl.schedule.metrics import (
    PROBABILITY_EPSILON,
    BinKey,
    auc,
    bin_key,
    log_loss,
    recency_weights,
    rmse_bins,
    score,
)


def random_predictions(seed: int, n: int) -> tuple[list[int], list[float]]:
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.02, 0.98, n)
    y = (rng.uniform(0, 1, n) < p).astype(int)
    return [int(v) for v in y], [float(v) for v in p]


def test_log_loss_is_the_mean_cross_entropy() -> None:
    y, p = random_predictions(1, 500)
    expected = -sum(
        math.log(pi) if yi == 1 else math.log(1 - pi) for yi, pi in zip(y, p, strict=True)
    ) / len(y)
    assert log_loss(y, p) == pytest.approx(expected, rel=1e-12)


def test_weighted_log_loss_equals_repeating_each_review_weight_times() -> None:
    y, p = random_predictions(2, 200)
    weights = np.random.default_rng(3).integers(1, 5, len(y))
    repeated_y = [yi for yi, w in zip(y, weights, strict=True) for _ in range(w)]
    repeated_p = [pi for pi, w in zip(p, weights, strict=True) for _ in range(w)]
    assert log_loss(y, p, weights) == pytest.approx(log_loss(repeated_y, repeated_p), rel=1e-12)


def test_a_certain_miss_costs_a_large_but_finite_loss() -> None:
    assert log_loss([0], [1.0]) == pytest.approx(-math.log(PROBABILITY_EPSILON), rel=1e-6)
    assert log_loss([1], [1.0]) < 1e-12


def _lower_power(value: int, base: float) -> float:
    """base^k for the largest whole k with base^k <= value, by repeated multiplication."""
    power = 1.0
    while power * base <= value:
        power *= base
    return power


def test_bin_edges_are_the_logarithmic_floors() -> None:
    for value in range(1, 5000):
        delta, length, lapse = bin_key(value, value, value)
        assert delta == round(2.48 * _lower_power(value, 3.62) * 100), value
        assert length == round(1.99 * _lower_power(value + 1, 1.89)), value
        assert lapse == round(1.65 * _lower_power(value, 1.73)), value


def test_no_lapse_has_its_own_bin_and_delta_t_must_be_a_day() -> None:
    assert bin_key(5, 2, 0)[2] == 0
    with pytest.raises(ValueError):
        bin_key(0, 1, 0)


def _brute_rmse_bins(
    y: list[int], p: list[float], keys: list[BinKey], weights: list[float]
) -> float:
    groups: dict[BinKey, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[key].append(i)
    total = gap = 0.0
    for members in groups.values():
        mean_p = sum(p[i] for i in members) / len(members)
        mean_y = sum(y[i] for i in members) / len(members)
        weight = sum(weights[i] for i in members)
        gap += weight * (mean_p - mean_y) ** 2
        total += weight
    return math.sqrt(gap / total)


def test_rmse_bins_matches_a_brute_force_grouping() -> None:
    y, p = random_predictions(4, 800)
    rng = np.random.default_rng(5)
    keys = [bin_key(int(d), int(n), int(lap)) for d, n, lap in rng.integers(1, 60, (800, 3))]
    ones = [1.0] * len(y)
    assert rmse_bins(y, p, keys) == pytest.approx(_brute_rmse_bins(y, p, keys, ones), rel=1e-12)
    weights = [float(w) for w in recency_weights(len(y))]
    assert rmse_bins(y, p, keys, weights) == pytest.approx(
        _brute_rmse_bins(y, p, keys, weights), rel=1e-12
    )


def test_rmse_bins_is_zero_when_every_bin_is_calibrated() -> None:
    # Two bins whose mean prediction equals their observed recall rate.
    y = [1, 1, 0, 1, 0, 0, 0, 1]
    keys = [bin_key(1, 1, 0)] * 4 + [bin_key(30, 3, 1)] * 4
    p = [0.75] * 4 + [0.25] * 4
    assert rmse_bins(y, p, keys) == pytest.approx(0.0, abs=1e-15)
    # One review in a bin of its own: the bin's error is |p - y|.
    assert rmse_bins([0], [0.3], [bin_key(2, 1, 0)]) == pytest.approx(0.3)


def test_auc_counts_correctly_ordered_pairs() -> None:
    y, p = random_predictions(6, 300)
    p = [round(v, 1) for v in p]  # many ties, which count half
    positives = [pi for yi, pi in zip(y, p, strict=True) if yi == 1]
    negatives = [pi for yi, pi in zip(y, p, strict=True) if yi == 0]
    pairs = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in positives for b in negatives)
    assert auc(y, p) == pytest.approx(pairs / (len(positives) * len(negatives)), rel=1e-12)


def test_auc_needs_both_outcomes() -> None:
    assert auc([1, 1, 1], [0.2, 0.5, 0.9]) is None


def test_recency_weights_rise_from_a_half_by_one_nth() -> None:
    weights = recency_weights(4)
    assert list(weights) == [0.5, 0.75, 1.0, 1.25]


def test_score_bundles_the_three_figures() -> None:
    y, p = random_predictions(7, 100)
    keys = [bin_key(1 + i % 9, 1 + i % 4, i % 3) for i in range(100)]
    result = score(y, p, keys)
    assert result.log_loss == log_loss(y, p)
    assert result.rmse_bins == rmse_bins(y, p, keys)
    assert result.auc == auc(y, p)
    assert result.reviews == 100


@pytest.mark.parametrize(
    ("y", "p"),
    [([1, 0], [0.5]), ([2], [0.5]), ([1], [1.5]), ([], [])],
)
def test_malformed_inputs_are_refused(y: list[int], p: list[float]) -> None:
    with pytest.raises(ValueError):
        log_loss(y, p)
