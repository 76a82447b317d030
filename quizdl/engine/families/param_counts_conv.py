"""Parameter counts of nn.Conv2d (ordinary, grouped, depthwise) and nn.ConvTranspose2d."""

from __future__ import annotations

from quizdl.engine.draw import choose
from quizdl.engine.families._shared import count_draft, mistake, shape_draft, shape_text
from quizdl.engine.families.param_counts import ASK_COUNT
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, Params, ParamSpec, json_list
from quizdl.kb.text import Text

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


def _kernel(draw: Draw, u: float) -> tuple[int, int]:
    """Square three times in four, else a second independent side (e.g. 1×3)."""
    k_h = draw.int("kernel")
    return (k_h, k_h) if u < 0.75 else (k_h, draw.int("kernel"))


def kernel_arg(k_h: int, k_w: int) -> str:
    return str(k_h) if k_h == k_w else f"({k_h}, {k_w})"


def _channels(variant: str, u: list[float]) -> tuple[int, int, int]:
    """(C_in, C_out, groups) for the variant: grouped counts divide both channel counts."""
    if variant == "grouped":
        c_in, c_out = choose(u[0], GROUPED_CHANNELS), choose(u[1], GROUPED_CHANNELS)
        return c_in, c_out, choose(u[2], GROUP_COUNTS)
    if variant == "depthwise":
        c_in = choose(u[0], DEPTHWISE_CHANNELS)
        return c_in, c_in * (2 if u[1] < 0.3 else 1), c_in
    return choose(u[0], CONV_IN_CHANNELS), choose(u[1], CONV_OUT_CHANNELS), 1


def bias_mistake(bias: bool, answer: int, c_out: int) -> Mistake:
    if bias:
        return mistake("forgot-bias", _FORGOT_BIAS, answer - c_out)
    return mistake("added-bias", _ADDED_BIAS, answer + c_out)


_FORGOT_BIAS = Text(
    en="You left out the biases: one per output channel.",
    zh="漏掉了偏置：每个输出通道一个。",
)
_ADDED_BIAS = Text(
    en="bias=False: this layer has no bias vector.", zh="bias=False：这一层没有偏置向量。"
)
_CONV_IGNORED_GROUPS = Text(
    en="With groups > 1 each filter sees only C_in/groups input channels.",
    zh="groups > 1 时每个卷积核只看 C_in/groups 个输入通道。",
)
_PER_POSITION = Text(
    en="You multiplied by the output size H·W; the same weights slide over all positions.",
    zh="你乘上了输出的 H·W；同一组权重在所有位置上滑动共享。",
)
_NO_INPUT_SIZE = Text(en="Parameters do not depend on the input size.", zh="参数量与输入尺寸无关。")


