"""Parameter counts of PyTorch's recurrent layers: nn.RNN, nn.LSTM and nn.GRU.

PyTorch keeps, per layer and direction, weight_ih (g·H × input), weight_hh (g·H × H)
and two bias vectors bias_ih and bias_hh (g·H each), where g is the number of gates
(blocks of H rows): 1 for RNN, 4 for LSTM (i, f, g, o), 3 for GRU (r, z, n).
"""

from __future__ import annotations

from quizdl.engine.families._shared import count_draft, mistake
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, ParamSpec
from quizdl.kb.text import Text

CELLS = ("RNN", "LSTM", "GRU")
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def rnn_param_count(
    cell: str,
    input_size: int,
    hidden: int,
    layers: int = 1,
    bidirectional: bool = False,
    gates: int | None = None,
    bias_vectors: int = 2,
    later_input: int | None = None,
) -> int:
    """Parameters of nn.RNN / nn.LSTM / nn.GRU.

    `gates`, `bias_vectors` and `later_input` (the input size of layers ≥ 2, normally
    directions·H) default to PyTorch's values; they are overridden only to compute the
    answers that common mistakes lead to.
    """
    g = GATES[cell] if gates is None else gates
    directions = 2 if bidirectional else 1
    upper_input = directions * hidden if later_input is None else later_input
    total = 0
    for layer in range(layers):
        layer_input = input_size if layer == 0 else upper_input
        total += directions * g * (hidden * layer_input + hidden * hidden + bias_vectors * hidden)
    return total


_ONE_BIAS_VECTOR = Text(
    en="PyTorch keeps two bias vectors, bias_ih and bias_hh, so each gate block has 2H biases.",
    zh="PyTorch 有两个偏置向量 bias_ih 和 bias_hh，所以每个门块有 2H 个偏置。",
)
_FORGOT_GATES = Text(
    en="You counted a plain RNN cell (g = 1); an LSTM has 4 gate blocks of H rows, a GRU 3.",
    zh="你按普通 RNN 单元（g = 1）算了；LSTM 有 4 个门块（每块 H 行），GRU 有 3 个。",
)
_LSTM_NOT_3 = Text(
    en="An LSTM has 4 gate blocks (input, forget, cell, output), not 3.",
    zh="LSTM 有 4 个门块（输入门、遗忘门、候选记忆、输出门），不是 3 个。",
)
_GRU_NOT_4 = Text(
    en="A GRU has 3 gate blocks (reset, update, new), not 4.",
    zh="GRU 有 3 个门块（重置门、更新门、候选状态），不是 4 个。",
)
_FORGOT_BIDIRECTIONAL = Text(
    en="bidirectional=True doubles every layer: a forward and a backward set of weights.",
    zh="bidirectional=True 让每一层都有前向和反向两套权重，参数翻倍。",
)
_WRONG_LAYER_INPUT = Text(
    en="Layers above the first take the hidden output of the layer below (H, or 2H when "
    "bidirectional), not the original input.",
    zh="第一层之上的各层输入是下一层的隐藏输出（H，双向时为 2H），不是原始输入。",
)
_NOT_DOUBLED = Text(
    en="The layer below is bidirectional, so its output concatenates both directions: 2H, not H.",
    zh="下一层是双向的，输出把两个方向拼接起来：2H，不是 H。",
)


GATE_NOTES = {
    "RNN": ("g = 1 (no gates)", "g = 1（没有门）"),
    "LSTM": ("g = 4 (input, forget, cell, output)", "g = 4（输入门、遗忘门、候选记忆、输出门）"),
    "GRU": ("g = 3 (reset, update, new)", "g = 3（重置门、更新门、候选状态）"),
}


