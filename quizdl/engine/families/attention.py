"""Attention arithmetic: why scores are scaled by 1/√dₖ, what the scaling does to the
softmax, per-layer cost of self-attention against recurrence and convolution
("Attention Is All You Need", Table 1), and how many pairs a causal mask keeps."""

from __future__ import annotations

import math

from quizdl.engine.fmt import num, vec
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, distinct_mistakes
from quizdl.kb.text import Text

REL_TOL = 5e-3
INT_TOL = 0.25  # integer answers: exact, and a mistake one away stays distinguishable


def _p(x: float) -> str:
    return f"({num(x)})" if x < 0 else num(x)


# ---------------------------------------------------------------- score variance

SIGMA2 = (1.0, 1.0, 1.0, 0.25, 0.5, 2.0, 4.0)
SCORE_ASKS = ("var", "std", "scaled-var", "scaled-std")


def score_moments(d_k: int, sigma2: float) -> dict[str, float]:
    """Var and std of q·k, unscaled and scaled by 1/√dₖ, for iid components of variance σ²."""
    var = d_k * sigma2 * sigma2
    return {
        "var": var,
        "std": math.sqrt(var),
        "scaled-var": var / d_k,
        "scaled-std": math.sqrt(var / d_k),
    }


def _score_question(ask: str, d_k: int, sigma2: float) -> Text:
    setup_en = (
        f"In dot-product attention, q and k have dₖ = {d_k} components, all independent with "
        f"mean 0 and variance σ² = {num(sigma2)}."
    )
    setup_zh = f"在点积注意力中，q 和 k 各有 dₖ = {d_k} 个分量，彼此独立，均值为 0，方差 σ² = {num(sigma2)}。"
    question = {
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
    }[ask]
    return Text(
        en=f"{setup_en} {question[0]} (3 significant figures)",
        zh=f"{setup_zh}{question[1]}（保留 3 位有效数字）",
    )


def _score_variance(draw: Draw) -> Draft:
    d_k = 2 ** draw.int("d_k_log2")
    sigma2 = float(draw.pick(SIGMA2))
    ask = draw.pick(SCORE_ASKS)
    right = score_moments(d_k, sigma2)
    # The same quantities had each term been given variance σ² instead of σ⁴.
    one_sigma = score_moments(d_k, math.sqrt(sigma2))
    answer = right[ask]
    scaled = ask.startswith("scaled")
    is_std = ask.endswith("std")

    candidates: list[Mistake] = []
    other = ask.replace("std", "var") if is_std else ask.replace("var", "std")
    if is_std:
        label = Text(
            en="That is the variance; the standard deviation is its square root.",
            zh="这是方差；标准差还要再开平方根。",
        )
        candidates.append(Mistake("forgot-sqrt", label, right[other]))
    else:
        label = Text(
            en="That is the standard deviation; the question asks for the variance.",
            zh="这是标准差；题目问的是方差。",
        )
        candidates.append(Mistake("std-not-variance", label, right[other]))
    if scaled:
        unscaled = ask.removeprefix("scaled-")
        candidates.append(
            Mistake(
                "forgot-scale",
                Text(
                    en="That is the unscaled q·k; dividing by √dₖ divides the variance by dₖ.",
                    zh="这是未缩放的 q·k；除以 √dₖ 会让方差除以 dₖ。",
                ),
                right[unscaled],
            )
        )
        over_dk = right["scaled-var"] / d_k
        candidates.append(
            Mistake(
                "scaled-by-dk",
                Text(
                    en="That divides the score by dₖ; attention divides by √dₖ.",
                    zh="这是把分数除以了 dₖ；注意力里除以的是 √dₖ。",
                ),
                math.sqrt(over_dk) if is_std else over_dk,
            )
        )
    candidates.append(
        Mistake(
            "sigma-squared-not-fourth",
            Text(
                en="That takes Var(qᵢkᵢ) = σ²; for independent zero-mean factors "
                "Var(qᵢkᵢ) = E[qᵢ²]·E[kᵢ²] = σ⁴.",
                zh="这里把 Var(qᵢkᵢ) 当成了 σ²；两个独立零均值因子的乘积 "
                "Var(qᵢkᵢ) = E[qᵢ²]·E[kᵢ²] = σ⁴。",
            ),
            one_sigma[ask],
        )
    )
    sigma4 = sigma2 * sigma2
    return Draft(
        prompt=_score_question(ask, d_k, sigma2),
        kind="number",
        answer=answer,
        params={"d_k": d_k, "sigma2": sigma2, "ask": ask},
        solution=(
            Text.same(
                f"q·k = Σᵢ qᵢkᵢ;  Var(qᵢkᵢ) = E[qᵢ²]·E[kᵢ²] = σ²·σ² = {num(sigma4)}"
            ),
            Text.same(
                f"Var(q·k) = dₖ·σ⁴ = {d_k} × {num(sigma4)} = {num(right['var'])};  "
                f"std = √{num(right['var'])} = {num(right['std'])}"
            ),
            Text.same(
                f"Var(q·k/√dₖ) = Var(q·k)/dₖ = {num(right['var'])}/{d_k} = "
                f"{num(right['scaled-var'])};  std = {num(right['scaled-std'])}"
            ),
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=REL_TOL),
        rel_tol=REL_TOL,
    )


