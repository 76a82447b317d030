"""Attention families checked independently: q·k variance by Monte-Carlo (seeded numpy)
and by the covariance trace tr(Σ_q Σ_k); softmax with numpy; per-layer costs by counting the
multiplications of explicit loops and against Table 1 of Vaswani et al. (2017),
arXiv:1706.03762; causal pairs by counting numpy.tril masks."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from quizdl.engine.question import AnswerValue, Draft
from quizdl.engine.registry import families

SEEDS = range(200)
SCORE_VARIANCE = families()["attention-score-variance"]
SOFTMAX = families()["softmax-scaling"]
LAYER_COST = families()["sequence-layer-cost"]
CAUSAL = families()["causal-mask-pairs"]


def number(value: object) -> float:
    assert isinstance(value, float)
    return value


def integer(value: object) -> int:
    assert isinstance(value, int)
    return value


def int_list(value: object) -> list[int]:
    assert isinstance(value, list) and all(isinstance(v, int) for v in value)
    return value


def within(a: AnswerValue, b: AnswerValue, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    va = a if isinstance(a, tuple) else (a,)
    vb = b if isinstance(b, tuple) else (b,)
    return len(va) == len(vb) and all(
        math.isclose(x, y, rel_tol=rel_tol, abs_tol=abs_tol) for x, y in zip(va, vb, strict=True)
    )


def assert_mistakes_rejected(draft: Draft) -> None:
    values = [draft.answer, *(m.value for m in draft.mistakes)]
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            assert not within(a, b, draft.rel_tol, draft.abs_tol), (a, b)
    if draft.kind == "choice":
        keys = {key for key, _ in draft.choices}
        assert all(m.value in keys for m in draft.mistakes)


def drafts(family_id: str) -> Iterator[Draft]:
    family = families()[family_id]
    for seed in SEEDS:
        yield family.generate(seed).draft


# ---------------------------------------------------------------- score variance


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
    for draft in drafts("attention-score-variance"):
        d_k, sigma2, ask = integer(draft.params["d_k"]), draft.params["sigma2"], draft.params["ask"]
        assert isinstance(sigma2, float) and isinstance(ask, str)
        exact = trace_moments(d_k, sigma2)[ask]
        assert math.isclose(number(draft.answer), exact, rel_tol=1e-12)
        if (d_k, sigma2) not in sampled:
            sampled[(d_k, sigma2)] = monte_carlo_moments(d_k, sigma2)
        assert math.isclose(number(draft.answer), sampled[(d_k, sigma2)][ask], rel_tol=0.1)
        unscaled = next((m.value for m in draft.mistakes if m.id == "forgot-scale"), None)
        if unscaled is not None:
            assert math.isclose(
                number(unscaled), exact * (d_k if ask.endswith("var") else math.sqrt(d_k))
            )
        assert_mistakes_rejected(draft)
    assert len(sampled) > 10


def test_score_variance_narrowed_dk() -> None:
    for seed in range(50):
        draft = SCORE_VARIANCE.generate(seed, {"d_k_log2": (6, 6)}).draft
        assert draft.params["d_k"] == 64


# ---------------------------------------------------------------- softmax


def numpy_top_weight(scores: list[int], divisor: float) -> float:
    z = np.array(scores, dtype=float) / divisor
    weights = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    return float(weights[int(np.argmax(z))])


def test_softmax_weight_matches_numpy() -> None:
    for draft in drafts("softmax-scaling"):
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
        assert_mistakes_rejected(draft)


def test_softmax_narrowed_ranges() -> None:
    for seed in range(50):
        draft = SOFTMAX.generate(seed, {"sqrt_d_k": (8, 8), "count": (4, 4)}).draft
        scores = draft.params["scores"]
        assert draft.params["d_k"] == 64 and isinstance(scores, list) and len(scores) == 4


# ---------------------------------------------------------------- per-layer cost


def counted_operations(layer: str, n: int, d: int, k: int) -> int:
    """Multiplications of one layer, counted one by one in its loops (Table 1 drops the
    constants, so one matrix product's worth per layer)."""
    count = 0
    if layer == "self-attention":  # the score matrix QKᵀ: n × n dot products of length d
        for _query in range(n):
            for _key in range(n):
                for _component in range(d):
                    count += 1
    elif layer == "recurrent":  # one d × d matrix-vector product per time step
        for _step in range(n):
            for _row in range(d):
                for _column in range(d):
                    count += 1
    else:  # a kernel of width k: k matrix-vector products (d × d) per position
        for _position in range(n):
            for _tap in range(k):
                for _row in range(d):
                    for _column in range(d):
                        count += 1
    return count


# Table 1 of "Attention Is All You Need" (Vaswani et al., 2017, arXiv:1706.03762):
# layer type -> (sequential operations, maximum path length), in the choices' notation.
TABLE_1 = {
    "self-attention": ("O(1)", "O(1)"),
    "recurrent": ("O(n)", "O(n)"),
    "convolutional": ("O(1)", "O(logₖ(n))"),
}


def test_layer_costs_match_counted_loops_on_small_layers() -> None:
    family = LAYER_COST
    checked = 0
    for seed in SEEDS:
        ranges = {"n": (4.0, 20.0), "d": (16.0, 20.0), "k": (2.0, 4.0)}
        draft = family.generate(seed, ranges).draft
        if draft.params["ask"] != "operations":
            continue
        n, d, k = (integer(draft.params[name]) for name in ("n", "d", "k"))
        layer = str(draft.params["layer"])
        assert number(draft.answer) == counted_operations(layer, n, d, k)
        swapped = next((m.value for m in draft.mistakes if m.id == "swapped-n-d"), None)
        if n != d:  # with n = d the swap changes nothing and is not offered as a mistake
            assert swapped == counted_operations(layer, d, n, k)
        checked += 1
    assert checked > 50


def test_layer_cost_answers_follow_table_1() -> None:
    for draft in drafts("sequence-layer-cost"):
        n, d, k = (integer(draft.params[name]) for name in ("n", "d", "k"))
        ask, layer = draft.params["ask"], str(draft.params["layer"])
        choices = dict(draft.choices)
        if ask == "operations":
            table = {
                "self-attention": n**2 * d,
                "recurrent": n * d**2,
                "convolutional": k * n * d**2,
            }
            assert number(draft.answer) == table[layer]
        elif ask == "cheaper":
            # Self-attention is cheaper than recurrence exactly when n < d (Vaswani et al. §4).
            assert isinstance(draft.answer, str)
            assert choices[draft.answer].en == (
                "self-attention" if n < d else "recurrent" if n > d else "both cost the same"
            )
        else:
            assert isinstance(draft.answer, str)
            column = 0 if ask == "sequential" else 1
            assert choices[draft.answer].en == TABLE_1[layer][column]
        assert_mistakes_rejected(draft)


def test_layer_cost_equal_n_and_d_answers_same() -> None:
    for seed in range(100):
        draft = LAYER_COST.generate(seed, {"n": (64, 64), "d": (64, 64)}).draft
        if draft.params["ask"] == "cheaper":
            assert draft.answer == "c" and not draft.mistakes


# ---------------------------------------------------------------- causal mask


def test_causal_pairs_match_counted_masks() -> None:
    asks = set()
    for draft in drafts("causal-mask-pairs"):
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
        diagonal_left_out = next(
            (m.value for m in draft.mistakes if m.id == "forgot-diagonal"), None
        )
        if draft.params["ask"] == "allowed" and diagonal_left_out is not None:
            assert number(diagonal_left_out) == int(np.tril(np.ones((n, n)), k=-1).sum())
        assert_mistakes_rejected(draft)
    assert asks == {"allowed", "masked", "fraction", "bidirectional"}


def test_causal_narrowed_n() -> None:
    for seed in range(50):
        draft = CAUSAL.generate(seed, {"n": (5, 5)}).draft
        assert draft.params["n"] == 5


def test_same_seed_same_question() -> None:
    for family in (SCORE_VARIANCE, SOFTMAX, LAYER_COST, CAUSAL):
        for seed in range(30):
            assert family.generate(seed) == family.generate(seed)
