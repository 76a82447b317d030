"""Parameter counts of dense, convolutional and transposed-convolutional layers.

Counts follow PyTorch's modules (nn.Linear, nn.Conv2d, nn.ConvTranspose2d): every
learnable tensor counted once. The helpers at the top are shared with the other
parameter-count modules (param_counts_seq, param_counts_blocks).
"""

from __future__ import annotations

from collections.abc import Sequence

from quizdl.engine.fmt import num
from quizdl.engine.question import (
    Draft,
    Draw,
    Family,
    Mistake,
    ParamSpec,
    Params,
    distinct_mistakes,
)
from quizdl.kb.text import Text

ASK_COUNT = Text(en="How many learnable parameters does it have?", zh="它有多少个可学习参数？")


def mistake(id: str, en: str, zh: str, value: float | tuple[float, ...]) -> Mistake:
    """A mistake whose value is an integer count (or a shape of integers)."""
    if isinstance(value, tuple):
        return Mistake(id, Text(en=en, zh=zh), tuple(float(v) for v in value))
    return Mistake(id, Text(en=en, zh=zh), float(value))


def count_draft(
    prompt: Text,
    answer: int,
    params: Params,
    solution: tuple[Text, ...],
    mistakes: Sequence[Mistake],
    hint: Text | None = None,
) -> Draft:
    """A question whose answer is an exact integer count: nothing but the integer is right."""
    value = float(answer)
    return Draft(
        prompt=prompt,
        kind="number",
        answer=value,
        params=params,
        solution=solution,
        mistakes=distinct_mistakes(value, mistakes, rel_tol=0.0, abs_tol=0.5),
        rel_tol=0.0,
        abs_tol=0.5,
        hint=hint,
    )


def shape_draft(
    prompt: Text,
    answer: tuple[int, ...],
    params: Params,
    solution: tuple[Text, ...],
    mistakes: Sequence[Mistake],
    hint: Text | None = None,
) -> Draft:
    """A question whose answer is a shape: a vector of exact integers."""
    value = tuple(float(v) for v in answer)
    return Draft(
        prompt=prompt,
        kind="vector",
        answer=value,
        params=params,
        solution=solution,
        mistakes=distinct_mistakes(value, mistakes, rel_tol=0.0, abs_tol=0.5),
        rel_tol=0.0,
        abs_tol=0.5,
        hint=hint,
    )


def shape_text(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(v) for v in shape) + ")"


# --- dense layers and MLPs ------------------------------------------------------------


def dense_param_count(widths: Sequence[int], bias: bool = True) -> int:
    """Parameters of fully connected layers between consecutive `widths`."""
    return sum(a * b + (b if bias else 0) for a, b in zip(widths, widths[1:], strict=False))


def _dense(draw: Draw) -> Draft:
    layers = draw.int("layers")
    bias = draw.int("bias") == 1
    widths = [draw.int("width") for _ in range(layers + 1)]
    pairs = list(zip(widths, widths[1:], strict=False))
    answer = dense_param_count(widths, bias)
    weights = sum(a * b for a, b in pairs)
    bias_word = "True" if bias else "False"
    if layers == 1:
        prompt = Text(
            en=f"A fully connected layer nn.Linear({widths[0]}, {widths[1]}, bias={bias_word}). "
            + ASK_COUNT.en,
            zh=f"全连接层 nn.Linear({widths[0]}, {widths[1]}, bias={bias_word})。" + ASK_COUNT.zh,
        )
    else:
        chain = " → ".join(str(w) for w in widths)
        prompt = Text(
            en=f"An MLP has layer widths {chain}: one nn.Linear(…, bias={bias_word}) between "
            "each pair of consecutive widths (activations have no parameters). "
            "How many learnable parameters does it have in total?",
            zh=f"一个 MLP 的各层宽度为 {chain}：相邻两层之间各有一个 nn.Linear(…, bias={bias_word})"
            "（激活函数没有参数）。它一共有多少个可学习参数？",
        )
    if bias:
        formula = Text(
            en="each layer: in × out weights + out biases",
            zh="每层：in × out 个权重 + out 个偏置",
        )
        terms = " + ".join(f"({a}×{b} + {b})" for a, b in pairs)
    else:
        formula = Text(en="each layer: in × out weights, no biases", zh="每层：in × out 个权重，无偏置")
        terms = " + ".join(f"{a}×{b}" for a, b in pairs)
    mistakes: list[Mistake] = []
    if bias:
        mistakes += [
            mistake(
                "forgot-bias",
                "You counted only the weights; each output unit also has a bias.",
                "只算了权重；每个输出单元还有一个偏置。",
                weights,
            ),
            mistake(
                "bias-per-input",
                "You gave each input unit a bias; the bias vector has one entry per output.",
                "你给每个输入单元算了偏置；偏置向量的长度等于输出维度。",
                weights + sum(a for a, _ in pairs),
            ),
            mistake(
                "bias-on-input-layer",
                "You gave every width a bias vector, the input too; the input layer has none.",
                "你给每一层宽度（包括输入层）都算了偏置；输入层没有偏置。",
                weights + sum(widths),
            ),
        ]
    else:
        mistakes.append(
            mistake(
                "added-bias",
                "bias=False: these layers have no bias vectors.",
                "bias=False：这些层没有偏置向量。",
                weights + sum(b for _, b in pairs),
            )
        )
    return count_draft(
        prompt,
        answer,
        {"layers": layers, "bias": int(bias), "widths": list(widths)},
        (formula, Text.same(f"{terms} = {num(answer)}")),
        mistakes,
    )


