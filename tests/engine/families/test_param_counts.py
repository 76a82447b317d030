"""dense-params: every count is checked against an explicit list of nn.Linear tensors,
weight (out_features, in_features) and bias (out_features,), as PyTorch stores them."""

from __future__ import annotations

import itertools
import math

from draft_checks import assert_integers_apart, int_list_param, int_param, mistakes_by_id

from quizdl.engine.registry import families

DENSE = families()["dense-params"]
SEEDS = range(300)


def linear_tensors(widths: list[int], bias: bool) -> list[tuple[int, ...]]:
    shapes: list[tuple[int, ...]] = []
    for fan_in, fan_out in itertools.pairwise(widths):
        shapes.append((fan_out, fan_in))
        if bias:
            shapes.append((fan_out,))
    return shapes


def total(shapes: list[tuple[int, ...]]) -> int:
    return sum(math.prod(shape) for shape in shapes)


def test_dense_counts_match_explicit_linear_tensors() -> None:
    for seed in SEEDS:
        draft = DENSE.generate(seed).draft
        widths, bias = int_list_param(draft, "widths"), int_param(draft, "bias") == 1
        assert draft.answer == total(linear_tensors(widths, bias))
        assert f"nn.Linear({widths[0]}, {widths[1]}" in draft.prompt.en or (
            " → ".join(map(str, widths)) in draft.prompt.en
        )
        found = mistakes_by_id(draft)
        weights_only = total([s for s in linear_tensors(widths, bias) if len(s) == 2])
        if bias:
            assert found.get("forgot-bias", weights_only) == weights_only
            # a bias vector sized like the layer's input instead of its output
            per_input = weights_only + total([(a,) for a in widths[:-1]])
            assert found.get("bias-per-input", per_input) == per_input
            assert "added-bias" not in found
        else:
            assert found["added-bias"] == total(linear_tensors(widths, True))
            assert "forgot-bias" not in found
        assert_integers_apart(draft)


def test_dense_single_layer_reads_as_nn_linear() -> None:
    draft = DENSE.generate(5, {"layers": (1, 1), "width": (784, 784), "bias": (1, 1)}).draft
    assert draft.answer == 784 * 784 + 784
    assert "nn.Linear(784, 784, bias=True)" in draft.prompt.en


def test_dense_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(100):
        assert DENSE.generate(seed) == DENSE.generate(seed)
        draft = DENSE.generate(seed, {"layers": (2, 3), "width": (10, 20), "bias": (0, 0)}).draft
        widths = int_list_param(draft, "widths")
        assert len(widths) in (3, 4) and all(10 <= w <= 20 for w in widths)
        assert int_param(draft, "bias") == 0 and set(mistakes_by_id(draft)) == {"added-bias"}
