"""Parameter and feature counts of two CNN building blocks: the squeeze-and-excitation
block and bilinear pooling (Bilinear CNN)."""

from __future__ import annotations

from quizdl.engine.draw import choose
from quizdl.engine.families._shared import count_draft, mistake
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, ParamSpec
from quizdl.kb.text import Text

# --- squeeze-and-excitation -----------------------------------------------------------

SE_HIDDEN = (4, 8, 16, 32, 64, 128)


def se_block_param_count(channels: int, reduction: int, bias: bool = True) -> int:
    """FC C → C/r and FC C/r → C; the squeeze (global average pooling) has no parameters."""
    hidden = channels // reduction
    return 2 * channels * hidden + ((hidden + channels) if bias else 0)


_SE_FORGOT_BIAS = Text(
    en="You counted only the weights 2C²/r; the FC layers also have C/r and C biases.",
    zh="只算了权重 2C²/r；两个 FC 层还分别有 C/r 和 C 个偏置。",
)
_SE_NO_REDUCTION = Text(
    en="You used C → C → C; the bottleneck has only C/r units.",
    zh="你按 C → C → C 计算了；瓶颈层只有 C/r 个单元。",
)
_SE_ONE_FC = Text(
    en="You counted only the first FC layer; the excitation has two (C → C/r → C).",
    zh="只算了第一个 FC 层；excitation 部分有两个 FC 层（C → C/r → C）。",
)


def _se_block(draw: Draw) -> Draft:
    r = draw.int("reduction")
    hidden = choose(draw.rng.random(), SE_HIDDEN)
    c = r * hidden
    answer = 2 * c * hidden + hidden + c
    prompt = Text(
        en=f"A squeeze-and-excitation (SE) block acts on a feature map with C = {c} channels, "
        f"reduction ratio r = {r}: global average pooling, FC C → C/r, ReLU, FC C/r → C, "
        "sigmoid, then channel-wise rescaling. Both FC layers have biases. "
        "How many learnable parameters does the block add?",
        zh=f"一个 SE（squeeze-and-excitation）模块作用在 C = {c} 个通道的特征图上，降维比 r = {r}："
        "全局平均池化，FC C → C/r，ReLU，FC C/r → C，sigmoid，再逐通道缩放。两个 FC 层都有偏置。"
        "这个模块增加了多少个可学习参数？",
    )
    solution = (
        Text(
            en=f"C/r = {c}/{r} = {hidden}; pooling, ReLU, sigmoid and rescaling have no parameters",
            zh=f"C/r = {c}/{r} = {hidden}；池化、ReLU、sigmoid 和缩放都没有参数",
        ),
        Text.same(
            f"FC₁ + FC₂ = ({c}·{hidden} + {hidden}) + ({hidden}·{c} + {c}) = "
            f"2C²/r + C/r + C = {num(answer)}"
        ),
    )
    mistakes = [
        mistake("forgot-bias", _SE_FORGOT_BIAS, 2 * c * hidden),
        mistake("no-reduction", _SE_NO_REDUCTION, 2 * (c * c + c)),
        mistake("one-fc-layer", _SE_ONE_FC, c * hidden + hidden),
    ]
    return count_draft(prompt, answer, {"channels": c, "reduction": r}, solution, mistakes)


# --- bilinear CNN ---------------------------------------------------------------------

BILINEAR_CHANNELS = (64, 128, 256, 512)
BILINEAR_SIDES = (7, 14, 28)

_CONCATENATED = Text(
    en="You added the channel counts (that is concatenation); bilinear pooling takes the outer "
    "product, C_a·C_b.",
    zh="你把通道数相加了（那是拼接）；双线性池化取外积，维度是 C_a·C_b。",
)
_PER_LOCATION = Text(
    en="You kept one outer product per location; they are pooled (summed) over locations.",
    zh="你为每个位置保留了一个外积；这些外积要在所有位置上求和池化。",
)
_CLASSIFIER_BIAS = Text(
    en="You left out the classifier's biases, one per class.",
    zh="漏掉了分类器的偏置，每个类别一个。",
)


