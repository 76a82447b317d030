"""Attention arithmetic: why scores are scaled by 1/√dₖ, what the scaling does to the
softmax, per-layer cost of self-attention against recurrence and convolution
("Attention Is All You Need", Table 1), and how many pairs a causal mask keeps."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import cast

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


def _json(values: list[int]) -> list[JSONScalar]:
    """A list of ints as the JSON-safe params type (list is invariant for mypy)."""
    return cast("list[JSONScalar]", values)


def uniform_ints(draw: Draw, low: int, high: int, size: int) -> list[int]:
    """`size` integers uniform in [low, high] from one vector of uniform floats: cheaper
    than Draw.ints (rng.integers with a size), and as deterministic (an IEEE product and a
    truncation; x < 1 keeps every value ≤ high)."""
    span = high - low + 1
    return [low + int(x * span) for x in draw.rng.random(size).tolist()]


REL_TOL = 5e-3
INT_TOL = 0.25  # integer answers: exact, and a mistake one away stays distinguishable

# Drawn values (scores, their scaled forms, dₖ, σ²) come from small finite sets; formatting
# is the costliest step of a build, so each text is made once.
num_cached = lru_cache(maxsize=4096)(num)


# ---------------------------------------------------------------- score variance

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
    var_text = num_cached(right["var"])
    question = SCORE_QUESTIONS[ask]
    sigma2_text = num_cached(sigma2)
    return Draft(
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
                f"q·k = Σᵢ qᵢkᵢ;  Var(qᵢkᵢ) = E[qᵢ²]·E[kᵢ²] = σ²·σ² = {num_cached(sigma2 * sigma2)}"
            ),
            Text.same(
                f"Var(q·k) = dₖ·σ⁴ = {var_text};  std = √{var_text} = {num_cached(right['std'])}"
            ),
            Text.same(
                f"Var(q·k/√dₖ) = Var(q·k)/dₖ = {var_text}/{d_k} = "
                f"{num_cached(right['scaled-var'])};  std = {num_cached(right['scaled-std'])}"
            ),
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=REL_TOL),
        rel_tol=REL_TOL,
    )


# ---------------------------------------------------------------- softmax with scaling

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
    return 1.0 / sum(math.exp((s - top) / divisor) for s in scores)


def _softmax_line(shown: list[str], top: str, weight: float) -> str:
    terms = " + ".join(f"exp({s})" for s in shown)
    return f"exp({top}) / ({terms}) = {num(weight, 6)}"


def _softmax_scaling(draw: Draw) -> Draft:
    root = draw.int("sqrt_d_k")
    d_k = root * root
    scores = uniform_ints(draw, -3 * root, 3 * root, draw.int("count"))
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
    raw = [num_cached(s) for s in scores]
    scaled = [num_cached(s / root) for s in scores]
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
        params={"d_k": d_k, "scores": _json(scores), "ask": ask},
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


# ---------------------------------------------------------------- per-layer cost

LAYERS = ("self-attention", "recurrent", "convolutional")
# Spaces around the English term, as Chinese text sets it: "一个 self-attention 层".
LAYER_ZH = {
    "self-attention": " self-attention ",
    "recurrent": "循环（RNN）",
    "convolutional": "卷积",
}
COST_ASKS = ("operations", "operations", "cheaper", "path", "sequential")
# Table 1 of Vaswani et al. (2017): sequential operations and maximum path length per layer
# type, as choice keys of GROWTH_CHOICES.
SEQUENTIAL = {"self-attention": "a", "recurrent": "c", "convolutional": "a"}
PATH = {"self-attention": "a", "recurrent": "c", "convolutional": "b"}
GROWTH_CHOICES = (
    ("a", Text.same("O(1)")),
    ("b", Text.same("O(logₖ(n))")),
    ("c", Text.same("O(n)")),
)
CHEAPER_CHOICES = (
    ("a", Text(en="self-attention", zh="self-attention")),
    ("b", Text(en="recurrent", zh="循环层（RNN）")),
    ("c", Text(en="both cost the same", zh="两者相同")),
)
SWAPPED = Text(
    en="That swaps n and d: self-attention costs n²·d, a recurrent layer n·d².",
    zh="这里把 n 和 d 弄反了：self-attention 是 n²·d，循环层是 n·d²。",
)
FORGOT_K = Text(
    en="That leaves out the kernel width: a convolution costs k·n·d².",
    zh="这里漏掉了卷积核宽度：卷积层是 k·n·d²。",
)
ASSUMED_PARALLEL = Text(
    en="O(1) holds only where every position reaches every other in one step, as in "
    "self-attention; a recurrent layer goes one position at a time and one convolution with "
    "kernel k reaches only k neighbours.",
    zh="O(1) 只在每个位置一步就能到达所有位置时成立（如 self-attention）；循环层逐个位置传递，"
    "宽度为 k 的一层卷积只能覆盖 k 个邻居。",
)
ASSUMED_SEQUENTIAL = Text(
    en="O(n) is the recurrent case, where positions are processed one after another; "
    "self-attention and convolution handle all positions in parallel.",
    zh="O(n) 是循环层的情况，位置要逐个处理；self-attention 和卷积可以并行处理所有位置。",
)
TABLE_ONE = Text(
    en="Table 1: sequential operations O(1), O(n), O(1) and maximum path length O(1), O(n), "
    "O(logₖ(n)) for self-attention, recurrent and (dilated) convolutional layers.",
    zh="表 1：self-attention、循环层、（空洞）卷积层的顺序操作数分别为 O(1)、O(n)、O(1)，"
    "最长路径长度分别为 O(1)、O(n)、O(logₖ(n))。",
)


def layer_cost(layer: str, n: int, d: int, k: int) -> int:
    """Operations per layer in Table 1 of Vaswani et al. (2017), constants dropped."""
    if layer == "self-attention":
        return n * n * d
    return n * d * d if layer == "recurrent" else k * n * d * d


def _growth_mistakes() -> list[Mistake]:
    """Both wrong growth rates; distinct_mistakes drops the one that is the answer."""
    return [
        Mistake("assumed-parallel", ASSUMED_PARALLEL, "a"),
        Mistake("assumed-sequential", ASSUMED_SEQUENTIAL, "c"),
    ]


def _sequence_layer_cost(draw: Draw) -> Draft:
    n, d, k = draw.int("n"), draw.int("d"), draw.int("k")
    ask = draw.pick(COST_ASKS)
    layer = draw.pick(LAYERS)
    choices: tuple[tuple[str, Text], ...] = ()
    answer: float | str
    if ask == "operations":
        answer = float(layer_cost(layer, n, d, k))
        swapped = layer_cost(layer, d, n, k)  # n and d exchanged
        candidates = [Mistake("swapped-n-d", SWAPPED, float(swapped))]
        if layer == "convolutional":
            candidates.append(Mistake("forgot-k", FORGOT_K, float(n * d * d)))
        question = (
            f"how many operations does one {layer} layer need?",
            f"一个{LAYER_ZH[layer]}层需要多少次运算？",
        )
    elif ask == "cheaper":
        choices = CHEAPER_CHOICES
        if n == d:
            answer, candidates = "c", []
        else:
            answer, wrong = ("a", "b") if n < d else ("b", "a")
            candidates = [Mistake("swapped-n-d", SWAPPED, wrong)]
        question = (
            "which has the lower per-layer cost, self-attention or a recurrent layer?",
            "self-attention 和循环层，哪个每层运算量更低？",
        )
    else:
        choices = GROWTH_CHOICES
        answer = (PATH if ask == "path" else SEQUENTIAL)[layer]
        candidates = _growth_mistakes()
        question = (
            (
                f"how does the maximum path length between two positions grow in a {layer} layer?",
                f"{LAYER_ZH[layer].lstrip()}层中两个位置之间的最长路径长度随 n 如何增长？",
            )
            if ask == "path"
            else (
                f"how many sequential (non-parallelisable) operations does a {layer} layer need?",
                f"{LAYER_ZH[layer].lstrip()}层需要多少个无法并行的顺序操作？",
            )
        )
    exact = isinstance(answer, float)
    return Draft(
        prompt=Text(
            en=f"A layer maps a sequence of n = {n} tokens of dimension d = {d} (convolution "
            f'kernel width k = {k}). Following Table 1 of "Attention Is All You Need" '
            f"(complexity per layer, constants dropped): {question[0]}",
            zh=f"一层网络处理 n = {n} 个 token、维度 d = {d} 的序列（卷积核宽度 k = {k}）。"
            f"按《Attention Is All You Need》表 1（每层复杂度，忽略常数）：{question[1]}",
        ),
        kind="number" if exact else "choice",
        answer=answer,
        params={"n": n, "d": d, "k": k, "ask": ask, "layer": layer},
        solution=(
            Text.same(
                f"self-attention: n²·d = {n}² × {d} = {num(n * n * d)};  "
                f"recurrent: n·d² = {n} × {d}² = {num(n * d * d)}"
            ),
            Text.same(f"convolutional: k·n·d² = {k} × {n} × {d}² = {num(k * n * d * d)}"),
            TABLE_ONE,
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=0, abs_tol=INT_TOL),
        rel_tol=0,
        abs_tol=INT_TOL,
        choices=choices,
    )


# ---------------------------------------------------------------- causal mask

MASK_ASKS = ("allowed", "masked", "fraction", "bidirectional")
# For long sequences (n + 1)/(2n) is too close to 1/2 to tell the diagonal mistakes apart.
FRACTION_MAX_N = 30
FORGOT_DIAGONAL = Text(
    en="That leaves out the diagonal: with a causal mask each token also attends to itself.",
    zh="这里漏掉了对角线：在 causal mask 下每个 token 也会 attend 到自己。",
)
FULL_SQUARE = Text(
    en="n² counts every pair; the causal mask hides each key that comes after its query.",
    zh="n² 把所有对都算上了；causal mask 会遮住位于 query 之后的 key。",
)
MASKED_DIAGONAL = Text(
    en="That also masks the diagonal; a token may attend to itself, only later keys are hidden.",
    zh="这里把对角线也 mask 掉了；token 可以 attend 到自己，只有之后的 key 被遮住。",
)
HALF_SQUARE = Text(
    en="n²/2 splits the square evenly; the diagonal belongs to the allowed side, "
    "so n(n − 1)/2 are masked.",
    zh="n²/2 把方阵平分了；对角线属于允许的一侧，所以被 mask 的是 n(n − 1)/2。",
)
ASSUMED_HALF = Text(
    en="Exactly half would ignore the diagonal; the fraction is (n + 1)/(2n).",
    zh="正好一半忽略了对角线；比例是 (n + 1)/(2n)。",
)
CAUSAL_COUNT = Text(
    en="That is the causal (decoder) count; a bidirectional encoder has no mask, "
    "so all n² pairs attend.",
    zh="这是 causal（decoder）的计数；双向 encoder 没有 mask，n² 个对全部参与。",
)
EXCLUDED_SELF = Text(
    en="That leaves out each token attending to itself; all n² pairs count.",
    zh="这里去掉了 token 对自己的 attention；n² 个对都要算。",
)
LOWER_TRIANGLE = Text(
    en="The causal mask keeps the lower triangle of the n×n score matrix, diagonal included: "
    "query i sees keys 1…i.",
    zh="causal mask 保留 n×n 分数矩阵的下三角（含对角线）：第 i 个 query 能看到 key 1…i。",
)


def _mask_question(ask: str, n: int) -> Text:
    if ask == "bidirectional":
        return Text(
            en=f"An encoder-only (autoencoding, BERT-style) Transformer runs bidirectional "
            f"self-attention over n = {n} tokens, without padding. How many (query, key) "
            "pairs attend to each other?",
            zh=f"一个 encoder-only（自编码，BERT 式）Transformer 在 n = {n} 个 token 上做"
            "双向 self-attention（无 padding）。有多少个 (query, key) 对参与 attention？",
        )
    en, zh = {
        "allowed": (
            "How many (query, key) pairs are allowed (not masked)?",
            "有多少个 (query, key) 对是允许的（未被 mask）？",
        ),
        "masked": (
            "How many (query, key) pairs does the mask hide?",
            "有多少个 (query, key) 对被 mask 掉？",
        ),
        "fraction": (
            "What fraction of the n² (query, key) pairs is allowed? (3 significant figures)",
            "n² 个 (query, key) 对中允许的比例是多少？（保留 3 位有效数字）",
        ),
    }[ask]
    return Text(
        en="A decoder-only (autoregressive, GPT-style) Transformer runs self-attention with a "
        f"causal mask over n = {n} tokens. {en}",
        zh=f"一个 decoder-only（自回归，GPT 式）Transformer 在 n = {n} 个 token 上做带 "
        f"causal mask 的 self-attention。{zh}",
    )


def _causal_mask_pairs(draw: Draw) -> Draft:
    n = draw.int("n")
    ask = draw.pick(MASK_ASKS if n <= FRACTION_MAX_N else MASK_ASKS[:2] + MASK_ASKS[3:])
    square = n * n
    allowed = n * (n + 1) // 2
    masked = n * (n - 1) // 2
    answer: float
    if ask == "allowed":
        answer = float(allowed)
        candidates = [
            Mistake("forgot-diagonal", FORGOT_DIAGONAL, float(masked)),
            Mistake("full-square", FULL_SQUARE, float(square)),
        ]
    elif ask == "masked":
        answer = float(masked)
        candidates = [
            Mistake("masked-diagonal", MASKED_DIAGONAL, float(allowed)),
            Mistake("half-square", HALF_SQUARE, square / 2),
        ]
    elif ask == "fraction":
        answer = allowed / square
        candidates = [
            Mistake("forgot-diagonal", FORGOT_DIAGONAL, masked / square),
            Mistake("assumed-half", ASSUMED_HALF, 0.5),
        ]
    else:
        answer = float(square)
        candidates = [
            Mistake("causal-count", CAUSAL_COUNT, float(allowed)),
            Mistake("excluded-self", EXCLUDED_SELF, float(square - n)),
        ]
    rel_tol, abs_tol = (REL_TOL, 1e-9) if ask == "fraction" else (0.0, INT_TOL)
    allowed_text, square_text = num(allowed), num(square)
    return Draft(
        prompt=_mask_question(ask, n),
        kind="number",
        answer=answer,
        params={"n": n, "ask": ask},
        solution=(
            LOWER_TRIANGLE,
            Text.same(
                f"allowed = 1 + 2 + … + n = n(n + 1)/2 = {n} × {n + 1}/2 = {allowed_text};  "
                f"masked = n(n − 1)/2 = {num(masked)}"
            ),
            Text.same(
                f"allowed/n² = {allowed_text}/{square_text} = {num(allowed / square)};  "
                f"bidirectional = n² = {square_text}"
            ),
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=rel_tol, abs_tol=abs_tol),
        rel_tol=rel_tol,
        abs_tol=abs_tol,
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
