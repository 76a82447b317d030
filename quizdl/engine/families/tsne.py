"""t-SNE: the conditional probability pⱼ|ᵢ from distances and the Gaussian bandwidth σᵢ, and
the perplexity 2^H(Pᵢ) that σᵢ is tuned to."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import LN2, sig3, sig3_draft
from quizdl.engine.fmt import num, subscript, vec
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, json_list
from quizdl.kb.text import Text

_P_FORMULA = Text.same("pⱼ|ᵢ = exp(−dᵢⱼ²/2σᵢ²) / Σₖ exp(−dᵢₖ²/2σᵢ²)")
_FORGOT_2 = Text(
    en="The Gaussian kernel divides by 2σᵢ², not σᵢ².",
    zh="高斯核的分母是 2σᵢ²，不是 σᵢ²。",
)
_NOT_SQUARED = Text(
    en="The kernel uses the squared distance dᵢⱼ², not dᵢⱼ.",
    zh="高斯核里用的是距离的平方 dᵢⱼ²，不是 dᵢⱼ。",
)
_UNNORMALISED = Text(
    en="That is the kernel value alone; divide by the sum over all neighbours k.",
    zh="这只是核函数的值；还要除以对所有近邻 k 的求和。",
)


def _share(weights: list[float], index: int) -> float:
    return weights[index] / sum(weights)


def _tsne_conditional(draw: Draw) -> Draft:
    m = draw.int("neighbours")
    sigma = draw.float("sigma", decimals=1)
    u = draw.uniforms(m + 1)
    ds = [round(0.2 + 2.8 * x, 2) for x in u[:m]]
    j = 1 + int(u[m] * m)
    var = sigma * sigma
    two_var = 2 * var
    weights = [math.exp(-d * d / two_var) for d in ds]
    total = sum(weights)
    answer = weights[j - 1] / total
    mistakes = [
        Mistake("forgot-2", _FORGOT_2, _share([math.exp(-d * d / var) for d in ds], j - 1)),
        Mistake(
            "distance-not-squared",
            _NOT_SQUARED,
            _share([math.exp(-d / two_var) for d in ds], j - 1),
        ),
        Mistake("unnormalised", _UNNORMALISED, weights[j - 1]),
    ]
    sub_j = subscript(j)
    d_text = vec(ds)
    return sig3_draft(
        sig3(
            f"In t-SNE, point i has {m} neighbours j = 1…{m} at distances d = {d_text} and "
            f"Gaussian bandwidth σᵢ = {sigma:g}. Normalising over these {m} neighbours, what is "
            f"the conditional probability p{sub_j}|ᵢ?",
            f"t-SNE 中，点 i 有 {m} 个近邻 j = 1…{m}，距离 d = {d_text}，高斯带宽 σᵢ = {sigma:g}。"
            f"在这 {m} 个近邻上归一化，条件概率 p{sub_j}|ᵢ 是多少？",
        ),
        "number",
        answer,
        {"neighbours": m, "sigma": sigma, "d": json_list(ds), "j": j},
        (
            _P_FORMULA,
            Text.same(f"2σᵢ² = {num(two_var)}"),
            Text.same(f"exp(−dᵢₖ²/2σᵢ²) = {vec(weights)}"),
            Text.same(f"p{sub_j}|ᵢ = {num(weights[j - 1])} / {num(total)} = {num(answer)}"),
        ),
        mistakes,
        abs_tol=1e-12,
        hint=_P_FORMULA,
    )


_ENTROPY_NOT_PERPLEXITY = Text(
    en="That is the entropy H in bits; the perplexity is 2^H.",
    zh="这是以 bit 计的熵 H；困惑度是 2^H。",
)
_NATS_THEN_2 = Text(
    en="You took H with natural logs (nats) and then raised 2 to it: use bits with 2^H, or "
    "nats with e^H.",
    zh="H 用自然对数（nat）算，却取了 2^H：bit 配 2^H，nat 配 e^H。",
)
_BITS_THEN_E = Text(
    en="You took H in bits and then raised e to it: use bits with 2^H, or nats with e^H.",
    zh="H 用 bit 算，却取了 e^H：bit 配 2^H，nat 配 e^H。",
)
_NEIGHBOUR_COUNT = Text(
    en="That is the number of neighbours; it equals the perplexity only when all of them are "
    "equally likely.",
    zh="这是近邻的个数；只有所有近邻概率相等时，它才等于困惑度。",
)


def percent_split(draw: Draw, parts: int, smallest: int = 2) -> list[int]:
    """`parts` whole percentages, each at least `smallest`, summing to 100."""
    span = 101 - 2 * smallest
    while True:
        cuts = sorted([smallest + int(x * span) for x in draw.uniforms(parts - 1)])
        pieces = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        if min(pieces) >= smallest:
            return pieces


def _tsne_perplexity(draw: Draw) -> Draft:
    m = draw.int("neighbours")
    ps = [c / 100 for c in percent_split(draw, m)]
    bits = -sum([p * math.log2(p) for p in ps])
    answer = 2.0**bits
    mistakes = [
        Mistake("entropy-not-perplexity", _ENTROPY_NOT_PERPLEXITY, bits),
        Mistake("nats-then-2", _NATS_THEN_2, 2.0 ** (bits * LN2)),
        Mistake("bits-then-e", _BITS_THEN_E, math.exp(bits)),
        Mistake("neighbour-count", _NEIGHBOUR_COUNT, float(m)),
    ]
    p_text = vec(ps)
    terms = " + ".join([f"{p:g}·log₂{p:g}" for p in ps])
    return sig3_draft(
        sig3(
            "t-SNE tunes σᵢ so that the conditional distribution Pᵢ has a chosen perplexity. "
            f"For Pᵢ = {p_text} over {m} neighbours, what is Perp(Pᵢ) = 2^H(Pᵢ), with the "
            "entropy H in bits?",
            f"t-SNE 调节 σᵢ，使条件分布 Pᵢ 达到指定的困惑度（perplexity）。{m} 个近邻上的 "
            f"Pᵢ = {p_text}，它的困惑度 Perp(Pᵢ) = 2^H(Pᵢ)（熵 H 以 bit 计）是多少？",
        ),
        "number",
        answer,
        {"neighbours": m, "p": json_list(ps)},
        (
            Text.same(f"H = −({terms})"),
            Text.same(f"H = {num(bits)} bit"),
            Text.same(f"Perp = 2^{num(bits)} = {num(answer)}"),
        ),
        mistakes,
        abs_tol=1e-9,
    )


FAMILIES = (
    Family(
        id="tsne-conditional",
        # 2: a sum of kernel values below 10⁻⁴ is written 3.305×10^-5 like the rest, not 3.305e-05
        # 3: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        version=3,
        description="t-SNE conditional probability pⱼ|ᵢ from distances and σᵢ",
        topic="t-sne",
        build=_tsne_conditional,
        params={
            "neighbours": ParamSpec(3, 5, doc="neighbours of point i"),
            "sigma": ParamSpec(0.5, 2.0, integer=False, doc="Gaussian bandwidth σᵢ"),
        },
    ),
    Family(
        id="tsne-perplexity",
        version=1,
        description="Perplexity 2^H (H in bits) of a t-SNE conditional distribution",
        topic="t-sne",
        build=_tsne_perplexity,
        params={"neighbours": ParamSpec(3, 5, doc="outcomes of Pᵢ")},
    ),
)
