"""Causal-mask pairs by counting numpy.tril masks."""

from __future__ import annotations

import math

import numpy as np
from draft_checks import assert_mistakes_distinct, integer, mistake_value, number

from quizdl.engine.registry import families

SEEDS = range(200)
CAUSAL = families()["causal-mask-pairs"]


def test_causal_pairs_match_counted_masks() -> None:
    asks = set()
    for seed in SEEDS:
        draft = CAUSAL.generate(seed).draft
        n = integer(draft.params["n"])
        causal = np.tril(np.ones((n, n), dtype=int))  # query i may see keys 0..i
        allowed = int(causal.sum())
        masked = int((causal == 0).sum())
        expected = {
            "allowed": allowed,
            "masked": masked,
            "fraction": allowed / causal.size,
            "bidirectional": int(np.ones((n, n), dtype=int).sum()),
        }[str(draft.params["ask"])]
        assert math.isclose(number(draft.answer), expected, rel_tol=1e-12)
        asks.add(draft.params["ask"])
        diagonal_left_out = mistake_value(draft, "forgot-diagonal")
        if draft.params["ask"] == "allowed" and diagonal_left_out is not None:
            assert number(diagonal_left_out) == int(np.tril(np.ones((n, n)), k=-1).sum())
        assert_mistakes_distinct(draft)
    assert asks == {"allowed", "masked", "fraction", "bidirectional"}


def test_causal_narrowed_n() -> None:
    for seed in range(50):
        draft = CAUSAL.generate(seed, {"n": (5, 5)}).draft
        assert draft.params["n"] == 5


def test_same_seed_same_question() -> None:
    for seed in range(30):
        assert CAUSAL.generate(seed) == CAUSAL.generate(seed)
