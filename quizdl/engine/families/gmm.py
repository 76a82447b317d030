"""Gaussian mixture models in 1-D: E-step responsibilities and one full EM iteration."""

from __future__ import annotations

import math

from quizdl.engine.fmt import num, vec
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, distinct_mistakes
from quizdl.kb.text import Text

SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
STDS = (0.5, 1.0, 1.5, 2.0)
# Mixture weights in tenths, every component at least 0.2 so none is negligible.
WEIGHTS_2 = tuple((a, 10 - a) for a in range(2, 9))
WEIGHTS_3 = tuple((a, b, 10 - a - b) for a in range(2, 7) for b in range(2, 9 - a))
REL_TOL = 5e-3
SQRT_2PI = math.sqrt(2.0 * math.pi)


def _sub(i: int) -> str:
    return "".join(SUBSCRIPTS[int(d)] for d in str(i))


def _p(x: float) -> str:
    """A number ready to be substituted into a formula: negatives in parentheses."""
    return f"({num(x)})" if x < 0 else num(x)


def normal_pdf(x: float, mean: float, std: float) -> float:
    z = (x - mean) / std
    return math.exp(-0.5 * z * z) / (std * SQRT_2PI)


def responsibilities(
    x: float, weights: list[float], means: list[float], stds: list[float]
) -> tuple[float, ...]:
    """γₖ = πₖ N(x|μₖ,σₖ) / Σⱼ πⱼ N(x|μⱼ,σⱼ)."""
    joint = [w * normal_pdf(x, m, s) for w, m, s in zip(weights, means, stds, strict=True)]
    total = sum(joint)
    return tuple(j / total for j in joint)


def _mixture_text(weights: list[float], means: list[float], stds: list[float]) -> str:
    return f"π = {vec(weights)}, μ = {vec(means)}, σ = {vec(stds)}"


