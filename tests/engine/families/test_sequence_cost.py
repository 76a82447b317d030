"""Per-layer costs by counting the multiplications of explicit loops, and the answers against
Table 1 of Vaswani et al. (2017), arXiv:1706.03762."""

from __future__ import annotations

from collections.abc import Iterator

from draft_checks import assert_mistakes_distinct, integer, mistake_value, number

from quizdl.engine.question import Draft, Family
from quizdl.engine.registry import families

SEEDS = range(200)
LAYER_COST = families()["sequence-layer-cost"]


def drafts(family: Family) -> Iterator[Draft]:
    for seed in SEEDS:
        yield family.generate(seed).draft


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
        swapped = mistake_value(draft, "swapped-n-d")
        if n != d:  # with n = d the swap changes nothing and is not offered as a mistake
            assert swapped == counted_operations(layer, d, n, k)
        checked += 1
    assert checked > 50


def test_layer_cost_answers_follow_table_1() -> None:
    for draft in drafts(LAYER_COST):
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
        assert_mistakes_distinct(draft)


def test_layer_cost_equal_n_and_d_answers_same() -> None:
    for seed in range(100):
        draft = LAYER_COST.generate(seed, {"n": (64, 64), "d": (64, 64)}).draft
        if draft.params["ask"] == "cheaper":
            assert draft.answer == "c" and not draft.mistakes


def test_same_seed_same_question() -> None:
    for seed in range(30):
        assert LAYER_COST.generate(seed) == LAYER_COST.generate(seed)