# ---------------------------------------------------------------- softmax with scaling

SOFTMAX_ASKS = ("scaled", "unscaled", "vector")


def top_weight(scores: list[float], divisor: float) -> float:
    """softmax(scores / divisor) at the largest score, computed stably."""
    top = max(scores)
    total = sum(math.exp((s - top) / divisor) for s in scores)
    return 1.0 / total


def _softmax_line(scores: list[int], divisor: int) -> str:
    scaled = [s / divisor for s in scores]
    top = max(scaled)
    terms = " + ".join(f"exp({num(s)})" for s in scaled)
    return (
        f"exp({num(top)}) / ({terms}) = {num(top_weight([float(s) for s in scores], divisor), 6)}"
    )


def _softmax_scaling(draw: Draw) -> Draft:
    root = draw.int("sqrt_d_k")
    d_k = root * root
    scores = draw.ints(-3 * root, 3 * root, draw.int("count"))
    scores[scores.index(max(scores))] += 1  # a single largest score
    ask = draw.pick(SOFTMAX_ASKS)
    values = [float(s) for s in scores]
    plain_weight = top_weight(values, 1.0)
    scaled_weight = top_weight(values, root)
    over_dk = top_weight(values, d_k)

    forgot = Text(
        en="That is softmax of the raw scores; scaled dot-product attention first divides "
        "them by √dₖ.",
        zh="这是对原始分数直接做 softmax；scaled dot-product attention 要先除以 √dₖ。",
    )
    by_dk = Text(
        en="That divides the scores by dₖ; the scaling factor is 1/√dₖ.",
        zh="这是把分数除以了 dₖ；缩放因子是 1/√dₖ。",
    )
    answer: float | tuple[float, float]
    if ask == "scaled":
        answer = scaled_weight
        candidates = [
            Mistake("forgot-scale", forgot, plain_weight),
            Mistake("divided-by-dk", by_dk, over_dk),
        ]
        question = Text(
            en="In scaled dot-product attention, what weight does softmax give the key "
            "with the largest score?",
            zh="在 scaled dot-product attention 中，softmax 给分数最大的 key 的权重是多少？",
        )
    elif ask == "unscaled":
        answer = plain_weight
        candidates = [
            Mistake(
                "scaled-anyway",
                Text(
                    en="That divides by √dₖ; this question asks for the unscaled scores.",
                    zh="这里除以了 √dₖ；本题问的是不缩放时的结果。",
                ),
                scaled_weight,
            )
        ]
        question = Text(
            en="Without any scaling (softmax of the raw scores), what weight does the key "
            "with the largest score get?",
            zh="不做缩放（直接对原始分数做 softmax）时，分数最大的 key 的权重是多少？",
        )
    else:
        answer = (plain_weight, scaled_weight)
        candidates = [
            Mistake("forgot-scale", forgot, (plain_weight, plain_weight)),
            Mistake("divided-by-dk", by_dk, (plain_weight, over_dk)),
        ]
        question = Text(
            en="Give (weight of the key with the largest score without scaling, "
            "the same weight with the 1/√dₖ scaling).",
            zh="给出 (不缩放时分数最大的 key 的权重, 用 1/√dₖ 缩放后同一个 key 的权重)。",
        )
    shown = vec(scores)
    return Draft(
        prompt=Text(
            en=f"One query has raw scores q·kⱼ = {shown} over {len(scores)} keys, "
            f"and dₖ = {d_k}. {question.en} (3 significant figures)",
            zh=f"一个 query 对 {len(scores)} 个 key 的原始分数 q·kⱼ = {shown}，dₖ = {d_k}。"
            f"{question.zh}（保留 3 位有效数字）",
        ),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"d_k": d_k, "scores": list(scores), "ask": ask},
        solution=(
            Text.same(f"√dₖ = √{d_k} = {root};  scores/√dₖ = {vec(s / root for s in scores)}"),
            Text.same(f"scaled:  {_softmax_line(scores, root)}"),
            Text.same(f"unscaled:  {_softmax_line(scores, 1)}"),
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=REL_TOL),
        rel_tol=REL_TOL,
        abs_tol=5e-4,
        hint=Text(
            en="Subtract the largest score before exponentiating; only differences matter.",
            zh="取指数前先减去最大分数；softmax 只与分数之差有关。",
        ),
    )


