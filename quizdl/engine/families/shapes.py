"""Output shapes of convolution and pooling, transposed convolution, and upsampling
(nearest / bilinear interpolation, PixelShuffle, PixelUnshuffle), as PyTorch computes them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from quizdl.engine.draw import choose
from quizdl.engine.families._shared import count_draft, mistake, shape_draft, shape_text
from quizdl.engine.question import Draft, Draw, Family, Params, ParamSpec, json_list
from quizdl.kb.text import Text

SizeRule = Callable[[int], int]


def conv_output_size(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """Conv / MaxPool / AvgPool output size: ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1."""
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def conv_transpose_output_size(
    n: int, k: int, s: int = 1, p: int = 0, d: int = 1, output_padding: int = 0
) -> int:
    """ConvTranspose output size: (n − 1)s − 2p + d(k − 1) + output_padding + 1."""
    return (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1


def _question(
    prompt: Text,
    sizes: Sequence[int],
    rule: SizeRule,
    params: Params,
    solution: tuple[Text, ...],
    wrong_rules: Sequence[tuple[str, Text, SizeRule]],
) -> Draft:
    """One size (a number) or H and W (a vector), each given by `rule`; every common
    mistake is a wrong rule applied to the same sizes."""
    if len(sizes) == 1:
        n = sizes[0]
        wrong = [mistake(key, label, f(n)) for key, label, f in wrong_rules]
        return count_draft(prompt, rule(n), params, solution, wrong)
    wrong = [mistake(key, label, [f(n) for n in sizes]) for key, label, f in wrong_rules]
    return shape_draft(prompt, [rule(n) for n in sizes], params, solution, wrong)


def _sizes(draw: Draw, dims: int) -> list[int]:
    return [draw.int("size") for _ in range(dims)]


def _ask(dims: int, what: str, what_zh: str) -> tuple[str, str]:
    if dims == 1:
        return f"What is the output {what}?", f"输出{what_zh}是多少？"
    return (
        "What are the output height and width? Answer as (H, W).",
        "输出的高和宽是多少？以 (H, W) 作答。",
    )


# --- convolution and pooling ----------------------------------------------------------

_FORGOT_PADDING_TWICE = Text(
    en="Padding is added on both sides: n + 2p, not n + p.",
    zh="填充加在两侧：是 n + 2p，不是 n + p。",
)
_NO_FLOOR = Text(
    en="The division is floored: a window that does not fit is dropped (rounding up is "
    "ceil_mode=True, not the default).",
    zh="除法要向下取整：放不下的窗口被丢弃（向上取整是 ceil_mode=True，不是默认值）。",
)
_FORGOT_PLUS_ONE = Text(
    en="⌊(n + 2p − d(k−1) − 1)/s⌋ counts the steps; the windows are one more: + 1.",
    zh="⌊(n + 2p − d(k−1) − 1)/s⌋ 是步数；窗口数还要再 + 1。",
)
_IGNORED_DILATION = Text(
    en="With dilation d a kernel of size k spans d(k−1) + 1 positions.",
    zh="膨胀率为 d 时，大小为 k 的卷积核覆盖 d(k−1) + 1 个位置。",
)
_POOL_DEFAULT_STRIDE = Text(
    en="A pooling layer's stride defaults to kernel_size, not 1.",
    zh="池化层的 stride 默认等于 kernel_size，不是 1。",
)
CHANNELS = (3, 16, 32, 64, 128)


def _conv_output(draw: Draw) -> Draft:
    dims = draw.int("dims")
    k, s = draw.int("kernel"), draw.int("stride")
    p, d = draw.int("padding"), draw.int("dilation")
    span = d * (k - 1) + 1
    # a narrowed card could ask for a kernel wider than the padded input: widen the input
    sizes = [max(n, span - 2 * p) for n in _sizes(draw, dims)]
    u = draw.uniforms(4)
    ops = ["Conv"]
    # PyTorch: pooling padding at most half the (effective) kernel; a 1-wide pool does nothing
    if 2 * p <= span and k > 1:
        ops.append("MaxPool")
        if d == 1:  # AvgPool has no dilation
            ops.append("AvgPool")
    op = choose(u[0], ops)
    default_stride = op != "Conv" and s == k and u[1] < 0.5
    args = f"kernel_size={k}" + ("" if default_stride else f", stride={s}") + f", padding={p}"
    args += f", dilation={d}" if d > 1 else ""
    if op == "Conv":
        args = f"{choose(u[2], CHANNELS)}, {choose(u[3], CHANNELS)}, " + args
    layer = f"nn.{op}{dims}d({args})"
    given = f"length {sizes[0]}" if dims == 1 else f"size H×W = {sizes[0]}×{sizes[1]}"
    given_zh = f"长度为 {sizes[0]}" if dims == 1 else f" H×W = {sizes[0]}×{sizes[1]}"
    ask_en, ask_zh = _ask(dims, "length", "长度")
    formula = f"⌊(n + 2·{p} − {d}·({k}−1) − 1)/{s}⌋ + 1"
    steps = " ; ".join(
        [
            f"⌊({n} + {2 * p} − {span - 1} − 1)/{s}⌋ + 1 = {conv_output_size(n, k, s, p, d)}"
            for n in sizes
        ]
    )
    solution = (
        Text(
            en=f"n_out = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 = {formula}"
            + (f" (stride defaults to kernel_size = {k})" if default_stride else ""),
            zh=f"n_out = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 = {formula}"
            + (f"（stride 默认等于 kernel_size = {k}）" if default_stride else ""),
        ),
        Text.same(steps),
    )
    wrong: list[tuple[str, Text, SizeRule]] = [
        ("forgot-plus-one", _FORGOT_PLUS_ONE, lambda n: (n + 2 * p - span) // s),
    ]
    if p > 0:
        wrong.append(
            ("forgot-padding-twice", _FORGOT_PADDING_TWICE, lambda n: (n + p - span) // s + 1)
        )
    wrong.append(("no-floor", _NO_FLOOR, lambda n: -((span - n - 2 * p) // s) + 1))
    if d > 1:
        wrong.append(("ignored-dilation", _IGNORED_DILATION, lambda n: (n + 2 * p - k) // s + 1))
    if default_stride:
        wrong.append(
            ("pool-default-stride-1", _POOL_DEFAULT_STRIDE, lambda n: n + 2 * p - span + 1)
        )
    params: Params = {
        "op": op,
        "dims": dims,
        "kernel": k,
        "stride": s,
        "padding": p,
        "dilation": d,
        "sizes": json_list(sizes),
    }
    return _question(
        Text(
            en=f"{layer} is applied to an input of {given}. {ask_en}",
            zh=f"{layer} 作用在{given_zh} 的输入上。{ask_zh}",
        ),
        sizes,
        lambda n: conv_output_size(n, k, s, p, d),
        params,
        solution,
        wrong,
    )


# --- transposed convolution -----------------------------------------------------------

_USED_CONV_FORMULA = Text(
    en="That is the ordinary convolution's formula; a transposed convolution runs it "
    "backwards: (n − 1)s − 2p + d(k−1) + output_padding + 1.",
    zh="这是普通卷积的公式；转置卷积把它反过来：(n − 1)s − 2p + d(k−1) + output_padding + 1。",
)
_FORGOT_OUTPUT_PADDING = Text(
    en="output_padding adds that many rows/columns on one side of the output.",
    zh="output_padding 会在输出的一侧再加上相应数量的行/列。",
)
_PADDING_SIGN = Text(
    en="In a transposed convolution padding removes 2p from the output; it does not add it.",
    zh="转置卷积中 padding 会从输出中减去 2p，而不是加上。",
)
_N_TIMES_STRIDE = Text(
    en="The n inputs are s apart, so they span (n − 1)s, not n·s.",
    zh="n 个输入相隔 s，跨度是 (n − 1)s，不是 n·s。",
)


def _conv_transpose_output(draw: Draw) -> Draft:
    dims = draw.int("dims")
    k, s = draw.int("kernel"), draw.int("stride")
    p, d = draw.int("padding"), draw.int("dilation")
    u = draw.uniforms(3)
    # PyTorch requires output_padding < max(stride, dilation)
    op = int(u[0] * max(s, d))
    grow = d * (k - 1) + op - 2 * p  # out = (n − 1)s + grow + 1 must be at least 1
    sizes = [max(n, 2 + max(-grow, 0) // s) for n in _sizes(draw, dims)]
    args = f"{choose(u[1], CHANNELS)}, {choose(u[2], CHANNELS)}, kernel_size={k}, stride={s}"
    args += f", padding={p}"
    args += f", output_padding={op}" if max(s, d) > 1 else ""
    args += f", dilation={d}" if d > 1 else ""
    layer = f"nn.ConvTranspose{dims}d({args})"
    given = f"length {sizes[0]}" if dims == 1 else f"size H×W = {sizes[0]}×{sizes[1]}"
    given_zh = f"长度为 {sizes[0]}" if dims == 1 else f" H×W = {sizes[0]}×{sizes[1]}"
    ask_en, ask_zh = _ask(dims, "length", "长度")
    steps = " ; ".join(
        [
            f"({n} − 1)·{s} − {2 * p} + {d * (k - 1)} + {op} + 1 = "
            f"{conv_transpose_output_size(n, k, s, p, d, op)}"
            for n in sizes
        ]
    )
    solution = (
        Text.same(
            f"n_out = (n − 1)s − 2p + d(k−1) + output_padding + 1 "
            f"= (n − 1)·{s} − 2·{p} + {d}·({k}−1) + {op} + 1"
        ),
        Text.same(steps),
    )
    wrong: list[tuple[str, Text, SizeRule]] = []
    if all(conv_output_size(n, k, s, p, d) >= 1 for n in sizes):  # else no one would try it
        wrong.append(
            ("used-conv-formula", _USED_CONV_FORMULA, lambda n: conv_output_size(n, k, s, p, d))
        )
    if op > 0:
        wrong.append(
            ("forgot-output-padding", _FORGOT_OUTPUT_PADDING, lambda n: (n - 1) * s + grow - op + 1)
        )
    if p > 0:
        wrong.append(("padding-sign", _PADDING_SIGN, lambda n: (n - 1) * s + grow + 4 * p + 1))
    wrong.append(("n-times-stride", _N_TIMES_STRIDE, lambda n: n * s + grow + 1))
    if d > 1:
        wrong.append(
            (
                "ignored-dilation",
                _IGNORED_DILATION,
                lambda n: (n - 1) * s + grow - (d - 1) * (k - 1) + 1,
            )
        )
    params: Params = {
        "dims": dims,
        "kernel": k,
        "stride": s,
        "padding": p,
        "dilation": d,
        "output_padding": op,
        "sizes": json_list(sizes),
    }
    return _question(
        Text(
            en=f"{layer} is applied to an input of {given}. {ask_en}",
            zh=f"{layer} 作用在{given_zh} 的输入上。{ask_zh}",
        ),
        sizes,
        lambda n: (n - 1) * s + grow + 1,
        params,
        solution,
        wrong,
    )


# --- upsampling -----------------------------------------------------------------------

UPSAMPLE_MODES = ("nearest", "bilinear", "PixelShuffle", "PixelUnshuffle")
UPSAMPLE_CHANNELS = (3, 8, 16, 32, 64, 128)

_SCALED_CHANNELS = Text(
    en="Interpolation resizes H and W only; the channels stay as they are.",
    zh="插值只改变 H 和 W；通道数不变。",
)
_SQUARED_SCALE = Text(
    en="Each side is scaled by the factor once; the number of pixels grows by its square.",
    zh="每条边只乘一次缩放因子；像素总数才是乘以它的平方。",
)
_NOT_DIVIDED = Text(
    en="PixelShuffle moves r² channels into each r×r block: the channels are divided by r².",
    zh="PixelShuffle 把 r² 个通道搬到每个 r×r 块里：通道数要除以 r²。",
)
_DIVIDED_BY_R = Text(
    en="Each output pixel block is r×r, which takes r² channels, not r.",
    zh="每个输出像素块是 r×r，需要 r² 个通道，不是 r 个。",
)
_NOT_MULTIPLIED = Text(
    en="PixelUnshuffle stacks each r×r block into channels: the channels grow by r².",
    zh="PixelUnshuffle 把每个 r×r 块堆叠成通道：通道数乘以 r²。",
)
_MULTIPLIED_BY_R = Text(
    en="An r×r block holds r² values, so the channels grow by r², not r.",
    zh="一个 r×r 块有 r² 个值，所以通道数乘以 r²，不是 r。",
)


def _upsample(draw: Draw) -> Draft:
    mode = UPSAMPLE_MODES[draw.int("mode")]
    r = draw.int("scale")
    h, w = draw.int("size"), draw.int("size")
    c = choose(draw.rng.random(), UPSAMPLE_CHANNELS)
    params: Params = {"mode": mode, "scale": r, "channels": c, "height": h, "width": w}
    r2 = r * r
    if mode in ("nearest", "bilinear"):
        layer = f"nn.Upsample(scale_factor={r}, mode='{mode}')"
        given, answer = (c, h, w), (c, r * h, r * w)
        rule = Text(
            en=f"interpolation scales H and W by {r} and keeps the channels",
            zh=f"插值把 H 和 W 各乘以 {r}，通道数不变",
        )
        wrong = [
            mistake("scaled-channels", _SCALED_CHANNELS, (r * c, r * h, r * w)),
            mistake("squared-scale", _SQUARED_SCALE, (c, r2 * h, r2 * w)),
        ]
    elif mode == "PixelShuffle":
        layer = f"nn.PixelShuffle({r})"
        given, answer = (c * r2, h, w), (c, r * h, r * w)
        rule = Text(
            en=f"(C·r², H, W) → (C, rH, rW) with r = {r}: channels ÷ {r2}, H and W × {r}",
            zh=f"(C·r², H, W) → (C, rH, rW)，r = {r}：通道数 ÷ {r2}，H 和 W × {r}",
        )
        wrong = [
            mistake("channels-not-divided", _NOT_DIVIDED, (c * r2, r * h, r * w)),
            mistake("channels-divided-by-r", _DIVIDED_BY_R, (c * r, r * h, r * w)),
            mistake("squared-scale", _SQUARED_SCALE, (c, r2 * h, r2 * w)),
        ]
    else:
        layer = f"nn.PixelUnshuffle({r})"
        given, answer = (c, r * h, r * w), (c * r2, h, w)
        rule = Text(
            en=f"(C, rH, rW) → (C·r², H, W) with r = {r}: channels × {r2}, H and W ÷ {r}",
            zh=f"(C, rH, rW) → (C·r², H, W)，r = {r}：通道数 × {r2}，H 和 W ÷ {r}",
        )
        wrong = [
            mistake("channels-not-multiplied", _NOT_MULTIPLIED, (c, h, w)),
            mistake("channels-multiplied-by-r", _MULTIPLIED_BY_R, (c * r, h, w)),
        ]
    return shape_draft(
        Text(
            en=f"{layer} is applied to a tensor of shape (C, H, W) = {shape_text(given)} (batch "
            "dimension left out). What is the output shape? Answer as (C, H, W).",
            zh=f"{layer} 作用在形状为 (C, H, W) = {shape_text(given)} 的张量上（省略 batch 维）。"
            "输出形状是什么？以 (C, H, W) 作答。",
        ),
        answer,
        params,
        (rule, Text.same(f"{shape_text(given)} → {shape_text(answer)}")),
        wrong,
    )


FAMILIES = (
    Family(
        id="conv-output-shape",
        version=1,
        description="Output length or H×W of a convolution, max pooling or average pooling "
        "(padding, stride, dilation)",
        topic="sequence-models",
        build=_conv_output,
        params={
            "dims": ParamSpec(1, 2, doc="1 a length (Conv1d), 2 height and width (Conv2d)"),
            "size": ParamSpec(20, 224, doc="input length / height / width"),
            "kernel": ParamSpec(1, 7, doc="kernel_size k"),
            "stride": ParamSpec(1, 3, doc="stride s"),
            "padding": ParamSpec(0, 3, doc="padding p"),
            "dilation": ParamSpec(1, 3, doc="dilation d"),
        },
    ),
    Family(
        id="conv-transpose-shape",
        version=1,
        description="Output length or H×W of a transposed convolution (PyTorch, with "
        "output_padding and dilation)",
        topic="deconvolution",
        build=_conv_transpose_output,
        params={
            "dims": ParamSpec(1, 2, doc="1 a length, 2 height and width"),
            "size": ParamSpec(8, 64, doc="input length / height / width"),
            "kernel": ParamSpec(1, 7, doc="kernel_size k"),
            "stride": ParamSpec(1, 4, doc="stride s"),
            "padding": ParamSpec(0, 3, doc="padding p"),
            "dilation": ParamSpec(1, 2, doc="dilation d"),
        },
    ),
    Family(
        id="upsample-shape",
        version=1,
        description="Output shape (C, H, W) of nn.Upsample, nn.PixelShuffle or nn.PixelUnshuffle",
        topic="upsampling",
        build=_upsample,
        params={
            "mode": ParamSpec(0, 3, doc="0 nearest, 1 bilinear, 2 PixelShuffle, 3 PixelUnshuffle"),
            "scale": ParamSpec(2, 4, doc="scale factor / upscale factor r"),
            "size": ParamSpec(4, 64, doc="H and W of the smaller side"),
        },
    ),
)
