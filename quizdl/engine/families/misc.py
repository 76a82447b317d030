"""The rest of the notes: the sparse-autoencoder KL penalty, t-SNE affinities and perplexity,
volume near the surface of a high-dimensional ball (高维空间数据都是稀疏的), the SVM margin and
hinge loss, loss versus cost (损失函数针对单个样本，代价函数针对整个训练集), and the IoU used to
score instance segmentation.

Builders stay within the speed budget (tens of microseconds): parameters a card may narrow
come from `draw.int`/`draw.float`, every other random number from one `rng.random` call,
fixed texts are built once, and bounded numbers are formatted with `short`."""

from __future__ import annotations

import math

from quizdl.engine.fmt import num
from quizdl.engine.question import (
    Draft,
    Draw,
    Family,
    JSONScalar,
    Mistake,
    ParamSpec,
    distinct_mistakes,
)
from quizdl.kb.text import Text

REL_TOL = 5e-3
ABS_TOL = 1e-9
LN2 = math.log(2.0)
_SIG3 = ("(3 significant figures)", "（保留 3 位有效数字）")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def short(x: float) -> str:
    """The text fmt.num gives for 1e-4 ≤ |x| < 1000 (and 0), four times faster."""
    return f"{x + 0.0:.4g}"  # + 0.0 turns −0.0 into 0.0


def fmt4(x: float) -> str:
    """fmt.num(x), through the fast path when x is in the range where both agree."""
    return f"{x + 0.0:.4g}" if 1e-4 <= abs(x) < 1000 or x == 0 else num(x)


def _p(x: float) -> str:
    """A number ready to be substituted into a formula: negatives in parentheses."""
    return f"({x:.4g})" if x < 0 else f"{x + 0.0:.4g}"


def _tuple(values: list[float]) -> str:
    return "(" + ", ".join([f"{v:.4g}" for v in values]) + ")"


def _json(values: list[float]) -> list[JSONScalar]:
    return [*values]


def _number_draft(
    en: str,
    zh: str,
    answer: float,
    params: dict[str, JSONScalar | list[JSONScalar]],
    solution: tuple[Text, ...],
    mistakes: list[Mistake],
    hint: Text | None = None,
    abs_tol: float = ABS_TOL,
) -> Draft:
    """A number question answered to 3 significant figures."""
    return Draft(
        prompt=Text(en=f"{en} {_SIG3[0]}", zh=f"{zh}{_SIG3[1]}"),
        kind="number",
        answer=answer,
        params=params,
        solution=solution,
        mistakes=distinct_mistakes(answer, mistakes, REL_TOL, abs_tol),
        rel_tol=REL_TOL,
        abs_tol=abs_tol,
        hint=hint,
    )


# ---- sparse autoencoder -------------------------------------------------------------------

_RHOS = (0.01, 0.02, 0.05, 0.1, 0.2)
_BETAS = (1.0, 0.5, 2.0, 3.0)
_KL_FORMULA = Text.same("KL(ρ‖ρ̂) = ρ·ln(ρ/ρ̂) + (1 − ρ)·ln((1 − ρ)/(1 − ρ̂))")
_FIRST_TERM_ONLY = Text(
    en="KL(ρ‖ρ̂) has two terms: the unit is also off with probability 1 − ρ, so add "
    "(1 − ρ)·ln((1 − ρ)/(1 − ρ̂)).",
    zh="KL(ρ‖ρ̂) 有两项：单元还以 1 − ρ 的概率不激活，要加上 (1 − ρ)·ln((1 − ρ)/(1 − ρ̂))。",
)
_SWAPPED = Text(
    en="KL is not symmetric: the penalty is KL(ρ‖ρ̂ⱼ), with the target ρ first; you computed "
    "KL(ρ̂ⱼ‖ρ).",
    zh="KL 不对称：惩罚项是 KL(ρ‖ρ̂ⱼ)，目标 ρ 在前；你算的是 KL(ρ̂ⱼ‖ρ)。",
)
_LOG2 = Text(
    en="That is the penalty in bits (log₂); the question asks for natural logarithms.",
    zh="这是以 2 为底（bit）的结果；题目要求用自然对数。",
)
_FORGOT_BETA = Text(
    en="The penalty is weighted: multiply the sum of the KL terms by β.",
    zh="惩罚项带权重：KL 之和还要乘以 β。",
)