# ---------------------------------------------------------------- per-layer cost

COST_ASKS = ("self-attention", "recurrent", "convolutional", "cheaper", "path")
LAYER_ZH = {"self-attention": "self-attention", "recurrent": "循环（RNN）", "convolutional": "卷积"}


def layer_cost(layer: str, n: int, d: int, k: int) -> int:
    """Operations per layer in Table 1 of Vaswani et al. (2017), constants dropped."""
    return {"self-attention": n * n * d, "recurrent": n * d * d, "convolutional": k * n * d * d}[
        layer
    ]


def _cost_solution(n: int, d: int, k: int) -> tuple[Text, ...]:
    return (
        Text.same(
            f"self-attention: n²·d = {n}² × {d} = {num(n * n * d)};  "
            f"recurrent: n·d² = {n} × {d}² = {num(n * d * d)}"
        ),
        Text.same(f"convolutional: k·n·d² = {k} × {n} × {d}² = {num(k * n * d * d)}"),
        Text(
            en="Sequential operations: self-attention O(1), recurrent O(n), convolutional O(1); "
            "maximum path length: O(1), O(n), O(logₖ n).",
            zh="顺序操作数：self-attention O(1)，循环 O(n)，卷积 O(1)；"
            "最长路径长度：O(1)、O(n)、O(logₖ n)。",
        ),
    )


SWAPPED = Text(
    en="That swaps n and d: self-attention costs n²·d, a recurrent layer n·d².",
    zh="这里把 n 和 d 弄反了：self-attention 是 n²·d，循环层是 n·d²。",
)


def _cheaper(n: int, d: int) -> tuple[str, list[Mistake]]:
    if n == d:
        return "c", []
    right, wrong = ("a", "b") if n < d else ("b", "a")
    return right, [Mistake("swapped-n-d", SWAPPED, wrong)]