def _rnn(draw: Draw) -> Draft:
    cell = CELLS[draw.int("cell")]
    i, h = draw.int("input"), draw.int("hidden")
    layers = draw.int("layers")
    bidirectional = draw.int("bidirectional") == 1
    g = GATES[cell]
    directions = 2 if bidirectional else 1
    answer = rnn_param_count(cell, i, h, layers, bidirectional)
    layer = (
        f"nn.{cell}(input_size={i}, hidden_size={h}, num_layers={layers}, "
        f"bidirectional={bidirectional})"
    )
    prompt = Text(
        en=f"{layer}, with PyTorch's default bias=True. How many learnable parameters does it "
        "have?",
        zh=f"{layer}，使用 PyTorch 默认的 bias=True。它有多少个可学习参数？",
    )
    first = g * (h * i + h * h + 2 * h)
    gate_note = GATE_NOTES[cell]
    steps = [
        Text(
            en=f"per layer and direction: weight_ih (gH × input), weight_hh (gH × H), bias_ih and "
            f"bias_hh (gH each), with {gate_note[0]}",
            zh=f"每层每个方向：weight_ih (gH × 输入)、weight_hh (gH × H)、bias_ih 和 bias_hh"
            f"（各 gH 个），其中 {gate_note[1]}",
        ),
        Text(
            en=f"layer 1: {g}·({h}·{i} + {h}² + 2·{h}) = {num(first)}",
            zh=f"第 1 层：{g}·({h}·{i} + {h}² + 2·{h}) = {num(first)}",
        ),
    ]
    if layers > 1:
        upper_in = directions * h
        upper = g * (h * upper_in + h * h + 2 * h)
        upper_en, upper_zh = (
            ("layer 2", "第 2 层") if layers == 2 else (f"layers 2–{layers}", f"第 2–{layers} 层")
        )
        steps.append(
            Text(
                en=f"{upper_en}: the input is the {upper_in}-dim output of the layer below, "
                f"{g}·({h}·{upper_in} + {h}² + 2·{h}) = {num(upper)} per layer",
                zh=f"{upper_zh}：输入是下一层的 {upper_in} 维输出，"
                f"每层 {g}·({h}·{upper_in} + {h}² + 2·{h}) = {num(upper)}",
            )
        )
        per_direction = first + (layers - 1) * upper
        steps.append(Text.same(f"{num(first)} + {layers - 1}·{num(upper)} = {num(per_direction)}"))
    if bidirectional:
        steps.append(
            Text(
                en=f"two directions: 2 × {num(answer // 2)} = {num(answer)}",
                zh=f"双向：2 × {num(answer // 2)} = {num(answer)}",
            )
        )
    mistakes = [
        mistake(
            "one-bias-vector",
            _ONE_BIAS_VECTOR,
            rnn_param_count(cell, i, h, layers, bidirectional, bias_vectors=1),
        )
    ]
    if cell != "RNN":
        wrong_g, label = (3, _LSTM_NOT_3) if cell == "LSTM" else (4, _GRU_NOT_4)
        mistakes += [
            mistake(
                "forgot-gates",
                _FORGOT_GATES,
                rnn_param_count(cell, i, h, layers, bidirectional, gates=1),
            ),
            mistake(
                "wrong-gate-count",
                label,
                rnn_param_count(cell, i, h, layers, bidirectional, gates=wrong_g),
            ),
        ]
    if bidirectional:
        mistakes.append(mistake("forgot-bidirectional", _FORGOT_BIDIRECTIONAL, answer // 2))
    if layers > 1:
        wrong_input = rnn_param_count(cell, i, h, layers, bidirectional, later_input=i)
        mistakes.append(mistake("wrong-layer-input", _WRONG_LAYER_INPUT, wrong_input))
        if bidirectional:
            undoubled = rnn_param_count(cell, i, h, layers, bidirectional, later_input=h)
            mistakes.append(mistake("layer-input-not-doubled", _NOT_DOUBLED, undoubled))
    return count_draft(
        prompt,
        answer,
        {
            "cell": cell,
            "input": i,
            "hidden": h,
            "layers": layers,
            "bidirectional": int(bidirectional),
        },
        tuple(steps),
        mistakes,
    )


FAMILIES = (
    Family(
        id="rnn-params",
        version=1,
        description="Learnable parameters of PyTorch nn.RNN, nn.LSTM or nn.GRU (layers, "
        "bidirectional)",
        topic="rnn",
        build=_rnn,
        params={
            "cell": ParamSpec(0, 2, doc="0 RNN, 1 LSTM, 2 GRU"),
            "input": ParamSpec(2, 512, doc="input_size"),
            "hidden": ParamSpec(2, 512, doc="hidden_size H"),
            "layers": ParamSpec(1, 3, doc="num_layers"),
            "bidirectional": ParamSpec(0, 1, doc="1 bidirectional, 0 one direction"),
        },
    ),
)