def kl_bernoulli(rho: float, rho_hat: float) -> float:
    """KL(ρ‖ρ̂) between Bernoulli(ρ) and Bernoulli(ρ̂), in nats."""
    return rho * math.log(rho / rho_hat) + (1 - rho) * math.log((1 - rho) / (1 - rho_hat))


def _sparse_ae_kl(draw: Draw) -> Draft:
    units = draw.int("units")
    u = draw.rng.random(units + 2).tolist()
    rho, beta = _RHOS[int(u[0] * 5)], _BETAS[int(u[1] * 4)]
    hats = [round(0.01 + 0.49 * x, 2) for x in u[2:]]
    # ρ̂ = ρ would give KL = 0 and hide the formula
    hats = [round(h + 0.01, 2) if h == rho else h for h in hats]
    kls = [kl_bernoulli(rho, h) for h in hats]
    total = sum(kls)
    answer = beta * total
    mistakes = [
        Mistake(
            "first-term-only", _FIRST_TERM_ONLY, beta * sum(rho * math.log(rho / h) for h in hats)
        ),
        Mistake("swapped-arguments", _SWAPPED, beta * sum(kl_bernoulli(h, rho) for h in hats)),
        Mistake("log-base-2", _LOG2, answer / LN2),
    ]
    if beta != 1.0:
        mistakes.append(Mistake("forgot-beta", _FORGOT_BETA, total))
    shown = f"{hats[0]:g}" if units == 1 else _tuple(hats)
    units_en = (
        "its hidden unit has mean activation"
        if units == 1
        else f"its {units} hidden units have mean activations"
    )
    b = f"{beta:g}"
    return _number_draft(
        en=f"A sparse autoencoder has sparsity target ρ = {rho:g}. Over the training set "
        f"{units_en} ρ̂ = {shown}. With β = {b}, what is the sparsity penalty β·Σⱼ KL(ρ‖ρ̂ⱼ)? "
        "Use natural logarithms.",
        zh=f"稀疏自编码器的稀疏性目标 ρ = {rho:g}。在训练集上，{units} 个隐藏单元的平均激活为 "
        f"ρ̂ = {shown}。取 β = {b}，稀疏惩罚项 β·Σⱼ KL(ρ‖ρ̂ⱼ) 是多少？用自然对数。",
        answer=answer,
        params={"units": units, "rho": rho, "beta": beta, "rho_hat": _json(hats)},
        solution=(
            _KL_FORMULA,
            Text.same(f"KL(ρ‖ρ̂ⱼ) = {_tuple(kls)}"),
            Text.same(f"β·Σⱼ KL = {b} × {short(total)} = {fmt4(answer)}"),
        ),
        mistakes=mistakes,
        hint=_KL_FORMULA,
    )