def _sequence_layer_cost(draw: Draw) -> Draft:
    n, d, k = draw.int("n"), draw.int("d"), draw.int("k")
    ask = draw.pick(COST_ASKS)
    setup = Text(
        en=f"A layer maps a sequence of n = {n} tokens of dimension d = {d} "
        f"(convolution kernel width k = {k}). Following Table 1 of \"Attention Is All You "
        "Need\" (operations per layer, constants dropped):",
        zh=f"一层网络处理 n = {n} 个 token、维度 d = {d} 的序列（卷积核宽度 k = {k}）。"
        "按 \"Attention Is All You Need\" 表 1（每层运算量，忽略常数）：",
    )
    choices: tuple[tuple[str, Text], ...] = ()
    answer: float | str
    if ask in ("self-attention", "recurrent", "convolutional"):
        answer = float(layer_cost(ask, n, d, k))
        question = Text(
            en=f"how many operations does a {ask} layer need?",
            zh=f"一个{LAYER_ZH[ask]}层需要多少次运算？",
        )
        swapped = {"self-attention": n * d * d, "recurrent": n * n * d}.get(ask, k * n * n * d)
        candidates = [Mistake("swapped-n-d", SWAPPED, float(swapped))]
        if ask == "convolutional":
            candidates.append(
                Mistake(
                    "forgot-k",
                    Text(
                        en="That leaves out the kernel width: a convolution costs k·n·d².",
                        zh="这里漏掉了卷积核宽度：卷积层是 k·n·d²。",
                    ),
                    float(n * d * d),
                )
            )
        kind = "number"
    elif ask == "cheaper":
        question = Text(
            en="which layer has the lower per-layer cost?",
            zh="哪一种层的每层运算量更低？",
        )
        choices = (
            ("a", Text(en="self-attention", zh="self-attention")),
            ("b", Text(en="recurrent", zh="循环层（RNN）")),
            ("c", Text(en="both cost the same", zh="两者相同")),
        )
        answer, candidates = _cheaper(n, d)
        kind = "choice"
    else:
        question = Text(
            en="what is the maximum path length between two positions in a recurrent layer "
            "(number of steps a signal must travel)?",
            zh="循环层中任意两个位置之间的最长路径长度（信号需要经过的步数）是多少？",
        )
        answer = float(n)
        candidates = [
            Mistake(
                "assumed-parallel",
                Text(
                    en="A path length of 1 holds for self-attention; a recurrent layer "
                    "passes information one step at a time, O(n).",
                    zh="路径长度为 1 的是 self-attention；循环层逐步传递信息，为 O(n)。",
                ),
                1.0,
            )
        ]
        kind = "number"
    return Draft(
        prompt=Text(en=f"{setup.en} {question.en}", zh=f"{setup.zh}{question.zh}"),
        kind=kind,
        answer=answer,
        params={"n": n, "d": d, "k": k, "ask": ask},
        solution=_cost_solution(n, d, k),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=0, abs_tol=INT_TOL),
        rel_tol=0,
        abs_tol=INT_TOL,
        choices=choices,
    )


# ---------------------------------------------------------------- causal mask

MASK_ASKS = ("allowed", "masked", "fraction", "bidirectional")
# For long sequences (n + 1)/(2n) is too close to 1/2 to tell the diagonal mistakes apart.
FRACTION_MAX_N = 30


