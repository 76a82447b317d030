"""Why attention scores are scaled by 1/√dₖ: the variance of q·k before and after the scaling,
and what the scaling does to the softmax weights."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.fmt import num
from quizdl.engine.question import (
    Draft,
    Draw,
    Family,
    Mistake,
    ParamSpec,
    distinct_mistakes,
    json_list,
    make_draft,
)
from quizdl.kb.text import Text

SIGMA2 = (1.0, 1.0, 1.0, 0.25, 0.5, 2.0, 4.0)
SCORE_QUESTIONS = {
    "var": ("What is Var(q·k)?", "Var(q·k) 是多少？"),
    "std": ("What is the standard deviation of q·k?", "q·k 的标准差是多少？"),
    "scaled-var": (
        "What is the variance of the scaled score q·k/√dₖ?",
        "缩放后的分数 q·k/√dₖ 的方差是多少？",
    ),
    "scaled-std": (
        "What is the standard deviation of the scaled score q·k/√dₖ?",
        "缩放后的分数 q·k/√dₖ 的标准差是多少？",
    ),
}
SCORE_ASKS = tuple(SCORE_QUESTIONS)
FORGOT_SQRT = Text(
    en="That is the variance; the standard deviation is its square root.",
    zh="这是方差；标准差还要再开平方根。",
)
STD_NOT_VARIANCE = Text(
    en="That is the standard deviation; the question asks for the variance.",
    zh="这是标准差；题目问的是方差。",
)
UNSCALED_SCORE = Text(
    en="That is the unscaled q·k; dividing by √dₖ divides the variance by dₖ.",
    zh="这是未缩放的 q·k；除以 √dₖ 会让方差除以 dₖ。",
)
SCALED_BY_DK = Text(
    en="That divides the score by dₖ; attention divides by √dₖ.",
    zh="这是把分数除以了 dₖ；注意力里除以的是 √dₖ。",
)
SIGMA_SQUARED = Text(
    en="That takes Var(qᵢkᵢ) = σ²; for independent zero-mean factors "
    "Var(qᵢkᵢ) = E[qᵢ²]·E[kᵢ²] = σ⁴.",
    zh="这里把 Var(qᵢkᵢ) 当成了 σ²；两个独立零均值因子的乘积 Var(qᵢkᵢ) = E[qᵢ²]·E[kᵢ²] = σ⁴。",
)


def score_moments(d_k: int, sigma2: float) -> dict[str, float]:
    """Var and std of q·k, unscaled and scaled by 1/√dₖ, for iid components of variance σ²."""
    var = d_k * sigma2 * sigma2
    return {
        "var": var,
        "std": math.sqrt(var),
        "scaled-var": var / d_k,
        "scaled-std": math.sqrt(var / d_k),
    }


def _score_variance(draw: Draw) -> Draft:
    d_k = 2 ** draw.int("d_k_log2")
    sigma2 = draw.pick(SIGMA2)
    ask = draw.pick(SCORE_ASKS)
    right = score_moments(d_k, sigma2)
    answer = right[ask]
    is_std = ask.endswith("std")

    if is_std:
        candidates = [Mistake("forgot-sqrt", FORGOT_SQRT, right[ask.replace("std", "var")])]
    else:
        candidates = [
            Mistake("std-not-variance", STD_NOT_VARIANCE, right[ask.replace("var", "std")])
        ]
    if ask.startswith("scaled"):
        over_dk = right["scaled-var"] / d_k
        candidates.append(Mistake("forgot-scale", UNSCALED_SCORE, right[ask[7:]]))
        candidates.append(
            Mistake("scaled-by-dk", SCALED_BY_DK, math.sqrt(over_dk) if is_std else over_dk)
        )
    # The same quantity had each term qᵢkᵢ been given variance σ² instead of σ⁴.
    candidates.append(
        Mistake("sigma-squared-not-fourth", SIGMA_SQUARED, score_moments(d_k, sigma2**0.5)[ask])
    )
    var_text = num(right["var"])
    question = SCORE_QUESTIONS[ask]
    sigma2_text = num(sigma2)
    return make_draft(
        prompt=Text(
            en=f"In dot-product attention, q and k have dₖ = {d_k} components, all independent "
            f"with mean 0 and variance σ² = {sigma2_text}. {question[0]} (3 significant figures)",
            zh=f"在点积注意力中，q 和 k 各有 dₖ = {d_k} 个分量，彼此独立，均值为 0，"
            f"方差 σ² = {sigma2_text}。{question[1]}（保留 3 位有效数字）",
        ),
        kind="number",
        answer=answer,
        params={"d_k": d_k, "sigma2": sigma2, "ask": ask},
        solution=(
            Text.same(
                f"q·k = Σᵢ qᵢkᵢ;  Var(qᵢkᵢ) = E[qᵢ²]·E[kᵢ²] = σ²·σ² = {num(sigma2 * sigma2)}"
            ),
            Text.same(f"Var(q·k) = dₖ·σ⁴ = {var_text};  std = √{var_text} = {num(right['std'])}"),
            Text.same(
                f"Var(q·k/√dₖ) = Var(q·k)/dₖ = {var_text}/{d_k} = "
                f"{num(right['scaled-var'])};  std = {num(right['scaled-std'])}"
            ),
        ),
        mistakes=candidates,
        rel_tol=REL_TOL,
    )


FORGOT_SCALE = Text(
    en="That is softmax of the raw scores; scaled dot-product attention first divides them by √dₖ.",
    zh="这是对原始分数直接做 softmax；scaled dot-product attention 要先除以 √dₖ。",
)
DIVIDED_BY_DK = Text(
    en="That divides the scores by dₖ; the scaling factor is 1/√dₖ.",
    zh="这是把分数除以了 dₖ；缩放因子是 1/√dₖ。",
)
SCALED_ANYWAY = Text(
    en="That divides by √dₖ; this question asks for the unscaled scores.",
    zh="这里除以了 √dₖ；本题问的是不缩放时的结果。",
)
SOFTMAX_QUESTIONS = {
    "scaled": Text(
        en="In scaled dot-product attention, what weight does softmax give the key with the "
        "largest score?",
        zh="在 scaled dot-product attention 中，softmax 给分数最大的 key 的权重是多少？",
    ),
    "unscaled": Text(
        en="Without any scaling (softmax of the raw scores), what weight does the key with the "
        "largest score get?",
        zh="不做缩放（直接对原始分数做 softmax）时，分数最大的 key 的权重是多少？",
    ),
    "vector": Text(
        en="Give (weight of the key with the largest score without scaling, the same weight "
        "with the 1/√dₖ scaling).",
        zh="给出 (不缩放时分数最大的 key 的权重, 用 1/√dₖ 缩放后同一个 key 的权重)。",
    ),
}
SOFTMAX_ASKS = tuple(SOFTMAX_QUESTIONS)
SOFTMAX_HINT = Text(
    en="Subtract the largest score before exponentiating; only differences matter.",
    zh="取指数前先减去最大分数；softmax 只与分数之差有关。",
)


def top_weight(scores: list[int], divisor: float) -> float:
    """softmax(scores / divisor) at the largest score, computed stably."""
    top = max(scores)
    return 1.0 / sum([math.exp((s - top) / divisor) for s in scores])


def _softmax_line(shown: list[str], top: str, weight: float) -> str:
    terms = " + ".join([f"exp({s})" for s in shown])
    return f"exp({top}) / ({terms}) = {num(weight, 6)}"


def _softmax_scaling(draw: Draw) -> Draft:
    root = draw.int("sqrt_d_k")
    d_k = root * root
    scores = draw.uniform_ints(-3 * root, 3 * root, draw.int("count"))
    top = scores.index(max(scores))
    scores[top] += 1  # a single largest score
    ask = draw.pick(SOFTMAX_ASKS)
    plain_weight = top_weight(scores, 1.0)
    scaled_weight = top_weight(scores, root)

    answer: float | tuple[float, float]
    if ask == "scaled":
        answer = scaled_weight
        candidates = [
            Mistake("forgot-scale", FORGOT_SCALE, plain_weight),
            Mistake("divided-by-dk", DIVIDED_BY_DK, top_weight(scores, d_k)),
        ]
    elif ask == "unscaled":
        answer = plain_weight
        candidates = [Mistake("scaled-anyway", SCALED_ANYWAY, scaled_weight)]
    else:
        answer = (plain_weight, scaled_weight)
        candidates = [
            Mistake("forgot-scale", FORGOT_SCALE, (plain_weight, plain_weight)),
            Mistake("divided-by-dk", DIVIDED_BY_DK, (plain_weight, top_weight(scores, d_k))),
        ]
    raw = [num(s) for s in scores]
    scaled = [num(s / root) for s in scores]
    shown = "(" + ", ".join(raw) + ")"
    question = SOFTMAX_QUESTIONS[ask]
    return Draft(
        prompt=Text(
            en=f"One query has raw scores q·kⱼ = {shown} over {len(scores)} keys, and "
            f"dₖ = {d_k}. {question.en} (3 significant figures)",
            zh=f"一个 query 对 {len(scores)} 个 key 的原始分数 q·kⱼ = {shown}，dₖ = {d_k}。"
            f"{question.zh}（保留 3 位有效数字）",
        ),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"d_k": d_k, "scores": json_list(scores), "ask": ask},
        solution=(
            Text.same(f"√dₖ = √{d_k} = {root};  scores/√dₖ = ({', '.join(scaled)})"),
            Text.same(f"scaled:  {_softmax_line(scaled, scaled[top], scaled_weight)}"),
            Text.same(f"unscaled:  {_softmax_line(raw, raw[top], plain_weight)}"),
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=REL_TOL),
        rel_tol=REL_TOL,
        abs_tol=5e-4,
        hint=SOFTMAX_HINT,
    )


FAMILIES = (
    Family(
        id="attention-score-variance",
        version=1,
        description="Variance and standard deviation of q·k before and after the 1/√dₖ scaling",
        topic="attention-scaling",
        build=_score_variance,
        params={"d_k_log2": ParamSpec(2, 10, doc="dₖ = 2 to this power")},
    ),
    Family(
        id="softmax-scaling",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="Softmax weight of the top score with and without the 1/√dₖ scaling",
        topic="attention-scaling",
        build=_softmax_scaling,
        params={
            "sqrt_d_k": ParamSpec(2, 8, doc="√dₖ; dₖ is its square"),
            "count": ParamSpec(2, 4, doc="number of keys"),
        },
    ),
)
