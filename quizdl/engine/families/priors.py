"""Priors as penalties: MAP with a Gaussian prior is L2 (ridge), with a Laplace prior L1.

For y = w·x + ε, ε ~ N(0, σ²), the negative log posterior times 2σ² is
Σ(y − wx)² + 2σ²·(−log p(w)) + const: the penalty weight λ follows from the prior.
"""

from __future__ import annotations

import math

from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.families._shared import THREE_SIG
from quizdl.engine.fmt import num
from quizdl.engine.question import (
    Draft,
    Draw,
    Family,
    JSONScalar,
    Mistake,
    ParamSpec,
    json_list,
    make_draft,
)
from quizdl.kb.text import Text

ABS_TOL = 5e-4


# --- Gaussian prior ⇔ L2 ------------------------------------------------------------------

STD_NOT_VARIANCE = Text(
    en="That is a ratio of standard deviations; λ = σ²/τ² is a ratio of variances.",
    zh="这是标准差之比；λ = σ²/τ² 是方差之比。",
)
INVERTED_L2 = Text(
    en="That is upside down (τ²/σ²): a wider prior (larger τ) must mean a weaker penalty.",
    zh="这里上下颠倒了（τ²/σ²）：先验越宽（τ 越大），正则应越弱。",
)
FACTOR_TWO_L2 = Text(
    en="The ½ factors cancel: −log posterior = Σ(y − wx)²/(2σ²) + w²/(2τ²) + const; "
    "multiplying by 2σ² gives λ = σ²/τ², not σ²/(2τ²).",
    zh="两个 ½ 会相互抵消：−log 后验 = Σ(y − wx)²/(2σ²) + w²/(2τ²) + 常数；"
    "乘以 2σ² 得到 λ = σ²/τ²，而不是 σ²/(2τ²)。",
)
L2_SETUP = Text(
    en="Model y = w·x + ε with noise ε ~ N(0, σ²) and a Gaussian prior w ~ N(0, τ²). "
    "MAP estimation of w is then the same as minimising Σᵢ(yᵢ − w·xᵢ)² + λw².",
    zh="模型 y = w·x + ε，噪声 ε ~ N(0, σ²)，权重的高斯先验 w ~ N(0, τ²)。"
    "此时对 w 做 MAP 估计等价于最小化 Σᵢ(yᵢ − w·xᵢ)² + λw²。",
)
L2_DERIVATION = Text.same("−log p(w|D) = Σᵢ(yᵢ − w·xᵢ)²/(2σ²) + w²/(2τ²) + const")
ASK_LAMBDA = Text(en="What is λ?", zh="λ 是多少？")
ASK_TAU = Text(
    en="What prior standard deviation τ gives this λ?",
    zh="先验标准差 τ 取多少时得到这个 λ？",
)
L2_MULTIPLY = Text(
    en="Multiply by 2σ²: Σᵢ(yᵢ − w·xᵢ)² + (σ²/τ²)·w², so λ = σ²/τ²",
    zh="乘以 2σ²：Σᵢ(yᵢ − w·xᵢ)² + (σ²/τ²)·w²，所以 λ = σ²/τ²",
)
L2_SOLVE_TAU = Text(
    en="Multiply by 2σ²: λ = σ²/τ², so τ = σ/√λ",
    zh="乘以 2σ²：λ = σ²/τ²，所以 τ = σ/√λ",
)
L2_HINT = Text(
    en="Write the negative log posterior and multiply it by 2σ².",
    zh="写出负对数后验，再整体乘以 2σ²。",
)


def _gaussian_prior_question(draw: Draw) -> Draft:
    sigma = draw.float("sigma", decimals=1)
    if draw.rng.random() < 0.5:
        tau = draw.float("tau", decimals=1)
        for _ in range(3):  # σ = τ makes λ = 1 and hides two of the mistakes
            if tau != sigma:
                break
            tau = draw.float("tau", decimals=1)
        answer = sigma**2 / tau**2
        wrong = (sigma / tau, tau**2 / sigma**2, sigma**2 / (2 * tau**2))
        given = f"σ = {num(sigma)}, τ = {num(tau)}"
        ask = ASK_LAMBDA
        steps = (
            L2_MULTIPLY,
            Text.same(f"λ = {num(sigma)}² / {num(tau)}² = {num(answer)}"),
        )
        params: dict[str, JSONScalar] = {"ask": "lambda", "sigma": sigma, "tau": tau}
    else:
        lam = draw.float("lam", decimals=2)
        tau = sigma / math.sqrt(lam)
        answer = tau
        # The τ each wrong formula for λ would give: σ/τ = λ, τ²/σ² = λ, σ²/(2τ²) = λ.
        wrong = (sigma / lam, sigma * math.sqrt(lam), sigma / math.sqrt(2 * lam))
        given = f"σ = {num(sigma)}, λ = {num(lam)}"
        ask = ASK_TAU
        steps = (
            L2_SOLVE_TAU,
            Text.same(f"τ = {num(sigma)} / √{num(lam)} = {num(answer)}"),
        )
        params = {"ask": "tau", "sigma": sigma, "lam": lam}
    mistakes = [
        Mistake("std-not-variance", STD_NOT_VARIANCE, wrong[0]),
        Mistake("inverted", INVERTED_L2, wrong[1]),
        Mistake("factor-two", FACTOR_TWO_L2, wrong[2]),
    ]
    return make_draft(
        prompt=Text(
            en=f"{L2_SETUP.en} Given {given}: {ask.en} {THREE_SIG.en}",
            zh=f"{L2_SETUP.zh}已知 {given}：{ask.zh}{THREE_SIG.zh}",
        ),
        kind="number",
        answer=answer,
        params=params,
        solution=(L2_DERIVATION, *steps),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=L2_HINT,
    )


