"""rnn-params: counts are checked against PyTorch's named parameters, listed tensor by
tensor as the nn.RNN / nn.LSTM / nn.GRU documentation describes them."""

from __future__ import annotations

import itertools
import math

from draft_checks import int_param, mistakes_by_id

from quizdl.engine.registry import families

RNN = families()["rnn-params"]
SEEDS = range(300)

# From the PyTorch docs: weight_ih_l[k] of nn.LSTM is (W_ii|W_if|W_ig|W_io), of nn.GRU
# (W_ir|W_iz|W_in), of nn.RNN a single W_ih; weight_hh_l[k], bias_ih_l[k] and
# bias_hh_l[k] stack the same blocks. Each block has hidden_size rows.
GATE_BLOCKS = {"RNN": ("h",), "LSTM": ("i", "f", "g", "o"), "GRU": ("r", "z", "n")}


def named_parameters(
    cell: str, input_size: int, hidden: int, layers: int, bidirectional: bool
) -> dict[str, tuple[int, ...]]:
    """PyTorch's parameter names and shapes: layer k ≥ 1 reads num_directions·hidden."""
    rows = len(GATE_BLOCKS[cell]) * hidden
    directions = ("", "_reverse") if bidirectional else ("",)
    shapes: dict[str, tuple[int, ...]] = {}
    for k in range(layers):
        layer_input = input_size if k == 0 else len(directions) * hidden
        for suffix in directions:
            shapes[f"weight_ih_l{k}{suffix}"] = (rows, layer_input)
            shapes[f"weight_hh_l{k}{suffix}"] = (rows, hidden)
            shapes[f"bias_ih_l{k}{suffix}"] = (rows,)
            shapes[f"bias_hh_l{k}{suffix}"] = (rows,)
    return shapes


def total(shapes: dict[str, tuple[int, ...]]) -> int:
    return sum(math.prod(shape) for shape in shapes.values())


def test_rnn_counts_match_pytorch_named_parameters() -> None:
    for seed in SEEDS:
        draft = RNN.generate(seed).draft
        cell = draft.params["cell"]
        assert isinstance(cell, str)
        i, h, layers = (
            int_param(draft, "input"),
            int_param(draft, "hidden"),
            int_param(draft, "layers"),
        )
        bidirectional = int_param(draft, "bidirectional") == 1
        shapes = named_parameters(cell, i, h, layers, bidirectional)
        assert draft.answer == total(shapes)
        assert f"nn.{cell}(input_size={i}, hidden_size={h}, num_layers={layers}" in (
            draft.prompt.en
        )
        found = mistakes_by_id(draft)
        one_bias = total({k: v for k, v in shapes.items() if not k.startswith("bias_hh")})
        assert found.get("one-bias-vector", one_bias) == one_bias
        if cell != "RNN":
            plain = total(named_parameters("RNN", i, h, layers, bidirectional))
            assert found.get("forgot-gates", plain) == plain
            other = "GRU" if cell == "LSTM" else "LSTM"
            swapped = total(named_parameters(other, i, h, layers, bidirectional))
            assert found.get("wrong-gate-count", swapped) == swapped
        if bidirectional:
            forward = total({k: v for k, v in shapes.items() if not k.endswith("_reverse")})
            assert found.get("forgot-bidirectional", forward) == forward
        if layers > 1:
            # every layer fed with the original input size
            flat = sum(
                math.prod((*shape[:-1], i)) if name.startswith("weight_ih") else math.prod(shape)
                for name, shape in shapes.items()
            )
            assert found.get("wrong-layer-input", flat) == flat
        values = [draft.answer, *found.values()]
        for a, b in itertools.combinations(values, 2):
            assert isinstance(a, float) and isinstance(b, float) and abs(a - b) >= 1


def test_rnn_small_examples() -> None:
    # nn.LSTM(10, 20, num_layers=2): 4·20·(10 + 20 + 2) + 4·20·(20 + 20 + 2) = 5,920
    shapes = named_parameters("LSTM", 10, 20, 2, False)
    assert total(shapes) == 5920
    draft = RNN.generate(
        0,
        {
            "cell": (1, 1),
            "input": (10, 10),
            "hidden": (20, 20),
            "layers": (2, 2),
            "bidirectional": (0, 0),
        },
    ).draft
    assert draft.answer == 5920


def test_rnn_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(100):
        assert RNN.generate(seed) == RNN.generate(seed)
        ranges = {
            "cell": (2, 2),
            "input": (50, 60),
            "hidden": (32, 32),
            "layers": (3, 3),
            "bidirectional": (1, 1),
        }
        draft = RNN.generate(seed, ranges).draft
        assert draft.params["cell"] == "GRU" and 50 <= int_param(draft, "input") <= 60
        assert int_param(draft, "hidden") == 32 and int_param(draft, "layers") == 3
        assert int_param(draft, "bidirectional") == 1
        assert {"forgot-bidirectional", "layer-input-not-doubled"} <= set(mistakes_by_id(draft))
