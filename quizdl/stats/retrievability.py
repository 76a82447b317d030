"""FSRS retrievability for mastery: R = (1 + FACTOR·t/S)^DECAY, where t is the whole number
of days since the last review (as py-fsrs counts them), S the stability, DECAY = −w[20] and
FACTOR = 0.9^(1/DECAY) − 1, so that R = 0.9 when t = S.

The database computes it when it can (queries.retrievability_sql); this module gives the
constants and the numpy version used when SQLite lacks math functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quizdl.schedule.fsrs_adapter import SchedulerSettings

DECAY_INDEX = 20  # w[20] of FSRS-6


@dataclass(frozen=True, slots=True)
class ForgettingCurve:
    decay: float  # negative
    factor: float

    @classmethod
    def from_parameters(cls, parameters: Sequence[float] | None) -> ForgettingCurve:
        """The curve of a profile's FSRS parameters (the scheduler's defaults when None)."""
        weights = tuple(parameters) if parameters else SchedulerSettings().parameters
        decay = -float(weights[DECAY_INDEX])
        return cls(decay=decay, factor=0.9 ** (1 / decay) - 1)


def topic_sums(
    rows: Sequence[tuple[str, int, float]], curve: ForgettingCurve
) -> dict[str, tuple[int, float]]:
    """Per topic, (cards, sum of R) over rows of (topic, elapsed days, stability)."""
    import numpy as np

    if not rows:
        return {}
    topics, elapsed, stability = zip(*rows, strict=True)
    names, index = np.unique(np.asarray(topics, dtype=object), return_inverse=True)
    t = np.maximum(np.asarray(elapsed, dtype=np.float64), 0.0)
    r = (1.0 + curve.factor * t / np.asarray(stability, dtype=np.float64)) ** curve.decay
    sums = np.bincount(index, weights=r, minlength=len(names))
    counts = np.bincount(index, minlength=len(names))
    return {
        str(name): (int(n), float(total))
        for name, n, total in zip(names.tolist(), counts.tolist(), sums.tolist(), strict=True)
    }
