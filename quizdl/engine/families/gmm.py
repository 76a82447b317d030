"""Gaussian mixture models in 1-D: E-step responsibilities and one full EM iteration."""

from __future__ import annotations

from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.families._shared import normal_pdf
from quizdl.engine.fmt import num, vec
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

SUB = ("₀", "₁", "₂", "₃")
STDS = (0.5, 1.0, 1.5, 2.0)
STD_TEXT = ("0.5", "1", "1.5", "2")
# Mixture weights in tenths, every component at least 0.2 so none is negligible.
WEIGHTS_2 = tuple([(a, 10 - a) for a in range(2, 9)])
WEIGHTS_3 = tuple([(a, b, 10 - a - b) for a in range(2, 7) for b in range(2, 9 - a)])


def responsibilities(
    x: float, weights: list[float], means: list[float], stds: list[float]
) -> tuple[float, ...]:
    """γₖ = πₖ N(x|μₖ,σₖ) / Σⱼ πⱼ N(x|μⱼ,σⱼ)."""
    joint = [w * normal_pdf(x, m, s) for w, m, s in zip(weights, means, stds, strict=True)]
    total = sum(joint)
    return tuple([j / total for j in joint])


def _tuple_text(items: list[str]) -> str:
    return "(" + ", ".join(items) + ")"


FORGOT_WEIGHTS = Text(
    en="That treats the components as equally likely; multiply each density by its mixture "
    "weight πₖ before normalising.",
    zh="这相当于把各分量当作等权重；归一化之前要先把每个密度乘上它的混合权重 πₖ。",
)
VARIANCE_AS_STD = Text(
    en="That uses σ² where the standard deviation σ belongs; "
    "N(x|μ,σ) = exp(−(x−μ)²/(2σ²)) / (σ√(2π)) with σ as given.",
    zh="这里把 σ² 当成了标准差；题目给的是标准差 σ，N(x|μ,σ) = exp(−(x−μ)²/(2σ²)) / (σ√(2π))。",
)
UNNORMALISED = Text(
    en="That is πₖ·N(x|μₖ,σₖ) itself; divide by the sum over all components so that the "
    "responsibilities add up to 1.",
    zh="这只是 πₖ·N(x|μₖ,σₖ)；还要除以所有分量之和，使责任度加起来等于 1。",
)
RESPONSIBILITY_FORMULA = Text.same(
    "γₖ = πₖ N(x|μₖ,σₖ) / Σⱼ πⱼ N(x|μⱼ,σⱼ),  N(x|μ,σ) = exp(−(x−μ)²/(2σ²)) / (σ√(2π))"
)
E_STEP_HINT = Text(
    en="E-step: weight each component's density by πₖ, then normalise.",
    zh="E 步：用 πₖ 加权每个分量的密度，再归一化。",
)


