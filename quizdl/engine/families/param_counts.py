"""Parameter counts of fully connected layers and MLPs. Counts follow PyTorch's modules: every
learnable tensor counted once (as in every param_counts_* module)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from quizdl.engine.families._shared import count_draft, mistake
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, ParamSpec, json_list
from quizdl.kb.text import Text

ASK_COUNT = Text(en="How many learnable parameters does it have?", zh="它有多少个可学习参数？")


# --- dense layers and MLPs ------------------------------------------------------------


def dense_param_count(widths: Sequence[int], bias: bool = True) -> int:
    """Parameters of fully connected layers between consecutive `widths`."""
    return sum([a * b + (b if bias else 0) for a, b in itertools.pairwise(widths)])


_DENSE_FORGOT_BIAS = Text(
    en="You counted only the weights; each output unit also has a bias.",
    zh="只算了权重；每个输出单元还有一个偏置。",
)
_DENSE_BIAS_PER_INPUT = Text(
    en="You gave each input unit a bias; the bias vector has one entry per output.",
    zh="你给每个输入单元算了偏置；偏置向量的长度等于输出维度。",
)
_DENSE_BIAS_ON_INPUT = Text(
    en="You gave every width a bias vector, the input too; the input layer has none.",
    zh="你给每一层宽度（包括输入层）都算了偏置；输入层没有偏置。",
)
_DENSE_ADDED_BIAS = Text(
    en="bias=False: these layers have no bias vectors.", zh="bias=False：这些层没有偏置向量。"
)
_DENSE_WITH_BIAS = Text(
    en="each layer: in × out weights + out biases", zh="每层：in × out 个权重 + out 个偏置"
)
_DENSE_NO_BIAS = Text(
    en="each layer: in × out weights, no biases", zh="每层：in × out 个权重，无偏置"
)


def _dense(draw: Draw) -> Draft:
    layers = draw.int("layers")
    bias = draw.int("bias") == 1
    widths = [draw.int("width") for _ in range(layers + 1)]
    pairs = list(itertools.pairwise(widths))
    answer = dense_param_count(widths, bias)
    weights = sum([a * b for a, b in pairs])
    bias_word = "True" if bias else "False"
    if layers == 1:
        prompt = Text(
            en=f"A fully connected layer nn.Linear({widths[0]}, {widths[1]}, bias={bias_word}). "
            + ASK_COUNT.en,
            zh=f"全连接层 nn.Linear({widths[0]}, {widths[1]}, bias={bias_word})。" + ASK_COUNT.zh,
        )
    else:
        chain = " → ".join([str(w) for w in widths])
        prompt = Text(
            en=f"An MLP has layer widths {chain}: one nn.Linear(…, bias={bias_word}) between "
            "each pair of consecutive widths (activations have no parameters). "
            "How many learnable parameters does it have in total?",
            zh=f"一个 MLP 的各层宽度为 {chain}：相邻两层之间各有一个 nn.Linear(…, bias={bias_word})"
            "（激活函数没有参数）。它一共有多少个可学习参数？",
        )
    if bias:
        formula = _DENSE_WITH_BIAS
        terms = " + ".join([f"({a}×{b} + {b})" for a, b in pairs])
        mistakes = [
            mistake("forgot-bias", _DENSE_FORGOT_BIAS, weights),
            mistake("bias-per-input", _DENSE_BIAS_PER_INPUT, weights + sum(widths[:-1])),
            mistake("bias-on-input-layer", _DENSE_BIAS_ON_INPUT, weights + sum(widths)),
        ]
    else:
        formula = _DENSE_NO_BIAS
        terms = " + ".join([f"{a}×{b}" for a, b in pairs])
        mistakes = [mistake("added-bias", _DENSE_ADDED_BIAS, weights + sum(widths[1:]))]
    return count_draft(
        prompt,
        answer,
        {"layers": layers, "bias": int(bias), "widths": json_list(widths)},
        (formula, Text.same(f"{terms} = {num(answer)}")),
        mistakes,
    )


_FLAG = "1 = yes, 0 = no"

FAMILIES = (
    Family(
        id="dense-params",
        version=1,
        description="Learnable parameters of a fully connected layer or an MLP, with or "
        "without bias",
        topic="sequence-models",
        build=_dense,
        params={
            "layers": ParamSpec(1, 4, doc="number of nn.Linear layers (1 = a single layer)"),
            "width": ParamSpec(2, 1024, doc="each layer width"),
            "bias": ParamSpec(0, 1, doc=f"layers have biases: {_FLAG}"),
        },
    ),
)