def _bilinear(draw: Draw) -> Draft:
    ask_classifier = draw.int("ask") == 1
    classes = draw.int("classes")
    u = draw.uniforms(4)
    same_network = u[0] < 0.4  # e.g. VGG-16 in both streams: 512 × 512
    c_a = choose(u[1], (256, 512)) if same_network else choose(u[1], BILINEAR_CHANNELS)
    c_b = c_a if same_network else choose(u[2], BILINEAR_CHANNELS)
    side = choose(u[3], BILINEAR_SIDES)
    feature = c_a * c_b
    if same_network:
        streams_en = (
            f"both streams are the same CNN, whose last conv layer gives a {side}×{side}×{c_a} "
            "feature map"
        )
        streams_zh = f"两路是同一个 CNN，其最后一个卷积层输出 {side}×{side}×{c_a} 的特征图"
    else:
        streams_en = (
            f"stream A gives a {side}×{side}×{c_a} feature map and stream B a "
            f"{side}×{side}×{c_b} one"
        )
        streams_zh = f"A 路输出 {side}×{side}×{c_a} 的特征图，B 路输出 {side}×{side}×{c_b} 的特征图"
    setup_en = (
        f"Bilinear CNN: {streams_en}. At every location the two feature vectors form an "
        "outer product; the outer products are sum-pooled over all locations and flattened."
    )
    setup_zh = (
        f"Bilinear CNN：{streams_zh}。在每个位置上两路特征向量做外积，再对所有位置求和池化并展平。"
    )
    step_feature = Text(
        en=f"outer product of a {c_a}-vector and a {c_b}-vector: {c_a}×{c_b} matrix; pooling over "
        f"the {side}×{side} locations keeps its size → {num(feature)} features",
        zh=f"{c_a} 维与 {c_b} 维向量的外积是 {c_a}×{c_b} 矩阵；"
        f"对 {side}×{side} 个位置求和不改变大小 → {num(feature)} 维特征",
    )
    params = {
        "ask": "classifier" if ask_classifier else "feature",
        "c_a": c_a,
        "c_b": c_b,
        "side": side,
        "classes": classes,
    }
    if not ask_classifier:
        return count_draft(
            Text(
                en=setup_en + " How long is the bilinear feature vector?",
                zh=setup_zh + "双线性特征向量有多少维？",
            ),
            feature,
            params,
            (step_feature,),
            [
                mistake("concatenated", _CONCATENATED, c_a + c_b),
                mistake("counted-per-location", _PER_LOCATION, feature * side * side),
            ],
        )
    answer = feature * classes + classes
    return count_draft(
        Text(
            en=setup_en + f" A linear classifier with bias maps it to {classes} classes. "
            "How many learnable parameters does the classifier have?",
            zh=setup_zh + f"之后用一个带偏置的线性分类器映射到 {classes} 个类别。"
            "这个分类器有多少个可学习参数？",
        ),
        answer,
        params,
        (step_feature, Text.same(f"{num(feature)}·{classes} + {classes} = {num(answer)}")),
        [
            mistake("concatenated", _CONCATENATED, (c_a + c_b) * classes + classes),
            mistake("forgot-bias", _CLASSIFIER_BIAS, feature * classes),
            mistake(
                "counted-per-location", _PER_LOCATION, feature * side * side * classes + classes
            ),
        ],
    )


FAMILIES = (
    Family(
        id="se-block-params",
        version=1,
        description="Learnable parameters of a squeeze-and-excitation block (C → C/r → C)",
        topic="se-block",
        build=_se_block,
        params={"reduction": ParamSpec(2, 16, doc="reduction ratio r")},
    ),
    Family(
        id="bilinear-cnn-features",
        version=1,
        description="Bilinear pooling feature size C_a·C_b and its linear classifier's parameters",
        topic="bilinear-cnn",
        build=_bilinear,
        params={
            "ask": ParamSpec(0, 1, doc="0 the feature size, 1 the classifier's parameters"),
            "classes": ParamSpec(10, 500, doc="number of classes"),
        },
    ),
)