# --- Conv2d -----------------------------------------------------------------------------

CONV_IN_CHANNELS = (3, 16, 32, 48, 64, 96, 128, 256, 512)
CONV_OUT_CHANNELS = (16, 32, 64, 96, 128, 192, 256, 512)
GROUPED_CHANNELS = (32, 64, 128, 256, 512)
GROUP_COUNTS = (2, 4, 8, 16, 32)
DEPTHWISE_CHANNELS = (16, 32, 64, 96, 128, 256, 512)
VARIANTS = ("standard", "grouped", "depthwise")


def conv2d_param_count(
    c_in: int, c_out: int, k_h: int, k_w: int, groups: int = 1, bias: bool = True
) -> int:
    """nn.Conv2d: weight (C_out, C_in/groups, k_h, k_w) plus C_out biases."""
    return c_out * (c_in // groups) * k_h * k_w + (c_out if bias else 0)


def conv_transpose2d_param_count(
    c_in: int, c_out: int, k_h: int, k_w: int, groups: int = 1, bias: bool = True
) -> int:
    """nn.ConvTranspose2d: weight (C_in, C_out/groups, k_h, k_w) plus C_out biases."""
    return c_in * (c_out // groups) * k_h * k_w + (c_out if bias else 0)


def conv_out_size(n: int, k: int, s: int, p: int, d: int = 1) -> int:
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _kernel(draw: Draw) -> tuple[int, int]:
    k_h = draw.int("kernel")
    square = draw.rng.random() < 0.75
    return (k_h, k_h) if square else (k_h, draw.int("kernel"))


def kernel_arg(k_h: int, k_w: int) -> str:
    return str(k_h) if k_h == k_w else f"({k_h}, {k_w})"


def _channels(draw: Draw, variant: str) -> tuple[int, int, int]:
    """(C_in, C_out, groups) for the variant: grouped counts divide both channel counts."""
    if variant == "grouped":
        c_in, c_out = draw.pick(GROUPED_CHANNELS), draw.pick(GROUPED_CHANNELS)
        return c_in, c_out, draw.pick(GROUP_COUNTS)
    if variant == "depthwise":
        c_in = draw.pick(DEPTHWISE_CHANNELS)
        return c_in, c_in * draw.pick((1, 1, 2)), c_in
    return draw.pick(CONV_IN_CHANNELS), draw.pick(CONV_OUT_CHANNELS), 1


def _conv2d(draw: Draw) -> Draft:
    variant = VARIANTS[draw.int("variant")]
    bias = draw.int("bias") == 1
    k_h, k_w = _kernel(draw)
    c_in, c_out, groups = _channels(draw, variant)
    stride = draw.pick((1, 1, 2))
    size = draw.int("size")
    p_h, p_w = k_h // 2, k_w // 2
    h_out, w_out = conv_out_size(size, k_h, stride, p_h), conv_out_size(size, k_w, stride, p_w)
    answer = conv2d_param_count(c_in, c_out, k_h, k_w, groups, bias)
    weights = conv2d_param_count(c_in, c_out, k_h, k_w, groups, bias=False)
    padding = str(p_h) if p_h == p_w else f"({p_h}, {p_w})"
    layer = (
        f"nn.Conv2d({c_in}, {c_out}, kernel_size={kernel_arg(k_h, k_w)}, stride={stride}, "
        f"padding={padding}, groups={groups}, bias={bias})"
    )
    shapes = f"{c_in}×{size}×{size}", f"{c_out}×{h_out}×{w_out}"
    prompt = Text(
        en=f"{layer} maps a {shapes[0]} input to a {shapes[1]} output (C×H×W). " + ASK_COUNT.en,
        zh=f"{layer} 把 {shapes[0]} 的输入映射为 {shapes[1]} 的输出（C×H×W）。" + ASK_COUNT.zh,
    )
    per_group = c_in // groups
    steps = [
        Text(
            en=f"weight shape (C_out, C_in/groups, k_h, k_w) = ({c_out}, {per_group}, {k_h}, {k_w})"
            + "; the weights are shared by every output position",
            zh=f"权重形状 (C_out, C_in/groups, k_h, k_w) = ({c_out}, {per_group}, {k_h}, {k_w})"
            + "；所有输出位置共享同一组权重",
        ),
        Text.same(f"{c_out}·{per_group}·{k_h}·{k_w} = {num(weights)}"),
    ]
    if bias:
        steps.append(Text.same(f"{num(weights)} + {c_out} = {num(answer)}"))
    mistakes: list[Mistake] = []
    if bias:
        mistakes.append(
            mistake(
                "forgot-bias",
                f"You left out the {c_out} biases (one per output channel).",
                f"漏掉了 {c_out} 个偏置（每个输出通道一个）。",
                weights,
            )
        )
    else:
        mistakes.append(
            mistake(
                "added-bias",
                "bias=False: this convolution has no bias vector.",
                "bias=False：这个卷积没有偏置向量。",
                answer + c_out,
            )
        )
    if groups > 1:
        mistakes.append(
            mistake(
                "ignored-groups",
                f"With groups={groups} each filter sees only C_in/groups = {per_group} channels.",
                f"groups={groups} 时每个卷积核只看 C_in/groups = {per_group} 个输入通道。",
                conv2d_param_count(c_in, c_out, k_h, k_w, 1, bias),
            )
        )
    mistakes.append(
        mistake(
            "counted-per-position",
            "You multiplied by the output size H·W; the same weights slide over all positions.",
            "你乘上了输出的 H·W；同一组权重在所有位置上滑动共享。",
            answer * h_out * w_out,
        )
    )
    return count_draft(
        prompt,
        answer,
        {
            "variant": variant,
            "bias": int(bias),
            "c_in": c_in,
            "c_out": c_out,
            "groups": groups,
            "kernel": [k_h, k_w],
            "stride": stride,
            "size": size,
        },
        tuple(steps),
        mistakes,
        hint=Text(
            en="Parameters do not depend on the input size.", zh="参数量与输入尺寸无关。"
        ),
    )


# --- ConvTranspose2d ------------------------------------------------------------------

TRANSPOSE_CHANNELS = (16, 32, 64, 128, 256, 512, 1024)
TRANSPOSE_GROUPS = (2, 4, 8)


def _conv_transpose(draw: Draw) -> Draft:
    ask_shape = draw.int("ask") == 1
    grouped = draw.int("variant") == 1
    bias = draw.int("bias") == 1
    k_h, k_w = _kernel(draw)
    c_in, c_out = draw.pick(TRANSPOSE_CHANNELS), draw.pick(TRANSPOSE_CHANNELS)
    groups = draw.pick(TRANSPOSE_GROUPS) if grouped else 1
    stride = draw.pick((1, 2, 2))
    # the usual upsampling setting (k=4, s=2, p=1 doubles H and W); padding has no parameters
    padding = max((k_h - stride) // 2, 0) if k_h == k_w else 0
    layer = (
        f"nn.ConvTranspose2d({c_in}, {c_out}, kernel_size={kernel_arg(k_h, k_w)}, "
        f"stride={stride}, padding={padding}, groups={groups}, bias={bias})"
    )
    per_group = c_out // groups
    shape = (c_in, per_group, k_h, k_w)
    params: Params = {
        "ask": "shape" if ask_shape else "count",
        "bias": int(bias),
        "c_in": c_in,
        "c_out": c_out,
        "groups": groups,
        "kernel": [k_h, k_w],
        "stride": stride,
    }
    layout = Text(
        en=f"PyTorch stores a transposed convolution's weight as (C_in, C_out/groups, k_h, k_w) "
        f"= {shape_text(shape)}, the reverse of Conv2d's (C_out, C_in/groups, k_h, k_w)",
        zh=f"PyTorch 中转置卷积的权重形状是 (C_in, C_out/groups, k_h, k_w) = {shape_text(shape)}，"
        "与 Conv2d 的 (C_out, C_in/groups, k_h, k_w) 顺序相反",
    )
    if ask_shape:
        return shape_draft(
            Text(
                en=f"What is the shape of {layer}.weight? Answer as a tuple.",
                zh=f"{layer}.weight 的形状是什么？以元组作答。",
            ),
            shape,
            params,
            (layout,),
            [
                mistake(
                    "conv-weight-layout",
                    "That is Conv2d's layout (C_out, C_in/groups, k_h, k_w); "
                    "ConvTranspose2d puts C_in first.",
                    "这是 Conv2d 的布局 (C_out, C_in/groups, k_h, k_w)；ConvTranspose2d 把 C_in 放在最前。",
                    (c_out, c_in // groups, k_h, k_w),
                ),
                mistake(
                    "ignored-groups",
                    f"With groups={groups} the second dimension is C_out/groups = {per_group}.",
                    f"groups={groups} 时第二维是 C_out/groups = {per_group}。",
                    (c_in, c_out, k_h, k_w),
                ),
            ],
        )
    answer = conv_transpose2d_param_count(c_in, c_out, k_h, k_w, groups, bias)
    weights = c_in * per_group * k_h * k_w
    steps = [layout, Text.same(f"{c_in}·{per_group}·{k_h}·{k_w} = {num(weights)}")]
    if bias:
        steps.append(
            Text(
                en=f"plus one bias per output channel: {num(weights)} + {c_out} = {num(answer)}",
                zh=f"再加每个输出通道一个偏置：{num(weights)} + {c_out} = {num(answer)}",
            )
        )
    mistakes = [
        mistake(
            "forgot-bias",
            f"You left out the {c_out} biases (one per output channel).",
            f"漏掉了 {c_out} 个偏置（每个输出通道一个）。",
            weights,
        )
        if bias
        else mistake(
            "added-bias",
            "bias=False: this layer has no bias vector.",
            "bias=False：这一层没有偏置向量。",
            answer + c_out,
        ),
    ]
    if groups > 1:
        mistakes.append(
            mistake(
                "ignored-groups",
                f"With groups={groups} each input channel connects to only C_out/groups = "
                f"{per_group} output channels.",
                f"groups={groups} 时每个输入通道只连到 C_out/groups = {per_group} 个输出通道。",
                conv_transpose2d_param_count(c_in, c_out, k_h, k_w, 1, bias),
            )
        )
    return count_draft(
        Text(en=f"{layer}. " + ASK_COUNT.en, zh=f"{layer}。" + ASK_COUNT.zh),
        answer,
        params,
        tuple(steps),
        mistakes,
    )


_FLAG = "1 = yes, 0 = no"

FAMILIES = (
    Family(
        id="dense-params",
        version=1,
        description="Learnable parameters of a fully connected layer or an MLP, with or without bias",
        topic="sequence-models",
        build=_dense,
        params={
            "layers": ParamSpec(1, 4, doc="number of nn.Linear layers (1 = a single layer)"),
            "width": ParamSpec(2, 1024, doc="each layer width"),
            "bias": ParamSpec(0, 1, doc=f"layers have biases: {_FLAG}"),
        },
    ),
    Family(
        id="conv2d-params",
        version=1,
        description="Learnable parameters of nn.Conv2d: ordinary, grouped or depthwise, with or "
        "without bias",
        topic="sequence-models",
        build=_conv2d,
        params={
            "variant": ParamSpec(0, 2, doc="0 ordinary, 1 grouped, 2 depthwise"),
            "kernel": ParamSpec(1, 7, doc="kernel height and width"),
            "size": ParamSpec(7, 112, doc="input height = width"),
            "bias": ParamSpec(0, 1, doc=f"the layer has a bias: {_FLAG}"),
        },
    ),
    Family(
        id="conv-transpose-params",
        version=1,
        description="Weight shape and parameter count of nn.ConvTranspose2d",
        topic="deconvolution",
        build=_conv_transpose,
        params={
            "ask": ParamSpec(0, 1, doc="0 the parameter count, 1 the weight shape"),
            "variant": ParamSpec(0, 1, doc="0 ordinary, 1 grouped"),
            "kernel": ParamSpec(1, 5, doc="kernel height and width"),
            "bias": ParamSpec(0, 1, doc=f"the layer has a bias: {_FLAG}"),
        },
    ),
)
