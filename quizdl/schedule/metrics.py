"""How well a memory model predicts recall: log loss, RMSE(bins) and AUC, as the
open-spaced-repetition srs-benchmark defines them (its `evaluate` and `rmse_matrix`).

A prediction is the probability `p` that a card is recalled at a review; its outcome `y`
is 1 when the rating was Hard, Good or Easy and 0 for Again. Only long-term reviews (made
on a later study day than the card's previous review) are predicted.

RMSE(bins) groups the reviews into bins by three features, each on a logarithmic scale:
the days since the previous review, the number of long-term reviews of the card so far
and its number of lapses (long-term Again answers before this review). Within a bin the
mean prediction is compared with the observed recall rate; the root of the mean squared
gap, weighted by the bins' sizes, is the figure. It rewards calibration where plain log
loss is dominated by the many easy predictions.

Optional per-review weights follow srs-benchmark's `weights` column (and fsrs-rs, whose
`evaluate` weighs reviews by recency, see `recency_weights`): a bin's means stay plain
means, the bin counts with the sum of its weights, and log loss is a weighted mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BinKey = tuple[int, int, int]

# Clip predictions away from 0 and 1 so that one confident miss gives a large but finite
# loss (scikit-learn's log_loss, which srs-benchmark uses, clips the same way).
PROBABILITY_EPSILON = float(np.finfo(np.float64).eps)


def _log_bin(value: float, scale: float, base: float) -> float:
    """scale · base^floor(log_base(value)): the lower edge of value's logarithmic bin."""
    return scale * base ** math.floor(math.log(value) / math.log(base))


def bin_key(delta_t: int, long_term_reviews: int, lapses: int) -> BinKey:
    """The RMSE(bins) bin of a review.

    `delta_t`: days since the card's previous review (at least 1 for a long-term review);
    `long_term_reviews`: the card's long-term reviews up to and including this one;
    `lapses`: long-term Again answers before this one. The delta_t edge is kept in
    hundredths (srs-benchmark rounds it to two decimals) so that keys are integers.
    """
    if delta_t < 1:
        raise ValueError(f"a long-term review has delta_t >= 1 day, found {delta_t}")
    delta_bin = round(_log_bin(delta_t, 2.48, 3.62) * 100)
    length_bin = round(_log_bin(long_term_reviews + 1, 1.99, 1.89))
    lapse_bin = round(_log_bin(lapses, 1.65, 1.73)) if lapses > 0 else 0
    return delta_bin, length_bin, lapse_bin


def recency_weights(count: int) -> npt.NDArray[np.float64]:
    """fsrs-rs's weights for time-ordered reviews: 0.5 for the oldest rising to 1.5."""
    return np.arange(count, dtype=np.float64) / max(count, 1) + 0.5


def _arrays(
    y: Sequence[int] | npt.NDArray[np.int_],
    p: Sequence[float] | npt.NDArray[np.float64],
    weights: Sequence[float] | npt.NDArray[np.float64] | None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    outcomes = np.asarray(y, dtype=np.float64)
    predictions = np.asarray(p, dtype=np.float64)
    if outcomes.shape != predictions.shape or outcomes.ndim != 1 or outcomes.size == 0:
        raise ValueError(
            f"need as many outcomes as predictions, at least one ({outcomes.shape} vs "
            f"{predictions.shape})"
        )
    if not np.all((outcomes == 0) | (outcomes == 1)):
        raise ValueError("outcomes must be 0 (forgotten) or 1 (recalled)")
    if not np.all((predictions >= 0) & (predictions <= 1)):
        raise ValueError("predictions must be probabilities in [0, 1]")
    if weights is None:
        w = np.ones_like(predictions)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != predictions.shape or np.any(w < 0) or not np.any(w > 0):
            raise ValueError("weights must be non-negative, one per prediction, not all zero")
    return outcomes, predictions, w


def log_loss(
    y: Sequence[int] | npt.NDArray[np.int_],
    p: Sequence[float] | npt.NDArray[np.float64],
    weights: Sequence[float] | npt.NDArray[np.float64] | None = None,
) -> float:
    """Binary cross-entropy, −mean(y·ln p + (1 − y)·ln(1 − p)), in nats."""
    outcomes, predictions, w = _arrays(y, p, weights)
    clipped = np.clip(predictions, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)
    losses = -(outcomes * np.log(clipped) + (1 - outcomes) * np.log1p(-clipped))
    return float(np.sum(w * losses) / np.sum(w))


def rmse_bins(
    y: Sequence[int] | npt.NDArray[np.int_],
    p: Sequence[float] | npt.NDArray[np.float64],
    keys: Sequence[BinKey],
    weights: Sequence[float] | npt.NDArray[np.float64] | None = None,
) -> float:
    """RMSE(bins): sqrt(Σ_b W_b (mean p_b − mean y_b)² / Σ_b W_b), W_b the bin's weight."""
    outcomes, predictions, w = _arrays(y, p, weights)
    if len(keys) != predictions.size:
        raise ValueError(f"need one bin key per prediction ({len(keys)} vs {predictions.size})")
    index: dict[BinKey, int] = {}
    codes = np.fromiter((index.setdefault(key, len(index)) for key in keys), dtype=np.int64)
    count = np.bincount(codes)
    mean_p = np.bincount(codes, weights=predictions) / count
    mean_y = np.bincount(codes, weights=outcomes) / count
    bin_weight = np.bincount(codes, weights=w)
    return float(np.sqrt(np.sum(bin_weight * (mean_p - mean_y) ** 2) / np.sum(bin_weight)))


def auc(
    y: Sequence[int] | npt.NDArray[np.int_], p: Sequence[float] | npt.NDArray[np.float64]
) -> float | None:
    """Area under the ROC curve: the chance that a recalled review got a higher prediction
    than a forgotten one (ties count half). None when only one outcome occurs."""
    outcomes, predictions, _ = _arrays(y, p, None)
    positives = int(outcomes.sum())
    negatives = outcomes.size - positives
    if positives == 0 or negatives == 0:
        return None
    # Mann–Whitney U from mid-ranks, so that tied predictions share their rank.
    order = np.argsort(predictions, kind="mergesort")
    sorted_p = predictions[order]
    first = np.r_[True, sorted_p[1:] != sorted_p[:-1]]
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], sorted_p.size]
    mid_rank = (starts + ends + 1) / 2  # mean of the ranks start+1 .. end of a tie group
    ranks = np.empty(predictions.size, dtype=np.float64)
    ranks[order] = mid_rank[np.cumsum(first) - 1]
    rank_sum = float(ranks[outcomes == 1].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


@dataclass(frozen=True)
class Scores:
    log_loss: float
    rmse_bins: float
    auc: float | None
    reviews: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "log_loss": self.log_loss,
            "rmse_bins": self.rmse_bins,
            "auc": self.auc,
            "reviews": self.reviews,
        }


def score(
    y: Sequence[int] | npt.NDArray[np.int_],
    p: Sequence[float] | npt.NDArray[np.float64],
    keys: Sequence[BinKey],
    weights: Sequence[float] | npt.NDArray[np.float64] | None = None,
) -> Scores:
    """All three figures at once (AUC is never weighted, as in srs-benchmark)."""
    return Scores(log_loss(y, p, weights), rmse_bins(y, p, keys, weights), auc(y, p), len(keys))