def _causal_mask_pairs(draw: Draw) -> Draft:
    n = draw.int("n")
    ask = draw.pick(MASK_ASKS if n <= FRACTION_MAX_N else MASK_ASKS[:2] + MASK_ASKS[3:])
    allowed = n * (n + 1) // 2
    masked = n * (n - 1) // 2
    forgot_diag = Text(
        en="That leaves out the diagonal: with a causal mask each token also attends to itself.",
        zh="这里漏掉了对角线：在 causal mask 下每个 token 也会 attend 到自己。",
    )
    full = Text(
        en="n² counts every pair; the causal mask hides each key that comes after its query.",
        zh="n² 把所有对都算上了；causal mask 会遮住位于 query 之后的 key。",
    )
    decoder_en = (
        f"A decoder-only (autoregressive, GPT-style) Transformer runs self-attention with a "
        f"causal mask over n = {n} tokens."
    )
    decoder_zh = (
        f"一个 decoder-only（自回归，GPT 式）Transformer 在 n = {n} 个 token 上做带 "
        "causal mask 的 self-attention。"
    )
    answer: float
    if ask == "allowed":
        answer = float(allowed)
        question = Text(
            en=f"{decoder_en} How many (query, key) pairs are allowed (not masked)?",
            zh=f"{decoder_zh}有多少个 (query, key) 对是允许的（未被 mask）？",
        )
        candidates = [
            Mistake("forgot-diagonal", forgot_diag, float(masked)),
            Mistake("full-square", full, float(n * n)),
        ]
    elif ask == "masked":
        answer = float(masked)
        question = Text(
            en=f"{decoder_en} How many (query, key) pairs does the mask hide?",
            zh=f"{decoder_zh}有多少个 (query, key) 对被 mask 掉？",
        )
        candidates = [
            Mistake(
                "masked-diagonal",
                Text(
                    en="That also masks the diagonal; a token may attend to itself, only later "
                    "keys are hidden.",
                    zh="这里把对角线也 mask 掉了；token 可以 attend 到自己，只有之后的 key 被遮住。",
                ),
                float(allowed),
            ),
            Mistake(
                "half-square",
                Text(
                    en="n²/2 splits the square evenly; the diagonal belongs to the allowed side, "
                    "so n(n − 1)/2 are masked.",
                    zh="n²/2 把方阵平分了；对角线属于允许的一侧，所以被 mask 的是 n(n − 1)/2。",
                ),
                n * n / 2,
            ),
        ]
    elif ask == "fraction":
        answer = allowed / (n * n)
        question = Text(
            en=f"{decoder_en} What fraction of the n² (query, key) pairs is allowed? "
            "(3 significant figures)",
            zh=f"{decoder_zh}n² 个 (query, key) 对中允许的比例是多少？（保留 3 位有效数字）",
        )
        candidates = [
            Mistake("forgot-diagonal", forgot_diag, masked / (n * n)),
            Mistake(
                "assumed-half",
                Text(
                    en="Exactly half would ignore the diagonal; the fraction is (n + 1)/(2n).",
                    zh="正好一半忽略了对角线；比例是 (n + 1)/(2n)。",
                ),
                0.5,
            ),
        ]
    else:
        answer = float(n * n)
        question = Text(
            en=f"An encoder-only (autoencoding, BERT-style) Transformer runs bidirectional "
            f"self-attention over n = {n} tokens, without padding. How many (query, key) "
            "pairs attend to each other?",
            zh=f"一个 encoder-only（自编码，BERT 式）Transformer 在 n = {n} 个 token 上做"
            "双向 self-attention（无 padding）。有多少个 (query, key) 对参与 attention？",
        )
        candidates = [
            Mistake(
                "causal-count",
                Text(
                    en="That is the causal (decoder) count; a bidirectional encoder has no mask, "
                    "so all n² pairs attend.",
                    zh="这是 causal（decoder）的计数；双向 encoder 没有 mask，n² 个对全部参与。",
                ),
                float(allowed),
            ),
            Mistake(
                "excluded-self",
                Text(
                    en="That leaves out each token attending to itself; all n² pairs count.",
                    zh="这里去掉了 token 对自己的 attention；n² 个对都要算。",
                ),
                float(n * (n - 1)),
            ),
        ]
    exact = ask != "fraction"
    tol = (0.0, INT_TOL) if exact else (REL_TOL, 1e-9)
    return Draft(
        prompt=question,
        kind="number",
        answer=answer,
        params={"n": n, "ask": ask},
        solution=(
            Text(
                en="The causal mask keeps the lower triangle of the n×n score matrix, "
                "diagonal included: query i sees keys 1…i.",
                zh="causal mask 保留 n×n 分数矩阵的下三角（含对角线）：第 i 个 query 能看到 key 1…i。",
            ),
            Text.same(
                f"allowed = 1 + 2 + … + n = n(n + 1)/2 = {n} × {n + 1}/2 = {num(allowed)};  "
                f"masked = n(n − 1)/2 = {num(masked)}"
            ),
            Text.same(
                f"allowed/n² = {num(allowed)}/{num(n * n)} = {num(allowed / (n * n))};  "
                f"bidirectional = n² = {num(n * n)}"
            ),
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=tol[0], abs_tol=tol[1]),
        rel_tol=tol[0],
        abs_tol=tol[1],
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
        version=1,
        description="Softmax weight of the top score with and without the 1/√dₖ scaling",
        topic="attention-scaling",
        build=_softmax_scaling,
        params={
            "sqrt_d_k": ParamSpec(2, 8, doc="√dₖ; dₖ is its square"),
            "count": ParamSpec(2, 4, doc="number of keys"),
        },
    ),
    Family(
        id="sequence-layer-cost",
        version=1,
        description="Per-layer cost of self-attention, recurrent and convolutional layers",
        topic="sequence-models",
        build=_sequence_layer_cost,
        params={
            "n": ParamSpec(4, 1024, doc="sequence length"),
            "d": ParamSpec(16, 1024, doc="representation dimension"),
            "k": ParamSpec(2, 9, doc="convolution kernel width"),
        },
    ),
    Family(
        id="causal-mask-pairs",
        version=1,
        description="Allowed and masked (query, key) pairs under a causal mask",
        topic="autoregressive-autoencoding",
        build=_causal_mask_pairs,
        params={"n": ParamSpec(2, 128, doc="sequence length")},
    ),
)
