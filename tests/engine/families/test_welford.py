"""Welford families checked against `statistics` (mean, variance, pvariance) on the data
each question was drawn from, and the merge against numpy on the concatenated data."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

import numpy as np
from draft_checks import assert_mistakes_distinct, int_list, mistake_value, within

from quizdl.engine.families.welford import merge_states, welford_run
from quizdl.engine.question import AnswerValue
from quizdl.engine.registry import families

SEEDS = range(200)
UPDATE = families()["welford-update"]
STREAM = families()["welford-stream"]
MERGE = families()["welford-merge"]


def asked(ask: object, data: Sequence[float]) -> AnswerValue:
    """The asked quantity of `data`, straight from `statistics`."""
    mean = statistics.mean(data)
    sample = statistics.variance(data)
    m2 = sample * (len(data) - 1)
    table: dict[object, AnswerValue] = {
        "mean": mean,
        "m2": m2,
        "sample": sample,
        "population": statistics.pvariance(data),
        "vector": (mean, m2, sample),
    }
    return table[ask]


def test_update_matches_statistics_on_the_data_plus_x() -> None:
    for seed in SEEDS:
        draft = UPDATE.generate(seed).draft
        values, x, ask = int_list(draft.params["values"]), draft.params["x"], draft.params["ask"]
        assert isinstance(x, float)
        data = [*values, x]
        assert within(draft.answer, asked(ask, data)), (seed, draft.answer)
        # The state in the prompt is the data's own (n, mean, M₂), computed with numpy.
        mean = float(np.mean(values))
        m2 = float(np.sum((np.array(values) - mean) ** 2))
        assert mean.is_integer() and m2.is_integer()
        assert f"({len(values)}, {int(mean)}, {int(m2)})" in draft.prompt.en
        # Hand-computable: the new mean and M₂ are integers or halves.
        new_mean = statistics.mean(data)
        new_m2 = statistics.variance(data) * len(values)
        assert (2 * new_mean).is_integer() and math.isclose(2 * new_m2, round(2 * new_m2))
        assert_mistakes_distinct(draft)


def test_update_mistakes_are_the_named_errors() -> None:
    seen: set[str] = set()
    for seed in SEEDS:
        draft = UPDATE.generate(seed).draft
        values, x, ask = int_list(draft.params["values"]), draft.params["x"], draft.params["ask"]
        assert isinstance(x, float)
        n = len(values)
        data = [*values, x]
        old_mean = statistics.mean(values)
        old_m2 = statistics.variance(values) * (n - 1)
        seen.update(m.id for m in draft.mistakes)
        population = mistake_value(draft, "population-not-sample")
        if ask == "sample" and population is not None:
            assert within(population, statistics.pvariance(data))
        twice = mistake_value(draft, "old-mean-twice")
        if ask == "m2" and twice is not None:
            assert within(twice, old_m2 + (x - old_mean) ** 2)
        stale = mistake_value(draft, "forgot-increment-n")
        if ask == "mean" and stale is not None:
            assert within(stale, old_mean + (x - old_mean) / n)
    assert seen == {
        "population-not-sample",
        "sample-not-population",
        "old-mean-twice",
        "forgot-increment-n",
    }


def test_stream_matches_statistics() -> None:
    for seed in SEEDS:
        draft = STREAM.generate(seed).draft
        values = int_list(draft.params["values"])
        assert 3 <= len(values) <= 5
        assert within(draft.answer, asked(draft.params["ask"], values), abs_tol=1e-12)
        if draft.params["ask"] == "sample":
            population = mistake_value(draft, "population-not-sample")
            assert population is not None and within(population, statistics.pvariance(values))
        assert_mistakes_distinct(draft)


def test_welford_run_matches_numpy_after_every_value() -> None:
    rng = np.random.default_rng(11)
    values = [int(v) for v in rng.integers(-50, 50, size=40)]
    for count, (mean, m2) in enumerate(welford_run(values), start=1):
        prefix = np.array(values[:count], dtype=float)
        assert math.isclose(mean, prefix.mean(), rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(m2, prefix.var() * count, rel_tol=1e-9, abs_tol=1e-9)


def test_merge_matches_statistics_on_the_joined_parts() -> None:
    for seed in SEEDS:
        draft = MERGE.generate(seed).draft
        a, b = int_list(draft.params["a"]), int_list(draft.params["b"])
        assert (len(a), len(b)) == (draft.params["n_a"], draft.params["n_b"])
        assert statistics.mean(a) != statistics.mean(b)  # the δ² term is always in play
        assert within(draft.answer, asked(draft.params["ask"], [*a, *b])), seed
        forgot = mistake_value(draft, "forgot-delta-term")
        if draft.params["ask"] == "m2" and forgot is not None:
            assert within(
                forgot,
                statistics.variance(a) * (len(a) - 1) + statistics.variance(b) * (len(b) - 1),
            )
        assert_mistakes_distinct(draft)


def test_merge_states_matches_numpy_on_real_valued_parts() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        a = rng.normal(3.0, 2.0, size=int(rng.integers(1, 30)))
        b = rng.normal(-1.0, 5.0, size=int(rng.integers(1, 30)))
        n, mean, m2 = merge_states(
            len(a),
            float(a.mean()),
            float(a.var() * len(a)),
            len(b),
            float(b.mean()),
            float(b.var() * len(b)),
        )
        joined = np.concatenate([a, b])
        assert n == len(joined)
        assert math.isclose(mean, joined.mean(), rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(m2, joined.var() * n, rel_tol=1e-9)


def test_same_seed_same_question() -> None:
    for family in (UPDATE, STREAM, MERGE):
        for seed in range(30):
            assert family.generate(seed) == family.generate(seed)


def test_narrowed_ranges_are_respected() -> None:
    for seed in range(100):
        update = UPDATE.generate(seed, {"n": (3, 3)}).draft
        assert update.params["n"] == 3 and len(int_list(update.params["values"])) == 3
        stream = STREAM.generate(seed, {"count": (4, 4)}).draft
        assert len(int_list(stream.params["values"])) == 4
        merge = MERGE.generate(seed, {"n_a": (2, 3), "n_b": (6, 6)}).draft
        assert 2 <= len(int_list(merge.params["a"])) <= 3 and len(int_list(merge.params["b"])) == 6