# --- Laplace prior ⇔ L1 -------------------------------------------------------------------

GAUSSIAN_ANALOGY = Text(
    en="That copies the Gaussian-prior result σ²/τ² with b for τ; for a Laplace prior "
    "−log p(w) = |w|/b + const, so λ = 2σ²/b.",
    zh="这是照搬高斯先验的 σ²/τ²（把 b 当作 τ）；拉普拉斯先验的 −log p(w) = |w|/b + 常数，"
    "所以 λ = 2σ²/b。",
)
FORGOT_TWO_L1 = Text(
    en="The 2 does not cancel here: only the likelihood has a ½, so multiplying "
    "Σ(y − wx)²/(2σ²) + |w|/b by 2σ² gives λ = 2σ²/b.",
    zh="这里的 2 不会抵消：只有似然项带 ½，把 Σ(y − wx)²/(2σ²) + |w|/b 乘以 2σ² 得 λ = 2σ²/b。",
)
INVERTED_L1 = Text(
    en="That is upside down: a wider prior (larger b) must mean a weaker penalty, λ = 2σ²/b.",
    zh="上下颠倒了：先验越宽（b 越大），正则应越弱，λ = 2σ²/b。",
)
L1_SETUP = Text(
    en="Model y = w·x + ε with noise ε ~ N(0, σ²) and a Laplace prior "
    "p(w) = exp(−|w|/b)/(2b). MAP estimation of w is then the same as minimising "
    "Σᵢ(yᵢ − w·xᵢ)² + λ|w|.",
    zh="模型 y = w·x + ε，噪声 ε ~ N(0, σ²)，权重的拉普拉斯先验 p(w) = exp(−|w|/b)/(2b)。"
    "此时对 w 做 MAP 估计等价于最小化 Σᵢ(yᵢ − w·xᵢ)² + λ|w|。",
)
L1_DERIVATION = Text.same("−log p(w|D) = Σᵢ(yᵢ − w·xᵢ)²/(2σ²) + |w|/b + const")
L1_MULTIPLY = Text(
    en="Multiply by 2σ²: Σᵢ(yᵢ − w·xᵢ)² + (2σ²/b)·|w|, so λ = 2σ²/b",
    zh="乘以 2σ²：Σᵢ(yᵢ − w·xᵢ)² + (2σ²/b)·|w|，所以 λ = 2σ²/b",
)

SPARSITY_QUESTION = Text(
    en="For MAP estimation of linear-model weights, which prior tends to drive many weights "
    "exactly to zero (a sparse solution)?",
    zh="对线性模型的权重做 MAP 估计时，哪种先验倾向于让许多权重恰好为 0（稀疏解）？",
)
# (mistake id, option, what the mistake means); the right option first, no mistake id.
# The order shown is shuffled per question.
SPARSITY_OPTIONS: tuple[tuple[str, Text, Text | None], ...] = (
    (
        "",
        Text(
            en="A Laplace prior, i.e. an L1 penalty λ|w|",
            zh="拉普拉斯先验，即 L1 正则 λ|w|",
        ),
        None,
    ),
    (
        "gaussian-prior",
        Text(
            en="A Gaussian prior, i.e. an L2 penalty λw²",
            zh="高斯先验，即 L2 正则 λw²",
        ),
        Text(
            en="A Gaussian prior (L2) shrinks weights towards zero but its penalty has zero "
            "slope at 0, so weights almost never become exactly zero.",
            zh="高斯先验（L2）会把权重往 0 收缩，但其惩罚项在 0 处斜率为 0，权重几乎不会恰好为 0。",
        ),
    ),
    (
        "flat-prior",
        Text(
            en="A flat (uniform) prior, i.e. no penalty",
            zh="平坦（均匀）先验，即不加正则",
        ),
        Text(
            en="A flat prior adds no penalty: MAP is then plain maximum likelihood (least "
            "squares), which gives no sparsity.",
            zh="平坦先验不带来任何惩罚：MAP 退化为最大似然（最小二乘），不会产生稀疏。",
        ),
    ),
    (
        "prior-irrelevant",
        Text(
            en="None: the prior never changes which weights are zero",
            zh="都不会：先验从不影响哪些权重为 0",
        ),
        Text(
            en="The prior does matter: the Laplace prior's L1 penalty has a kink at 0 that "
            "holds small weights exactly at zero.",
            zh="先验是有影响的：拉普拉斯先验对应的 L1 惩罚在 0 处有尖点，会把小权重压到恰好为 0。",
        ),
    ),
)
KEYS = ("a", "b", "c", "d")