def _responsibility_question(draw: Draw) -> Draft:
    k = draw.int("components")
    weights = [w / 10 for w in draw.pick(WEIGHTS_2 if k == 2 else WEIGHTS_3)]
    gaps = draw.ints(1, 3, k)
    means = [float(gaps[0] - 4)]  # first mean in [-3, -1], then steps of 1 to 3
    for gap in gaps[1:]:
        means.append(means[-1] + gap)
    stds = [STDS[i] for i in draw.ints(0, len(STDS) - 1, k)]
    x = round(float(draw.rng.uniform(means[0] - 0.5, means[-1] + 0.5)), 1)

    densities = [normal_pdf(x, m, s) for m, s in zip(means, stds, strict=True)]
    joint = [w * d for w, d in zip(weights, densities, strict=True)]
    total = sum(joint)
    gammas = tuple(j / total for j in joint)
    equal = responsibilities(x, [1.0 / k] * k, means, stds)
    # σ² put where the standard deviation belongs, i.e. the density of N(μ, (σ²)²).
    squared = responsibilities(x, weights, means, [s * s for s in stds])
    raw = tuple(joint)

    # A single γ is asked only where it is not vanishingly small, so the question is not trivial.
    ask = draw.pick(("vector", "one"))
    index = -1
    if ask == "one":
        eligible = [i for i, g in enumerate(gammas) if g >= 0.02]
        index = draw.pick(eligible)

    def part(values: tuple[float, ...]) -> float | tuple[float, ...]:
        return values if index < 0 else values[index]

    mistakes = distinct_mistakes(
        part(gammas),
        [
            Mistake(
                "forgot-weights",
                Text(
                    en="That treats the components as equally likely; multiply each density "
                    "by its mixture weight πₖ before normalising.",
                    zh="这相当于把各分量当作等权重；归一化之前要先把每个密度乘上它的混合权重 πₖ。",
                ),
                part(equal),
            ),
            Mistake(
                "variance-as-std",
                Text(
                    en="That uses σ² where the standard deviation σ belongs; "
                    "N(x|μ,σ) = exp(−(x−μ)²/(2σ²)) / (σ√(2π)) with σ as given.",
                    zh="这里把 σ² 当成了标准差；题目给的是标准差 σ，"
                    "N(x|μ,σ) = exp(−(x−μ)²/(2σ²)) / (σ√(2π))。",
                ),
                part(squared),
            ),
            Mistake(
                "unnormalised",
                Text(
                    en="That is πₖ·N(x|μₖ,σₖ) itself; divide by the sum over all components "
                    "so that the responsibilities add up to 1.",
                    zh="这只是 πₖ·N(x|μₖ,σₖ)；还要除以所有分量之和，使响应度加起来等于 1。",
                ),
                part(raw),
            ),
        ],
        rel_tol=REL_TOL,
        abs_tol=5e-4,
    )
    names = ", ".join(f"γ{_sub(i + 1)}" for i in range(k))
    if index < 0:
        ask_text = Text(
            en=f"Give the responsibilities ({names}) (3 decimal places).",
            zh=f"求各分量的响应度 ({names})（保留 3 位小数）。",
        )
    else:
        ask_text = Text(
            en=f"What is the responsibility γ{_sub(index + 1)} of component {index + 1}? "
            "(3 decimal places)",
            zh=f"分量 {index + 1} 的响应度 γ{_sub(index + 1)} 是多少？（保留 3 位小数）",
        )
    mixture = _mixture_text(weights, means, stds)
    return Draft(
        prompt=Text(
            en=f"A 1-D Gaussian mixture with {k} components has weights, means and standard "
            f"deviations {mixture}. For the point x = {num(x)}: {ask_text.en}",
            zh=f"一个 {k} 分量的一维高斯混合模型（GMM），混合权重、均值和标准差为 {mixture}。"
            f"对数据点 x = {num(x)}：{ask_text.zh}",
        ),
        kind="vector" if index < 0 else "number",
        answer=part(gammas),
        params={
            "components": k,
            "weights": weights,
            "means": means,
            "stds": stds,
            "x": x,
            "asked": index + 1,
        },
        solution=(
            Text.same(
                "γₖ = πₖ N(x|μₖ,σₖ) / Σⱼ πⱼ N(x|μⱼ,σⱼ),  N(x|μ,σ) = exp(−(x−μ)²/(2σ²)) / (σ√(2π))"
            ),
            Text.same(
                ", ".join(
                    f"N({num(x)}|{num(m)},{num(s)}) = {num(d)}"
                    for m, s, d in zip(means, stds, densities, strict=True)
                )
            ),
            Text.same(
                ", ".join(f"π{_sub(i + 1)}N{_sub(i + 1)} = {num(j)}" for i, j in enumerate(joint))
                + f";  Σ = {num(total)}"
            ),
            Text.same(f"({names}) = {vec(gammas)}"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=5e-4,
        hint=Text(
            en="E-step: weight each component's density by πₖ, then normalise.",
            zh="E 步：用 πₖ 加权每个分量的密度，再归一化。",
        ),
    )


def em_update(xs: list[float], gammas_1: list[float]) -> tuple[float, float, float, float]:
    """M-step for two components: (μ₁′, μ₂′, π₁′, π₂′) from γᵢ₁ (γᵢ₂ = 1 − γᵢ₁)."""
    n1 = sum(gammas_1)
    n2 = len(xs) - n1
    mu1 = sum(g * x for g, x in zip(gammas_1, xs, strict=True)) / n1
    mu2 = sum((1 - g) * x for g, x in zip(gammas_1, xs, strict=True)) / n2
    return mu1, mu2, n1 / len(xs), n2 / len(xs)


def _em_question(draw: Draw) -> Draft:
    n = draw.int("points")
    mode = draw.pick(("given", "compute"))
    if mode == "given":
        xs = [float(v) for v in draw.ints(-4, 8, n)]
        gammas_1 = [g / 10 for g in draw.ints(1, 9, n)]
        setup = Text(
            en=f"Data x = {vec(xs)}. The E-step gave responsibilities for component 1 "
            f"γᵢ₁ = {vec(gammas_1)} (so γᵢ₂ = 1 − γᵢ₁).",
            zh=f"数据 x = {vec(xs)}。E 步得到分量 1 的响应度 γᵢ₁ = {vec(gammas_1)}"
            "（因此 γᵢ₂ = 1 − γᵢ₁）。",
        )
        extra: dict[str, float | list[float]] = {}
    else:
        weight_1 = draw.int("weight_tenths") / 10
        mu_1 = float(draw.int("mean_1"))
        mu_2 = mu_1 + draw.pick((2, 3, 4))
        std = draw.pick((1.0, 1.5, 2.0))
        xs = [float(v) for v in draw.ints(int(mu_1) - 1, int(mu_2) + 1, n)]
        weights = [weight_1, round(1 - weight_1, 1)]
        gammas_1 = [responsibilities(x, weights, [mu_1, mu_2], [std, std])[0] for x in xs]
        setup = Text(
            en=f"Data x = {vec(xs)}. Current parameters: π = {vec(weights)}, "
            f"μ = {vec([mu_1, mu_2])}, both standard deviations σ = {num(std)}. "
            "First compute the responsibilities γᵢ₁ (E-step).",
            zh=f"数据 x = {vec(xs)}。当前参数：π = {vec(weights)}，μ = {vec([mu_1, mu_2])}，"
            f"两个分量的标准差都是 σ = {num(std)}。先算响应度 γᵢ₁（E 步），再",
        )
        extra = {"weights": weights, "means": [mu_1, mu_2], "std": std}

    answer = em_update(xs, gammas_1)
    mu1, mu2, pi1, pi2 = answer
    n1, n2 = pi1 * n, pi2 * n
    plain_mean = sum(xs) / n
    s1 = mu1 * n1
    s2 = mu2 * n2
    mistakes = distinct_mistakes(
        answer,
        [
            Mistake(
                "unweighted-mean",
                Text(
                    en="That takes the plain mean of all points for both components; each new "
                    "mean weights the points by that component's responsibilities γᵢₖ.",
                    zh="这是对所有点直接求平均，两个分量得到同一个均值；新的均值要用该分量的"
                    "响应度 γᵢₖ 对数据加权。",
                ),
                (plain_mean, plain_mean, pi1, pi2),
            ),
            Mistake(
                "divided-by-n",
                Text(
                    en="That divides Σᵢ γᵢₖ xᵢ by N; divide by the component's effective count "
                    "Nₖ = Σᵢ γᵢₖ.",
                    zh="这里用 N 去除 Σᵢ γᵢₖ xᵢ；应除以该分量的有效样本数 Nₖ = Σᵢ γᵢₖ。",
                ),
                (s1 / n, s2 / n, pi1, pi2),
            ),
            Mistake(
                "weights-not-normalised",
                Text(
                    en="Those weights are Nₖ = Σᵢ γᵢₖ; divide by N so that π₁ + π₂ = 1.",
                    zh="这里的权重是 Nₖ = Σᵢ γᵢₖ；还要除以 N，使 π₁ + π₂ = 1。",
                ),
                (mu1, mu2, n1, n2),
            ),
        ],
        rel_tol=REL_TOL,
        abs_tol=5e-3,
    )
    solution = [
        Text.same("μₖ′ = Σᵢ γᵢₖ xᵢ / Σᵢ γᵢₖ,  πₖ′ = Σᵢ γᵢₖ / N"),
        Text.same(f"N₁ = Σᵢ γᵢ₁ = {num(n1)},  N₂ = Σᵢ γᵢ₂ = {num(n2)}"),
        Text.same(
            f"μ₁′ = {num(s1)} / {num(n1)} = {num(mu1)},  μ₂′ = {num(s2)} / {num(n2)} = {num(mu2)}"
        ),
        Text.same(f"π₁′ = {num(n1)} / {n} = {num(pi1)},  π₂′ = {num(n2)} / {n} = {num(pi2)}"),
    ]
    if mode == "compute":
        solution.insert(1, Text.same(f"γᵢ₁ = {vec(gammas_1)}"))
    return Draft(
        prompt=Text(
            en="One EM iteration for a 1-D mixture of two Gaussians. "
            f"{setup.en} Give the M-step result (μ₁′, μ₂′, π₁′, π₂′) "
            "(3 significant figures).",
            zh=f"对一维两分量高斯混合模型做一次 EM 迭代。{setup.zh}"
            "给出 M 步的结果 (μ₁′, μ₂′, π₁′, π₂′)（保留 3 位有效数字）。",
        ),
        kind="vector",
        answer=answer,
        params={"points": n, "mode": mode, "x": xs, "gamma_1": gammas_1, **extra},
        solution=tuple(solution),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=5e-3,
        hint=Text(
            en="Nₖ = Σᵢ γᵢₖ is the effective number of points in component k.",
            zh="Nₖ = Σᵢ γᵢₖ 是分量 k 的有效样本数。",
        ),
    )


FAMILIES = (
    Family(
        id="gmm-responsibilities",
        version=1,
        description="E-step responsibilities of a point under a 1-D mixture of 2 or 3 Gaussians",
        topic="gmm",
        build=_responsibility_question,
        params={"components": ParamSpec(2, 3, doc="number of mixture components")},
    ),
    Family(
        id="gmm-em-step",
        version=1,
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
