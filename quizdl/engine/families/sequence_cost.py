"""Per-layer cost of self-attention against recurrence and convolution ("Attention Is All You
Need", Table 1): operations, sequential operations and maximum path length."""

from __future__ import annotations

from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, make_draft
from quizdl.kb.text import Text

INT_TOL = 0.25  # integer answers: exact, and a mistake one away stays distinguishable


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
    return make_draft(
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
        mistakes=candidates,
        rel_tol=0,
        abs_tol=INT_TOL,
        choices=choices,
    )


FAMILIES = (
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
)