# ---- t-SNE ----------------------------------------------------------------------------------

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
    u = draw.rng.random(m + 1).tolist()
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
    sub_j = str(j).translate(_SUBSCRIPT)
    d_text = _tuple(ds)
    return _number_draft(
        en=f"In t-SNE, point i has {m} neighbours j = 1…{m} at distances d = {d_text} and "
        f"Gaussian bandwidth σᵢ = {sigma:g}. Normalising over these {m} neighbours, what is "
        f"the conditional probability p{sub_j}|ᵢ?",
        zh=f"t-SNE 中，点 i 有 {m} 个近邻 j = 1…{m}，距离 d = {d_text}，高斯带宽 σᵢ = {sigma:g}。"
        f"在这 {m} 个近邻上归一化，条件概率 p{sub_j}|ᵢ 是多少？",
        answer=answer,
        params={"neighbours": m, "sigma": sigma, "d": _json(ds), "j": j},
        solution=(
            _P_FORMULA,
            Text.same(f"2σᵢ² = {short(two_var)}"),
            Text.same(f"exp(−dᵢₖ²/2σᵢ²) = ({', '.join([fmt4(w) for w in weights])})"),
            Text.same(f"p{sub_j}|ᵢ = {fmt4(weights[j - 1])} / {short(total)} = {fmt4(answer)}"),
        ),
        mistakes=mistakes,
        hint=_P_FORMULA,
        abs_tol=1e-12,
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
        cuts = sorted([smallest + int(x * span) for x in draw.rng.random(parts - 1).tolist()])
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
    p_text = _tuple(ps)
    terms = " + ".join([f"{p:g}·log₂{p:g}" for p in ps])
    return _number_draft(
        en="t-SNE tunes σᵢ so that the conditional distribution Pᵢ has a chosen perplexity. "
        f"For Pᵢ = {p_text} over {m} neighbours, what is Perp(Pᵢ) = 2^H(Pᵢ), with the entropy "
        "H in bits?",
        zh=f"t-SNE 调节 σᵢ，使条件分布 Pᵢ 达到指定的困惑度（perplexity）。{m} 个近邻上的 "
        f"Pᵢ = {p_text}，它的困惑度 Perp(Pᵢ) = 2^H(Pᵢ)（熵 H 以 bit 计）是多少？",
        answer=answer,
        params={"neighbours": m, "p": _json(ps)},
        solution=(
            Text.same(f"H = −({terms})"),
            Text.same(f"H = {short(bits)} bit"),
            Text.same(f"Perp = 2^{short(bits)} = {short(answer)}"),
        ),
        mistakes=mistakes,
    )


# ---- volume in high dimensions ---------------------------------------------------------------

_INNER_PART = Text(
    en="(1 − ε)ᵈ is the inner ball of radius 1 − ε; the shell is what is left.",
    zh="(1 − ε)ᵈ 是半径 1 − ε 的内球；外壳是剩下的部分。",
)
_LINEARISED = Text(
    en="ε·d is only a first-order approximation, good when ε·d ≪ 1.",
    zh="ε·d 只是一阶近似，仅在 ε·d ≪ 1 时成立。",
)
_BALL_VOLUME = Text(
    en="The volume of a d-dimensional ball is proportional to rᵈ.",
    zh="d 维球的体积与 rᵈ 成正比。",
)
_SPARSE = Text(
    en="In high dimensions almost all the volume sits near the surface, so data points are "
    "far apart: high-dimensional data are sparse.",
    zh="高维时几乎所有体积都集中在球面附近，数据点彼此相距很远：高维空间数据都是稀疏的。",
)


def _volume_concentration(draw: Draw) -> Draft:
    d = draw.int("dimension")
    eps = draw.float("epsilon", decimals=2)
    inner = (1 - eps) ** d
    answer = 1 - inner
    r = f"{1 - eps:.2g}"
    mistakes = [
        Mistake("inner-part", _INNER_PART, inner),
        Mistake("linearised", _LINEARISED, eps * d),
    ]
    return _number_draft(
        en=f"What fraction of the volume of a d = {d} dimensional unit ball lies within "
        f"ε = {eps:g} of its surface (at radius between {r} and 1)?",
        zh=f"d = {d} 维单位球的体积中，有多大比例位于离球面 ε = {eps:g} 以内"
        f"（半径在 {r} 与 1 之间）？",
        answer=answer,
        params={"dimension": d, "epsilon": eps},
        solution=(
            _BALL_VOLUME,
            Text.same(f"(1 − ε)ᵈ = {r}{str(d).translate(_SUPERSCRIPT)} = {fmt4(inner)}"),
            Text.same(f"1 − {fmt4(inner)} = {num(answer, 6)}"),
            _SPARSE,
        ),
        mistakes=mistakes,
    )


# ---- SVM --------------------------------------------------------------------------------------

_HALF_MARGIN = Text(
    en="1/‖w‖ is the distance from the boundary to one margin hyperplane; the margin spans "
    "both sides: 2/‖w‖.",
    zh="1/‖w‖ 只是决策边界到一侧间隔超平面的距离；间隔包括两侧：2/‖w‖。",
)
_SQUARED_NORM = Text(
    en="Divide by the norm ‖w‖, not by ‖w‖² (the quantity the SVM minimises).",
    zh="应除以范数 ‖w‖，而不是 ‖w‖²（‖w‖² 是 SVM 最小化的目标）。",
)
_MARGIN_RULE = Text(
    en="margin = 2/‖w‖ (b only shifts the planes)", zh="间隔 = 2/‖w‖（b 只平移超平面）"
)
_HINGE = Text.same("L = max(0, 1 − y(w·x + b))")
_FORGOT_MAX = Text(
    en="1 − y(w·x + b) is negative here: the point lies beyond its margin, and max(0, ·) "
    "makes its loss 0.",
    zh="这里 1 − y(w·x + b) 为负：该点在间隔之外，max(0, ·) 使它的损失为 0。",
)
_IGNORED_LABEL = Text(
    en="The label multiplies the score: 1 − y(w·x + b) with y = −1.",
    zh="标签要乘上得分：1 − y(w·x + b)，这里 y = −1。",
)
_NO_MARGIN = Text(
    en="The hinge loss asks for a margin of 1: max(0, 1 − y(w·x + b)), not max(0, −y(w·x + b)).",
    zh="合页损失要求间隔为 1：max(0, 1 − y(w·x + b))，而不是 max(0, −y(w·x + b))。",
)


def _svm_margin(draw: Draw, dims: int, u: list[float]) -> Draft:
    w = [float(int(x * 9) - 4) for x in u[:dims]]  # integers −4…4
    if not any(w):
        w[0] = 1.0
    b = draw.float("bias", decimals=1)
    norm = math.sqrt(sum([v * v for v in w]))
    answer = 2 / norm
    mistakes = [
        Mistake("half-margin", _HALF_MARGIN, 1 / norm),
        Mistake("squared-norm", _SQUARED_NORM, 2 / (norm * norm)),
    ]
    w_text = _tuple(w)
    squares = " + ".join([f"{_p(v)}²" for v in w])
    return _number_draft(
        en=f"A hard-margin linear SVM has w = {w_text} and b = {short(b)}. How wide is its margin, "
        "the distance between the hyperplanes w·x + b = 1 and w·x + b = −1?",
        zh=f"硬间隔线性 SVM 的 w = {w_text}，b = {short(b)}。它的间隔（超平面 w·x + b = 1 与 "
        "w·x + b = −1 之间的距离）是多少？",
        answer=answer,
        params={"variant": "margin", "dims": dims, "w": _json(w), "b": b},
        solution=(
            _MARGIN_RULE,
            Text.same(f"‖w‖ = √({squares}) = {short(norm)}"),
            Text.same(f"2/{short(norm)} = {short(answer)}"),
        ),
        mistakes=mistakes,
    )


def _svm_hinge(draw: Draw, dims: int, u: list[float]) -> Draft:
    w = [round(-2.0 + 4.0 * x, 1) + 0.0 for x in u[:dims]]  # + 0.0: never −0.0
    x = [float(int(v * 7) - 3) for v in u[dims : 2 * dims]]  # integers −3…3
    y = 1 if u[2 * dims] < 0.5 else -1
    b = draw.float("bias", decimals=1)
    # w·x + b has one decimal; rounding removes float noise such as 0.30000000000000004
    score = round(sum([wi * xi for wi, xi in zip(w, x, strict=True)]) + b, 9) + 0.0
    slack = round(1 - y * score, 9)
    answer = max(0.0, slack)
    mistakes = []
    if slack < 0:
        mistakes.append(Mistake("forgot-max", _FORGOT_MAX, slack))
    if y == -1:
        mistakes.append(Mistake("ignored-label", _IGNORED_LABEL, max(0.0, round(1 - score, 9))))
    mistakes.append(Mistake("no-margin", _NO_MARGIN, max(0.0, round(-y * score, 9))))
    w_text, x_text = _tuple(w), _tuple(x)
    products = " + ".join([f"{_p(wi)}×{_p(xi)}" for wi, xi in zip(w, x, strict=True)])
    return _number_draft(
        en=f"A linear SVM has w = {w_text} and b = {short(b)}. What is the hinge loss of the "
        f"training point x = {x_text} with label y = {y}?",
        zh=f"线性 SVM 的 w = {w_text}，b = {short(b)}。训练样本 x = {x_text}、标签 y = {y} 的"
        "合页损失（hinge loss）是多少？",
        answer=answer,
        params={"variant": "hinge", "dims": dims, "w": _json(w), "b": b, "x": _json(x), "y": y},
        solution=(
            _HINGE,
            Text.same(f"w·x + b = {products} + {_p(b)} = {short(score)}"),
            Text.same(f"L = max(0, 1 − {_p(y)}×{_p(score)}) = {answer:g}"),
        ),
        mistakes=mistakes,
        hint=_HINGE,
        abs_tol=1e-3,
    )


def _svm_margin_hinge(draw: Draw) -> Draft:
    dims = draw.int("dims")
    u = draw.rng.random(2 * dims + 2).tolist()
    if u[-1] < 0.5:
        return _svm_margin(draw, dims, u)
    return _svm_hinge(draw, dims, u)


# ---- loss versus cost --------------------------------------------------------------------------

_SQUARED = (
    "L = (y − ŷ)²",
    Text(en="squared-error loss L = (y − ŷ)²", zh="平方误差损失 L = (y − ŷ)²"),
    ("abs-not-square", Text(en="The squared error squares y − ŷ.", zh="平方误差要把 y − ŷ 平方。")),
)
_CROSS_ENTROPY = (
    "L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
    Text(
        en="binary cross-entropy loss L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
        zh="二元交叉熵损失 L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
    ),
    (
        "forgot-minus",
        Text(
            en="Cross-entropy has a minus sign in front: the loss is never negative.",
            zh="交叉熵前面有负号：损失不会是负数。",
        ),
    ),
)
_COST_NOT_LOSS = Text(
    en="That is the cost, the mean over the training set; the loss is for one sample "
    "(损失函数针对单个样本).",
    zh="这是代价（整个训练集上的平均）；损失函数针对单个样本。",
)
_SUM_NOT_MEAN = Text(
    en="The cost averages the losses: divide their sum by the number of samples m.",
    zh="代价是损失的平均值：总和还要除以样本数 m。",
)
_ONE_SAMPLE = Text(
    en="That is the loss of sample 1 alone; the cost covers the whole training set "
    "(代价函数针对整个训练集).",
    zh="这只是第 1 个样本的损失；代价函数针对整个训练集。",
)


def _loss_vs_cost(draw: Draw) -> Draft:
    m = draw.int("samples")
    u = draw.rng.random(2 * m + 3).tolist()
    squared = u[0] < 0.5
    ask_loss = u[1] < 0.5
    k = 1 + int(u[2] * m)
    if squared:
        ys = [round(-2.0 + 4.0 * v, 1) + 0.0 for v in u[3 : 3 + m]]  # + 0.0: never −0.0
        # ŷ ≠ y, so no loss is 0 and every sample teaches something
        shifts = [round(-1.5 + 3.0 * v, 1) for v in u[3 + m :]]
        preds = [
            round(y + (s if abs(s) >= 0.1 else 0.5), 1) + 0.0
            for y, s in zip(ys, shifts, strict=True)
        ]
        losses = [(y - p) ** 2 for y, p in zip(ys, preds, strict=True)]
        wrong_losses = [abs(y - p) for y, p in zip(ys, preds, strict=True)]
        definition, name, specific = _SQUARED
    else:
        ys = [1.0 if v < 0.5 else 0.0 for v in u[3 : 3 + m]]
        preds = [round(0.05 + 0.9 * v, 2) for v in u[3 + m :]]
        losses = [-math.log(p if y == 1 else 1 - p) for y, p in zip(ys, preds, strict=True)]
        wrong_losses = [-v for v in losses]
        definition, name, specific = _CROSS_ENTROPY
    total = sum(losses)
    cost = total / m
    if ask_loss:
        answer = losses[k - 1]
        question = (f"What is the loss of sample {k}?", f"第 {k} 个样本的损失是多少？")
        asked = (f"the loss of sample {k}", f"第 {k} 个样本的损失")
        mistakes = [
            Mistake("cost-not-loss", _COST_NOT_LOSS, cost),
            Mistake(*specific, wrong_losses[k - 1]),
        ]
    else:
        answer = cost
        question = ("What is the cost J over this training set?", "这个训练集上的代价 J 是多少？")
        asked = ("the cost J", "代价 J")
        mistakes = [
            Mistake("sum-not-mean", _SUM_NOT_MEAN, total),
            Mistake("one-sample-loss", _ONE_SAMPLE, losses[0]),
            Mistake(*specific, sum(wrong_losses) / m),
        ]
    table = "; ".join(
        [f"{i}: y = {y:g}, ŷ = {p:g}" for i, (y, p) in enumerate(zip(ys, preds, strict=True), 1)]
    )
    return _number_draft(
        en=f"A model is trained with the {name.en} on {m} samples ({table}). {question[0]}",
        zh=f"模型在 {m} 个样本上用{name.zh} 训练（{table}）。{question[1]}",
        answer=answer,
        params={
            "samples": m,
            "loss": "squared" if squared else "cross-entropy",
            "ask": "loss" if ask_loss else "cost",
            "k": k,
            "y": _json(ys),
            "y_hat": _json(preds),
        },
        solution=(
            Text.same(definition),
            Text.same(f"L = {_tuple(losses)}"),
            Text.same(f"J = (1/m)·Σ Lᵢ = {short(total)} / {m} = {short(cost)}"),
            Text(
                en=f"Asked: {asked[0]} = {short(answer)}", zh=f"所求：{asked[1]} = {short(answer)}"
            ),
        ),
        mistakes=mistakes,
        abs_tol=1e-4,
    )


# ---- IoU ----------------------------------------------------------------------------------------

_SUM_NOT_UNION = Text(
    en="The union counts the overlap once: |A ∪ B| = |A| + |B| − |A ∩ B|.",
    zh="并集只算一次重叠部分：|A ∪ B| = |A| + |B| − |A ∩ B|。",
)
_DICE = Text(
    en="2|A ∩ B|/(|A| + |B|) is the Dice coefficient; IoU is |A ∩ B|/|A ∪ B|.",
    zh="2|A ∩ B|/(|A| + |B|) 是 Dice 系数；IoU 是 |A ∩ B|/|A ∪ B|。",
)
_OVER_ONE_MASK = Text(
    en="You divided by the area of mask A only; IoU divides by the union.",
    zh="只除以了掩码 A 的面积；IoU 要除以并集。",
)
_PLUS_ONE = Text(
    en="You counted pixels inclusively (width x₂ − x₁ + 1); with continuous corner coordinates "
    "the width is x₂ − x₁.",
    zh="按像素闭区间计数了（宽 = x₂ − x₁ + 1）；连续角点坐标下宽 = x₂ − x₁。",
)


def _iou_solution(inter: int, area_a: int, area_b: int, answer: float) -> tuple[Text, Text]:
    union = area_a + area_b - inter
    return (
        Text.same(f"|A ∪ B| = {area_a} + {area_b} − {inter} = {union}"),
        Text.same(f"IoU = {inter}/{union} = {short(answer)}"),
    )


def _iou_grid(draw: Draw) -> Draft:
    size = draw.int("size")
    cells = size * size
    bits = [1 if x < 0.5 else 0 for x in draw.rng.random(2 * cells).tolist()]
    a, b = bits[:cells], bits[cells:]
    both = [x & y for x, y in zip(a, b, strict=True)]
    if not any(both):
        a[0] = b[0] = both[0] = 1  # a shared pixel, so IoU is not 0 and the mistakes stay distinct
    inter, area_a, area_b = sum(both), sum(a), sum(b)
    answer = inter / (area_a + area_b - inter)
    rows_a = ["".join([str(v) for v in a[r * size : (r + 1) * size]]) for r in range(size)]
    rows_b = ["".join([str(v) for v in b[r * size : (r + 1) * size]]) for r in range(size)]
    grid = "\n".join(
        [f"{' '.join(ra)}    {' '.join(rb)}" for ra, rb in zip(rows_a, rows_b, strict=True)]
    )
    header = "A" + " " * (2 * size + 2) + "B"
    mistakes = [
        Mistake("sum-not-union", _SUM_NOT_UNION, inter / (area_a + area_b)),
        Mistake("dice", _DICE, 2 * inter / (area_a + area_b)),
        Mistake("over-one-mask", _OVER_ONE_MASK, inter / area_a),
    ]
    return _number_draft(
        en=f"Two {size}×{size} binary instance masks (1 = object pixel):\n{header}\n{grid}\n"
        "What is their IoU (intersection over union)?",
        zh=f"两个 {size}×{size} 的二值实例掩码（1 = 目标像素）：\n{header}\n{grid}\n"
        "它们的 IoU（交并比）是多少？",
        answer=answer,
        params={"variant": "grid", "size": size, "a": [*rows_a], "b": [*rows_b]},
        solution=(
            Text.same(f"|A| = {area_a}, |B| = {area_b}, |A ∩ B| = {inter}"),
            *_iou_solution(inter, area_a, area_b, answer),
        ),
        mistakes=mistakes,
    )


def box_iou(a: list[int], b: list[int], pixel_inclusive: bool = False) -> float:
    """IoU of boxes (x₁, y₁, x₂, y₂); `pixel_inclusive` counts x₂ − x₁ + 1 pixels per side."""
    one = 1 if pixel_inclusive else 0
    iw = max(0, min(a[2], b[2]) - max(a[0], b[0]) + one)
    ih = max(0, min(a[3], b[3]) - max(a[1], b[1]) + one)
    inter = iw * ih
    area_a = (a[2] - a[0] + one) * (a[3] - a[1] + one)
    area_b = (b[2] - b[0] + one) * (b[3] - b[1] + one)
    return inter / (area_a + area_b - inter)


def _overlapping_sides(u: list[float]) -> tuple[int, int, int, int]:
    """Along one axis: A starts in 0…5 with side 2…5; B starts from one before A's start up to
    one before A's end, with side 2…5, so the two always overlap. (a₁, a₂, b₁, b₂)."""
    start_a, side_a = int(u[0] * 6), 2 + int(u[1] * 4)
    start_b = max(0, start_a - 1 + int(u[2] * (side_a + 1)))
    return start_a, start_a + side_a, start_b, start_b + 2 + int(u[3] * 4)


def _iou_boxes(draw: Draw) -> Draft:
    u = draw.rng.random(8).tolist()
    ax1, ax2, bx1, bx2 = _overlapping_sides(u[:4])
    ay1, ay2, by1, by2 = _overlapping_sides(u[4:])
    a, b = [ax1, ay1, ax2, ay2], [bx1, by1, bx2, by2]
    iw, ih = min(ax2, bx2) - max(ax1, bx1), min(ay2, by2) - max(ay1, by1)
    inter = iw * ih
    area_a, area_b = (ax2 - ax1) * (ay2 - ay1), (bx2 - bx1) * (by2 - by1)
    answer = inter / (area_a + area_b - inter)
    mistakes = [
        Mistake("sum-not-union", _SUM_NOT_UNION, inter / (area_a + area_b)),
        Mistake("dice", _DICE, 2 * inter / (area_a + area_b)),
        Mistake("plus-one-convention", _PLUS_ONE, box_iou(a, b, pixel_inclusive=True)),
    ]
    a_text, b_text = f"({ax1}, {ay1}, {ax2}, {ay2})", f"({bx1}, {by1}, {bx2}, {by2})"
    return _number_draft(
        en="Two boxes in continuous corner coordinates (x₁, y₁, x₂, y₂), width x₂ − x₁: "
        f"A = {a_text}, B = {b_text}. What is their IoU (intersection over union)?",
        zh="两个框用连续角点坐标 (x₁, y₁, x₂, y₂) 表示，宽为 x₂ − x₁："
        f"A = {a_text}，B = {b_text}。它们的 IoU（交并比）是多少？",
        answer=answer,
        params={"variant": "box", "a": [*a], "b": [*b]},
        solution=(
            Text.same(f"|A ∩ B| = {iw} × {ih} = {inter}, |A| = {area_a}, |B| = {area_b}"),
            *_iou_solution(inter, area_a, area_b, answer),
        ),
        mistakes=mistakes,
    )


def _mask_iou(draw: Draw) -> Draft:
    return _iou_grid(draw) if draw.rng.random() < 0.5 else _iou_boxes(draw)


FAMILIES = (
    Family(
        id="sparse-ae-kl",
        version=1,
        description="Sparse-autoencoder penalty β·Σ KL(ρ‖ρ̂ⱼ) for a few hidden units",
        topic="sparse-autoencoder",
        build=_sparse_ae_kl,
        params={"units": ParamSpec(1, 4, doc="hidden units in the sum")},
    ),
    Family(
        id="tsne-conditional",
        version=1,
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
    Family(
        id="volume-concentration",
        version=1,
        description="Fraction of a d-dimensional unit ball's volume within ε of its surface",
        topic="notes",
        build=_volume_concentration,
        params={
            "dimension": ParamSpec(2, 60, doc="dimension d"),
            "epsilon": ParamSpec(0.01, 0.1, integer=False, doc="shell thickness ε"),
        },
    ),
    Family(
        id="svm-margin-hinge",
        version=1,
        description="SVM margin 2/‖w‖ or the hinge loss of one point",
        topic="deep-learning",
        build=_svm_margin_hinge,
        params={
            "dims": ParamSpec(2, 3, doc="dimension of w"),
            "bias": ParamSpec(-2.0, 2.0, integer=False, doc="the bias b"),
        },
    ),
    Family(
        id="loss-vs-cost",
        version=1,
        description="Loss of one sample versus cost over the training set",
        topic="deep-learning",
        build=_loss_vs_cost,
        params={"samples": ParamSpec(3, 5, doc="training samples m")},
    ),
    Family(
        id="mask-iou",
        version=1,
        description="IoU of two binary masks or two boxes (instance segmentation)",
        topic="deep-learning",
        build=_mask_iou,
        params={"size": ParamSpec(4, 6, doc="side of the mask grid")},
    ),
)