def _conv2d(draw: Draw) -> Draft:
    variant = VARIANTS[draw.int("variant")]
    bias = draw.int("bias") == 1
    u = draw.uniforms(5)
    k_h, k_w = _kernel(draw, u[0])
    c_in, c_out, groups = _channels(variant, u[1:4])
    stride = 2 if u[4] < 0.3 else 1
    size = draw.int("size")
    p_h, p_w = k_h // 2, k_w // 2
    h_out, w_out = (size + 2 * p_h - k_h) // stride + 1, (size + 2 * p_w - k_w) // stride + 1
    per_group = c_in // groups
    weights = c_out * per_group * k_h * k_w
    answer = weights + (c_out if bias else 0)
    padding = str(p_h) if p_h == p_w else f"({p_h}, {p_w})"
    layer = (
        f"nn.Conv2d({c_in}, {c_out}, kernel_size={kernel_arg(k_h, k_w)}, stride={stride}, "
        f"padding={padding}, groups={groups}, bias={bias})"
    )
    shape_in, shape_out = f"{c_in}×{size}×{size}", f"{c_out}×{h_out}×{w_out}"
    shape = f"({c_out}, {per_group}, {k_h}, {k_w})"
    total = f"{c_out}·{per_group}·{k_h}·{k_w}" + (f" + {c_out}" if bias else "")
    solution = (
        Text(
            en=f"weight shape (C_out, C_in/groups, k_h, k_w) = {shape}, shared by every output "
            + "position"
            + (", plus one bias per output channel" if bias else ""),
            zh=f"权重形状 (C_out, C_in/groups, k_h, k_w) = {shape}，所有输出位置共享"
            + ("，另加每个输出通道一个偏置" if bias else ""),
        ),
        Text.same(f"{total} = {num(answer)}"),
    )
    mistakes = [bias_mistake(bias, answer, c_out)]
    if groups > 1:
        ungrouped = conv2d_param_count(c_in, c_out, k_h, k_w, 1, bias)
        mistakes.append(mistake("ignored-groups", _CONV_IGNORED_GROUPS, ungrouped))
    mistakes.append(mistake("counted-per-position", _PER_POSITION, answer * h_out * w_out))
    return count_draft(
        Text(
            en=f"{layer} maps a {shape_in} input to a {shape_out} output (C×H×W). " + ASK_COUNT.en,
            zh=f"{layer} 把 {shape_in} 的输入映射为 {shape_out} 的输出（C×H×W）。" + ASK_COUNT.zh,
        ),
        answer,
        {
            "variant": variant,
            "bias": int(bias),
            "c_in": c_in,
            "c_out": c_out,
            "groups": groups,
            "kernel": json_list((k_h, k_w)),
            "stride": stride,
            "size": size,
        },
        solution,
        mistakes,
        hint=_NO_INPUT_SIZE,
    )


TRANSPOSE_CHANNELS = (16, 32, 64, 128, 256, 512, 1024)
TRANSPOSE_GROUPS = (2, 4, 8)

_TRANSPOSE_IGNORED_GROUPS = Text(
    en="With groups > 1 each input channel connects to only C_out/groups output channels.",
    zh="groups > 1 时每个输入通道只连到 C_out/groups 个输出通道。",
)
_CONV_LAYOUT = Text(
    en="That is Conv2d's layout (C_out, C_in/groups, k_h, k_w); ConvTranspose2d puts C_in first.",
    zh="这是 Conv2d 的布局 (C_out, C_in/groups, k_h, k_w)；ConvTranspose2d 把 C_in 放在最前。",
)


def _conv_transpose(draw: Draw) -> Draft:
    ask_shape = draw.int("ask") == 1
    grouped = draw.int("variant") == 1
    bias = draw.int("bias") == 1
    u = draw.uniforms(5)
    k_h, k_w = _kernel(draw, u[0])
    c_in, c_out = choose(u[1], TRANSPOSE_CHANNELS), choose(u[2], TRANSPOSE_CHANNELS)
    groups = choose(u[3], TRANSPOSE_GROUPS) if grouped else 1
    stride = 1 if u[4] < 0.3 else 2
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
        "kernel": json_list((k_h, k_w)),
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
                mistake("conv-weight-layout", _CONV_LAYOUT, (c_out, c_in // groups, k_h, k_w)),
                mistake("ignored-groups", _TRANSPOSE_IGNORED_GROUPS, (c_in, c_out, k_h, k_w)),
            ],
        )
    weights = c_in * per_group * k_h * k_w
    answer = weights + (c_out if bias else 0)
    total = f"{c_in}·{per_group}·{k_h}·{k_w}" + (f" + {c_out} biases" if bias else "")
    total_zh = f"{c_in}·{per_group}·{k_h}·{k_w}" + (f" + {c_out} 个偏置" if bias else "")
    mistakes = [bias_mistake(bias, answer, c_out)]
    if groups > 1:
        ungrouped = conv_transpose2d_param_count(c_in, c_out, k_h, k_w, 1, bias)
        mistakes.append(mistake("ignored-groups", _TRANSPOSE_IGNORED_GROUPS, ungrouped))
    return count_draft(
        Text(en=f"{layer}. " + ASK_COUNT.en, zh=f"{layer}。" + ASK_COUNT.zh),
        answer,
        params,
        (layout, Text(en=f"{total} = {num(answer)}", zh=f"{total_zh} = {num(answer)}")),
        mistakes,
    )


_FLAG = "1 = yes, 0 = no"

FAMILIES = (
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