def _responsibility_question(draw: Draw) -> Draft:
    k = draw.int("components")
    # One vector draw for everything else (far cheaper than one generator call per value):
    # u[0] weights, u[1] first mean, u[2] x, u[3] vector-or-one, u[4] which γ, u[5:] components.
    u = draw.uniforms(k + 5)
    weight_sets = WEIGHTS_2 if k == 2 else WEIGHTS_3
    tenths = weight_sets[int(u[0] * len(weight_sets))]
    weights = [t / 10 for t in tenths]
    # Per component a gap of 1 or 2 to the previous mean and one of four σ. Gaps of at most 2
    # keep x (between the outer means) in reach of every component.
    codes = [int(v * 2 * len(STDS)) for v in u[5:]]
    means = [float(int(u[1] * 4) - 3)]
    for code in codes[1:]:
        means.append(means[-1] + 1 + code % 2)
    stds = [STDS[c // 2] for c in codes]
    x = round(means[0] + u[2] * (means[-1] - means[0]), 1)

    densities = [normal_pdf(x, m, s) for m, s in zip(means, stds, strict=True)]
    joint = [w * d for w, d in zip(weights, densities, strict=True)]
    total = sum(joint)
    gammas = tuple([j / total for j in joint])
    density_sum = sum(densities)
    equal = tuple([d / density_sum for d in densities])  # the weights left out
    squared = responsibilities(x, weights, means, [s * s for s in stds])  # σ² used as the std
    raw = tuple(joint)

    # A single γ is asked only where it is not vanishingly small, so the question is not trivial.
    index = -1
    answer: float | tuple[float, ...] = gammas
    wrong: list[float | tuple[float, ...]] = [equal, squared, raw]
    if u[3] < 0.5:
        eligible = [i for i, g in enumerate(gammas) if g >= 0.02]
        index = eligible[int(u[4] * len(eligible))]
        answer = gammas[index]
        wrong = [equal[index], squared[index], raw[index]]
    mistakes = [
        Mistake("forgot-weights", FORGOT_WEIGHTS, wrong[0]),
        Mistake("variance-as-std", VARIANCE_AS_STD, wrong[1]),
        Mistake("unnormalised", UNNORMALISED, wrong[2]),
    ]
    names = "γ₁, γ₂" if k == 2 else "γ₁, γ₂, γ₃"
    if index < 0:
        ask_en = f"give the responsibilities ({names}) (3 decimal places)."
        ask_zh = f"求各分量的责任度（responsibility）({names})（保留 3 位小数）。"
    else:
        ask_en = f"what is the responsibility γ{SUB[index + 1]}? (3 decimal places)"
        ask_zh = (
            f"分量 {index + 1} 的责任度（responsibility）γ{SUB[index + 1]} 是多少？"
            "（保留 3 位小数）"
        )
    mixture = (
        f"π = {_tuple_text([f'0.{t}' for t in tenths])}, "
        f"μ = {vec(means)}, "
        f"σ = {_tuple_text([STD_TEXT[c // 2] for c in codes])}"
    )
    x_text = num(x)
    return make_draft(
        prompt=Text(
            en=f"A 1-D Gaussian mixture of {k} components has weights, means and standard "
            f"deviations {mixture}. For the point x = {x_text}, {ask_en}",
            zh=f"一个 {k} 分量的一维高斯混合模型（GMM），混合权重、均值和标准差为 {mixture}。"
            f"对数据点 x = {x_text}，{ask_zh}",
        ),
        kind="vector" if index < 0 else "number",
        answer=answer,
        params={
            "components": k,
            "weights": json_list(weights),
            "means": json_list(means),
            "stds": json_list(stds),
            "x": x,
            "asked": index + 1,
        },
        solution=(
            RESPONSIBILITY_FORMULA,
            Text.same(f"x = {x_text}:  πₖ N(x|μₖ,σₖ) = {vec(joint)},  Σₖ = {num(total)}"),
            Text.same(f"({names}) = {vec(gammas)}"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=5e-4,
        hint=E_STEP_HINT,
    )


def em_update(xs: list[float], gammas_1: list[float]) -> tuple[float, float, float, float]:
    """M-step for two components: (μ₁′, μ₂′, π₁′, π₂′) from γᵢ₁ (γᵢ₂ = 1 − γᵢ₁)."""
    n1 = sum(gammas_1)
    n2 = len(xs) - n1
    mu1 = sum([g * x for g, x in zip(gammas_1, xs, strict=True)]) / n1
    mu2 = sum([(1 - g) * x for g, x in zip(gammas_1, xs, strict=True)]) / n2
    return mu1, mu2, n1 / len(xs), n2 / len(xs)


UNWEIGHTED_MEAN = Text(
    en="That takes the plain mean of all points for both components; each new mean weights "
    "the points by that component's responsibilities γᵢₖ.",
    zh="这是对所有点直接求平均，两个分量得到同一个均值；"
    "新的均值要用该分量的责任度 γᵢₖ 对数据加权。",
)
DIVIDED_BY_N = Text(
    en="That divides Σᵢ γᵢₖ xᵢ by N; divide by the component's effective count Nₖ = Σᵢ γᵢₖ.",
    zh="这里用 N 去除 Σᵢ γᵢₖ xᵢ；应除以该分量的有效样本数 Nₖ = Σᵢ γᵢₖ。",
)
WEIGHTS_NOT_NORMALISED = Text(
    en="Those weights are Nₖ = Σᵢ γᵢₖ; divide by N so that π₁ + π₂ = 1.",
    zh="这里的权重是 Nₖ = Σᵢ γᵢₖ；还要除以 N，使 π₁ + π₂ = 1。",
)
M_STEP_FORMULA = Text.same("μₖ′ = Σᵢ γᵢₖ xᵢ / Σᵢ γᵢₖ,  πₖ′ = Σᵢ γᵢₖ / N")
M_STEP_HINT = Text(
    en="Nₖ = Σᵢ γᵢₖ is the effective number of points in component k.",
    zh="Nₖ = Σᵢ γᵢₖ 是分量 k 的有效样本数。",
)


def _em_question(draw: Draw) -> Draft:
    n = draw.int("points")
    # One vector draw: u[0] the variant, u[1] gap, u[2] σ, u[3:] the data points.
    u = draw.uniforms(n + 3)
    mode = "given" if u[0] < 0.5 else "compute"
    extra: dict[str, JSONScalar | list[JSONScalar]] = {}
    if mode == "given":
        codes = [int(v * 13 * 9) for v in u[3:]]
        xs = [float(c % 13 - 4) for c in codes]  # data in [-4, 8]
        gamma_tenths = [c // 13 + 1 for c in codes]  # γᵢ₁ in 0.1 … 0.9
        gammas_1 = [t / 10 for t in gamma_tenths]
        x_text = vec(xs)
        g_text = _tuple_text([f"0.{t}" for t in gamma_tenths])
        setup_en = (
            f"Data x = {x_text}. The E-step gave the responsibilities of component 1, "
            f"γᵢ₁ = {g_text} (so γᵢ₂ = 1 − γᵢ₁)."
        )
        setup_zh = (
            f"数据 x = {x_text}。E 步得到分量 1 的责任度 γᵢ₁ = {g_text}（因此 γᵢ₂ = 1 − γᵢ₁）。"
        )
    else:
        weight_tenths = draw.int("weight_tenths")
        mean_1 = draw.int("mean_1")
        mean_2 = mean_1 + 2 + int(u[1] * 3)  # 2 to 4 apart
        std_index = 1 + int(u[2] * 3)  # σ = 1, 1.5 or 2
        std = STDS[std_index]
        width = mean_2 - mean_1 + 3  # data in [μ₁ − 1, μ₂ + 1]
        xs = [float(mean_1 - 1 + int(v * width)) for v in u[3:]]
        weights = [weight_tenths / 10, (10 - weight_tenths) / 10]
        means = [float(mean_1), float(mean_2)]
        joint = [
            (weights[0] * normal_pdf(x, means[0], std), weights[1] * normal_pdf(x, means[1], std))
            for x in xs
        ]
        gammas_1 = [a / (a + b) for a, b in joint]
        x_text = vec(xs)
        params_text = (
            f"π = (0.{weight_tenths}, 0.{10 - weight_tenths}), μ = {vec([mean_1, mean_2])}, "
            f"σ₁ = σ₂ = {STD_TEXT[std_index]}"
        )
        setup_en = (
            f"Data x = {x_text}. Current parameters: {params_text}. "
            "First compute the responsibilities γᵢ₁ (E-step)."
        )
        setup_zh = f"数据 x = {x_text}。当前参数：{params_text}。先算责任度 γᵢ₁（E 步），再"
        extra = {"weights": json_list(weights), "means": json_list(means), "std": std}

    answer = em_update(xs, gammas_1)
    mu1, mu2, pi1, pi2 = answer
    n1, n2 = pi1 * n, pi2 * n
    plain_mean = sum(xs) / n
    s1, s2 = mu1 * n1, mu2 * n2
    mistakes = [
        Mistake("unweighted-mean", UNWEIGHTED_MEAN, (plain_mean, plain_mean, pi1, pi2)),
        Mistake("divided-by-n", DIVIDED_BY_N, (s1 / n, s2 / n, pi1, pi2)),
        Mistake("weights-not-normalised", WEIGHTS_NOT_NORMALISED, (mu1, mu2, n1, n2)),
    ]
    n1_t, n2_t = num(n1), num(n2)
    solution = [
        M_STEP_FORMULA,
        Text.same(f"N₁ = Σᵢ γᵢ₁ = {n1_t},  N₂ = Σᵢ γᵢ₂ = {n2_t}"),
        Text.same(f"μ₁′ = {num(s1)} / {n1_t} = {num(mu1)},  μ₂′ = {num(s2)} / {n2_t} = {num(mu2)}"),
        Text.same(f"π₁′ = {n1_t} / {n} = {num(pi1)},  π₂′ = {n2_t} / {n} = {num(pi2)}"),
    ]
    if mode == "compute":
        solution.insert(1, Text.same(f"γᵢ₁ = {vec(gammas_1)}"))
    return make_draft(
        prompt=Text(
            en=f"One EM iteration for a 1-D mixture of two Gaussians. {setup_en} "
            "Give the M-step result (μ₁′, μ₂′, π₁′, π₂′) (3 significant figures).",
            zh=f"对一维两分量高斯混合模型做一次 EM 迭代。{setup_zh}"
            "给出 M 步的结果 (μ₁′, μ₂′, π₁′, π₂′)（保留 3 位有效数字）。",
        ),
        kind="vector",
        answer=answer,
        params={
            "points": n,
            "mode": mode,
            "x": json_list(xs),
            "gamma_1": json_list(gammas_1),
            **extra,
        },
        solution=tuple(solution),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=5e-3,
        hint=M_STEP_HINT,
    )


FAMILIES = (
    Family(
        id="gmm-responsibilities",
        # 2: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        # 3: negative numbers written with the minus sign (−1.5), not a hyphen
        version=3,
        description="E-step responsibilities of a point under a 1-D mixture of 2 or 3 Gaussians",
        topic="gmm",
        build=_responsibility_question,
        params={"components": ParamSpec(2, 3, doc="number of mixture components")},
    ),
    Family(
        id="gmm-em-step",
        # 2: the mistake "divided-by-n" (Σᵢ γᵢₖ xᵢ / N for μₖ′) is diagnosed again
        # 3: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        # 4: negative numbers written with the minus sign (−1.5), not a hyphen
        version=4,
        description="One EM iteration (new means and weights) for a 1-D two-Gaussian mixture",
        topic="gmm",
        build=_em_question,
        params={
            "points": ParamSpec(3, 5, doc="number of data points"),
            "weight_tenths": ParamSpec(3, 7, doc="current π₁ in tenths (compute variant)"),
            "mean_1": ParamSpec(-3, 2, doc="current μ₁ (compute variant)"),
        },
    ),
)