def _sparsity_question(draw: Draw) -> Draft:
    order = [int(i) for i in draw.rng.permutation(len(SPARSITY_OPTIONS)).tolist()]
    choices = tuple([(KEYS[pos], SPARSITY_OPTIONS[option][1]) for pos, option in enumerate(order)])
    key_of = {option: KEYS[pos] for pos, option in enumerate(order)}
    mistakes = tuple(
        [
            Mistake(SPARSITY_OPTIONS[option][0], label, key_of[option])
            for option in range(1, len(SPARSITY_OPTIONS))
            if (label := SPARSITY_OPTIONS[option][2]) is not None
        ]
    )
    return Draft(
        prompt=SPARSITY_QUESTION,
        kind="choice",
        answer=key_of[0],
        params={"ask": "sparsity", "order": json_list(order)},
        solution=(
            Text(
                en="Laplace prior: −log p(w) = |w|/b + const, an L1 penalty λ|w|.",
                zh="拉普拉斯先验：−log p(w) = |w|/b + 常数，即 L1 惩罚 λ|w|。",
            ),
            Text(
                en="|w| has a kink at 0: its subgradient [−λ, λ] absorbs small data gradients, "
                "so those weights stay exactly 0. The Gaussian prior's λw² has zero slope at 0.",
                zh="|w| 在 0 处有尖点，次梯度 [−λ, λ] 能吸收较小的数据梯度，"
                "于是这些权重恰好停在 0；高斯先验的 λw² 在 0 处斜率为 0，不会产生稀疏。",
            ),
        ),
        mistakes=mistakes,
        choices=choices,
    )


LAPLACE_HINT = Text(
    en="−log of exp(−|w|/b)/(2b) is |w|/b + log 2b; then multiply everything by 2σ².",
    zh="exp(−|w|/b)/(2b) 取负对数得 |w|/b + log 2b；再整体乘以 2σ²。",
)


def _laplace_prior_question(draw: Draw) -> Draft:
    if draw.rng.random() < 0.25:
        return _sparsity_question(draw)
    sigma = draw.float("sigma", decimals=1)
    scale = draw.float("scale", decimals=1)
    answer = 2 * sigma**2 / scale
    mistakes = [
        Mistake("gaussian-analogy", GAUSSIAN_ANALOGY, sigma**2 / scale**2),
        Mistake("forgot-factor-two", FORGOT_TWO_L1, sigma**2 / scale),
        Mistake("inverted", INVERTED_L1, scale / (2 * sigma**2)),
    ]
    given = f"σ = {num(sigma)}, b = {num(scale)}"
    return make_draft(
        prompt=Text(
            en=f"{L1_SETUP.en} Given {given}: what is λ? {THREE_SIG.en}",
            zh=f"{L1_SETUP.zh}已知 {given}：λ 是多少？{THREE_SIG.zh}",
        ),
        kind="number",
        answer=answer,
        params={"ask": "lambda", "sigma": sigma, "scale": scale},
        solution=(
            L1_DERIVATION,
            L1_MULTIPLY,
            Text.same(f"λ = 2 × {num(sigma)}² / {num(scale)} = {num(answer)}"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=LAPLACE_HINT,
    )


# --- ridge regression in 1-D --------------------------------------------------------------

FORGOT_LAMBDA = Text(
    en="That is the ordinary least-squares slope Σxy/Σx²; the penalty λw² adds λ to the "
    "denominator.",
    zh="这是普通最小二乘的斜率 Σxy/Σx²；惩罚项 λw² 会在分母上加 λ。",
)
LAMBDA_IN_NUMERATOR = Text(
    en="λ belongs in the denominator: setting the derivative −2Σx(y − wx) + 2λw to zero "
    "gives w(Σx² + λ) = Σxy.",
    zh="λ 应在分母：令导数 −2Σx(y − wx) + 2λw = 0，得 w(Σx² + λ) = Σxy。",
)
LAMBDA_TIMES_N = Text(
    en="The loss here is a sum, not a mean, and the penalty is added once: the denominator is "
    "Σx² + λ, not Σx² + nλ.",
    zh="这里的损失是求和而不是平均，惩罚只加一次：分母是 Σx² + λ，而不是 Σx² + nλ。",
)


RIDGE_HINT = Text(
    en="Differentiate the penalised loss with respect to w and set it to zero.",
    zh="对带惩罚的损失关于 w 求导并令其为 0。",
)


def _ridge_question(draw: Draw) -> Draft:
    n = draw.int("points")
    lam = draw.float("lam", decimals=1)
    # One vector draw: x in −3…4 and y in −6…8, coded together per point.
    codes = [int(v * 8 * 15) for v in draw.uniforms(n)]
    xs = [c % 8 - 3 for c in codes]
    ys = [c // 8 - 6 for c in codes]
    if not any(xs):  # Σx² = 0 leaves nothing to fit
        xs[0] = 1
    sxy = sum([x * y for x, y in zip(xs, ys, strict=True)])
    if sxy == 0:  # w = 0 whatever λ is: move one y so that the data carry a slope
        i = next(i for i, x in enumerate(xs) if x)
        ys[i] += 1
        sxy += xs[i]
    sxx = sum([x * x for x in xs])
    answer = sxy / (sxx + lam)
    mistakes = [
        Mistake("forgot-lambda", FORGOT_LAMBDA, sxy / sxx),
        Mistake("lambda-in-numerator", LAMBDA_IN_NUMERATOR, (sxy + lam) / sxx),
        Mistake("lambda-times-n", LAMBDA_TIMES_N, sxy / (sxx + n * lam)),
    ]
    points = ", ".join([f"({num(x)}, {num(y)})" for x, y in zip(xs, ys, strict=True)])
    lam_text = num(lam)
    return make_draft(
        prompt=Text(
            en=f"Ridge regression without intercept, y ≈ w·x, minimises Σᵢ(yᵢ − w·xᵢ)² + λw² "
            f"with λ = {lam_text}. For the points (x, y) = {points}, what is w? "
            f"{THREE_SIG.en}",
            zh=f"不带截距的岭回归 y ≈ w·x，最小化 Σᵢ(yᵢ − w·xᵢ)² + λw²，λ = {lam_text}。"
            f"对数据点 (x, y) = {points}，w 是多少？{THREE_SIG.zh}",
        ),
        kind="number",
        answer=answer,
        params={"points": n, "lam": lam, "x": json_list(xs), "y": json_list(ys)},
        solution=(
            Text(
                en="Set the derivative to zero: −2Σx(y − wx) + 2λw = 0 ⇒ w = Σxy / (Σx² + λ)",
                zh="令导数为 0：−2Σx(y − wx) + 2λw = 0 ⇒ w = Σxy / (Σx² + λ)",
            ),
            Text.same(f"Σxy = {num(sxy)},  Σx² = {sxx}"),
            Text.same(f"w = {num(sxy)} / ({sxx} + {lam_text}) = {num(answer)}"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=RIDGE_HINT,
    )


FAMILIES = (
    Family(
        id="gaussian-prior-l2",
        version=1,
        description="MAP with a Gaussian prior as an L2 penalty: λ = σ²/τ² (or τ from λ)",
        topic="meta-learning",
        build=_gaussian_prior_question,
        params={
            "sigma": ParamSpec(0.5, 3.0, integer=False, doc="noise standard deviation σ"),
            "tau": ParamSpec(0.5, 3.0, integer=False, doc="prior standard deviation τ"),
            "lam": ParamSpec(0.1, 4.0, integer=False, doc="penalty weight λ (ask-τ variant)"),
        },
    ),
    Family(
        id="laplace-prior-l1",
        version=1,
        description="MAP with a Laplace prior as an L1 penalty: λ = 2σ²/b; which prior is sparse",
        topic="meta-learning",
        build=_laplace_prior_question,
        params={
            "sigma": ParamSpec(0.5, 3.0, integer=False, doc="noise standard deviation σ"),
            "scale": ParamSpec(0.5, 3.0, integer=False, doc="Laplace scale b"),
        },
    ),
    Family(
        id="ridge-1d",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="1-D ridge regression without intercept: w = Σxy / (Σx² + λ)",
        topic="meta-learning",
        build=_ridge_question,
        params={
            "points": ParamSpec(3, 5, doc="number of data points"),
            "lam": ParamSpec(0.5, 5.0, integer=False, doc="penalty weight λ"),
        },
    ),
)
