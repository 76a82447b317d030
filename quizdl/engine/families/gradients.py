"""Backpropagation through a chain of scalar units, and why deep sigmoid stacks vanish
(the notes: 梯度消失 when the activation's derivative is below 1, 梯度爆炸 when above).

Builders stay within the speed budget (tens of microseconds): the auxiliary random numbers
come from one `draw.uniforms` call and fixed texts are built once."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import THREE_SIG, sig3_draft
from quizdl.engine.families.activations import ACTIVATIONS
from quizdl.engine.fmt import factor, num, subscript, superscript
from quizdl.engine.question import (
    Draft,
    Draw,
    Family,
    Mistake,
    Params,
    ParamSpec,
    distinct_mistakes,
    json_list,
)
from quizdl.kb.text import Text

# Products of many factors below 1 get small; only the relative error matters.
TINY = 1e-12


# ---- gradient-chain -------------------------------------------------------------------------

_CHAIN_VARIANTS = ("zero-sigmoid", "sigmoid", "tanh", "ReLU")
_CHAIN_RULE = Text.same("∂L/∂x = ∏ᵢ ∂hᵢ/∂hᵢ₋₁ = ∏ᵢ wᵢ·f′(zᵢ)")
_SIGMOID_AT_0 = Text.same("σ′(0) = σ(0)(1 − σ(0)) = 0.5 × 0.5 = 0.25")
_FORMULAS = {name: Text.same(formula) for name, (_, _, formula) in ACTIVATIONS.items()}
_CHAIN_HINT = Text(
    en="Chain rule: multiply ∂hᵢ/∂hᵢ₋₁ = wᵢ·f′(zᵢ) over all layers.",
    zh="链式法则：把每层的 ∂hᵢ/∂hᵢ₋₁ = wᵢ·f′(zᵢ) 连乘起来。",
)
_FORGOT_SLOPE = {
    "sigmoid": (
        "off-by-4k",
        Text(
            en="You multiplied the weights only and left out the factors σ′(zᵢ) ≤ 1/4: "
            "with n layers the result is at least 4ⁿ times too large.",
            zh="只乘了权重，漏掉了因子 σ′(zᵢ) ≤ 1/4：n 层时结果至少大了 4ⁿ 倍。",
        ),
    ),
    **{
        name: (
            "forgot-activation-derivative",
            Text(
                en=f"You multiplied the weights only and left out the factors {name}′(zᵢ).",
                zh=f"只乘了权重，漏掉了激活函数的导数因子 {name}′(zᵢ)。",
            ),
        )
        for name in ("tanh", "ReLU")
    },
}
_FORGOT_WEIGHTS = Text(
    en="Each layer contributes ∂zᵢ/∂hᵢ₋₁ = wᵢ as well as the activation's derivative.",
    zh="每一层除了激活函数的导数，还要乘以 ∂zᵢ/∂hᵢ₋₁ = wᵢ。",
)
_VALUE_NOT_DERIVATIVE = Text(
    en="You used the activation values f(zᵢ) where their derivatives f′(zᵢ) belong.",
    zh="用了激活值 f(zᵢ)，应该用导数 f′(zᵢ)。",
)
_SUM_NOT_PRODUCT = Text(
    en="The chain rule multiplies the per-layer factors wᵢ·f′(zᵢ); you added them.",
    zh="链式法则是把每层的因子 wᵢ·f′(zᵢ) 相乘，而不是相加。",
)


def _chain_mistakes(
    activation: str, weights: list[float], slopes: list[float], values: list[float]
) -> list[Mistake]:
    """The products a learner gets by leaving out a kind of factor, by adding the factors,
    or by multiplying the activations' values f(zᵢ) instead of their derivatives."""
    return [
        Mistake(*_FORGOT_SLOPE[activation], math.prod(weights)),
        Mistake("forgot-weights", _FORGOT_WEIGHTS, math.prod(slopes)),
        Mistake(
            "sum-not-product",
            _SUM_NOT_PRODUCT,
            sum([w * s for w, s in zip(weights, slopes, strict=True)]),
        ),
        Mistake(
            "value-not-derivative",
            _VALUE_NOT_DERIVATIVE,
            math.prod([w * v for w, v in zip(weights, values, strict=True)]),
        ),
    ]


def _chain_weights(u: list[float], n: int) -> list[float]:
    """n weights with 0.5 ≤ |w| ≤ 3.0 (one decimal) and random signs, from 2n uniforms."""
    return [round(0.5 + 2.5 * u[i], 1) * (1.0 if u[n + i] < 0.5 else -1.0) for i in range(n)]


def _chain_preactivations(u: list[float], n: int, activation: str) -> list[float]:
    """n pre-activations (two decimals) from n + 1 uniforms. ReLU units sit in the active
    region, and now and then one is dead (z < 0) and stops the whole gradient; never z = 0,
    where ReLU has no derivative."""
    if activation != "ReLU":
        return [round(-3.0 + 6.0 * u[i], 2) + 0.0 for i in range(n)]  # + 0.0: never −0.0
    zs = [round(0.1 + 2.9 * u[i], 2) for i in range(n)]
    if u[n] < 0.25:
        dead = int(u[n] * 4 * n)  # u[n]·4 is uniform on [0, 1)
        zs[dead] = -zs[dead]
    return zs


def _gradient_chain(draw: Draw) -> Draft:
    n = draw.int("layers")
    u = draw.uniforms(3 * n + 2)
    variant = _CHAIN_VARIANTS[int(u[-1] * 4)]
    activation = "sigmoid" if variant == "zero-sigmoid" else variant
    f, df, _ = ACTIVATIONS[activation]
    fn = "σ" if activation == "sigmoid" else activation
    last = subscript(n)
    head_en = (
        f"A chain of n = {n} scalar {activation} units: h₀ = x, hᵢ = {fn}(zᵢ) with "
        f"zᵢ = wᵢ·hᵢ₋₁ + bᵢ. Taking L = h{last},"
    )
    head_zh = (
        f"由 n = {n} 个标量 {activation} 单元串联：h₀ = x，hᵢ = {fn}(zᵢ)，"
        f"zᵢ = wᵢ·hᵢ₋₁ + bᵢ。取 L = h{last}，"
    )
    if variant == "zero-sigmoid":
        w = draw.float("weight", decimals=1)
        weights, slopes, values = [w] * n, [0.25] * n, [0.5] * n  # σ(0) = 0.5, σ′(0) = 0.25
        answer = (w * 0.25) ** n
        prompt = Text(
            en=f"{head_en} every weight wᵢ = {num(w)}, and the biases make every "
            f"pre-activation zᵢ = 0 on this input: what is ∂L/∂x? {THREE_SIG.en}",
            zh=f"{head_zh}所有权重 wᵢ = {num(w)}，偏置使这次输入下每个预激活 zᵢ = 0。"
            f"求 ∂L/∂x。{THREE_SIG.zh}",
        )
        solution: tuple[Text, ...] = (
            _CHAIN_RULE,
            _SIGMOID_AT_0,
            Text.same(
                f"∂L/∂x = ({num(w)} × 0.25){superscript(n)} = {num(w * 0.25)}{superscript(n)} "
                f"= {num(answer)}"
            ),
        )
        params: Params = {"activation": variant, "layers": n, "weight": w}
    else:
        weights = _chain_weights(u, n)
        zs = _chain_preactivations(u[2 * n :], n, activation)
        w_text = ", ".join([num(w, 6) for w in weights])
        z_text = ", ".join([num(z, 6) for z in zs])
        prompt = Text(
            en=f"{head_en} the weights are w = ({w_text}) and the forward pass gave the "
            f"pre-activations z = ({z_text}): what is ∂L/∂x? {THREE_SIG.en}",
            zh=f"{head_zh}权重 w = ({w_text})，前向传播得到的预激活 z = ({z_text})。"
            f"求 ∂L/∂x。{THREE_SIG.zh}",
        )
        slopes = [df(z) for z in zs]
        values = [f(z) for z in zs]
        factors = [w * s for w, s in zip(weights, slopes, strict=True)]
        answer = math.prod(factors)
        solution = (
            _CHAIN_RULE,
            _FORMULAS[activation],
            Text.same(f"f′(z) = ({', '.join([num(s) for s in slopes])})"),
            Text.same(f"∂L/∂x = {' × '.join([factor(x) for x in factors])} = {num(answer)}"),
        )
        params = {
            "activation": variant,
            "layers": n,
            "weights": json_list(weights),
            "z": json_list(zs),
        }
    mistakes = _chain_mistakes(activation, weights, slopes, values)
    return sig3_draft(
        prompt, "number", answer, params, solution, mistakes, abs_tol=TINY, hint=_CHAIN_HINT
    )


# ---- gradient-vanish-explode ----------------------------------------------------------------

# choice key -> outcome
_OUTCOMES = {
    "a": Text(en="It vanishes (shrinks towards 0).", zh="梯度消失（趋向 0）。"),
    "b": Text(en="It explodes (grows without bound).", zh="梯度爆炸（无限增大）。"),
    "c": Text(
        en="It keeps its size (neither vanishes nor explodes).",
        zh="保持原来的量级（既不消失也不爆炸）。",
    ),
}
_CHOICES = tuple(_OUTCOMES.items())
_VANISH_ACTIVATIONS = ("sigmoid", "tanh", "ReLU")
# activation -> (largest derivative, where it is reached)
_MAX_SLOPE = {
    "sigmoid": (0.25, Text(en="at z = 0", zh="在 z = 0 处")),
    "tanh": (1.0, Text(en="at z = 0", zh="在 z = 0 处")),
    "ReLU": (1.0, Text(en="for z > 0", zh="在 z > 0 时")),
}
# The id of the mistake "chose this outcome" when no more specific diagnosis fits.
_CLAIMED = {"a": "claimed-vanish", "b": "claimed-explode", "c": "claimed-stable"}


def _outcome(factor: float) -> str:
    return "a" if factor < 1 else "b" if factor > 1 else "c"


def _vanish_mistakes(
    outcome: str, activation: str, w: float, top: float, shown: str, factor: float
) -> tuple[Mistake, ...]:
    """One mistake per wrong key: judging by |w| alone, by the activation alone, or else a
    plain wrong direction."""
    by_weight, by_activation = _outcome(w), _outcome(top)
    mistakes: list[Mistake] = []
    for key in ("a", "b", "c"):
        if key == outcome:
            continue
        if key == by_weight:
            label = Text(
                en=f"You judged by |w| = {num(w)} alone; each layer also multiplies by the "
                f"{activation} derivative (at most {num(top)}): per layer {shown}.",
                zh=f"只看了 |w| = {num(w)}；每层还要乘以 {activation} 的导数"
                f"（最大 {num(top)}）：每层因子 {shown}。",
            )
            mistakes.append(Mistake("weight-only", label, key))
        elif key == by_activation:
            label = Text(
                en="You judged by the activation alone; the weight counts too: per layer the "
                f"factor is |w|·max f′ = {shown}.",
                zh=f"只看了激活函数；权重同样重要：每层因子 |w|·max f′ = {shown}。",
            )
            mistakes.append(Mistake("derivative-only", label, key))
        else:
            label = Text(
                en=f"The factor per layer is {shown}; after n layers the gradient scales as "
                f"{num(factor)}ⁿ.",
                zh=f"每层因子为 {shown}；经过 n 层后梯度按 {num(factor)}ⁿ 变化。",
            )
            mistakes.append(Mistake(_CLAIMED[key], label, key))
    return tuple(mistakes)


def _vanish_explode(draw: Draw) -> Draft:
    n = draw.int("layers")
    u = draw.uniforms(3)
    outcome = "abc"[int(u[0] * 3)]
    activation = _VANISH_ACTIVATIONS[int(u[1] * 3)]
    top, where = _MAX_SLOPE[activation]
    stable = 1.0 / top
    if outcome == "a":
        w = round(0.2 + (0.95 * stable - 0.2) * u[2], 2)
    elif outcome == "b":
        w = round(1.05 * stable + 0.95 * stable * u[2], 2)
    else:
        w = stable
    factor = w * top
    shown = f"{num(w)} × {num(top)} = {num(factor)}"
    return Draft(
        prompt=Text(
            en=f"A network of n = {n} layers has one scalar {activation} unit per layer. "
            "Backpropagation multiplies the gradient, in every layer, by the weight "
            f"(|w| = {num(w)} in every layer) and by the {activation} derivative. Assume "
            "every unit sits where its derivative is largest. On its way to the first layer "
            "the gradient…",
            zh=f"一个 n = {n} 层的网络，每层一个标量 {activation} 单元。反向传播时每一层都把"
            f"梯度乘以权重（每层 |w| = {num(w)}）和 {activation} 的导数。假设每个单元都处在"
            "导数最大的位置。梯度传到第一层时……",
        ),
        kind="choice",
        answer=outcome,
        params={"activation": activation, "layers": n, "weight": w},
        solution=(
            Text(
                en=f"max {activation}′ = {num(top)}, reached {where.en}",
                zh=f"{activation}′ 的最大值为 {num(top)}，{where.zh}取到",
            ),
            Text.same(f"|w|·max f′ = {shown}"),
            Text.same(f"{num(factor)}{superscript(n)} = {num(factor**n)}"),
            _OUTCOMES[outcome],
        ),
        mistakes=_vanish_mistakes(outcome, activation, w, top, shown, factor),
        choices=_CHOICES,
    )


# ---- layers-until-threshold -----------------------------------------------------------------


def first_layer_below(numerator: int, denominator: int, exponent: int) -> int:
    """The smallest n with (numerator/denominator)ⁿ < 10^(−exponent), in exact integers:
    (p/q)ⁿ < 10⁻ᵏ ⟺ pⁿ·10ᵏ < qⁿ. A float log would misjudge exact powers such as 0.1⁶."""
    n = max(1, math.floor(exponent * math.log(10) / -math.log(numerator / denominator)))
    scale = 10**exponent
    while n > 1 and numerator ** (n - 1) * scale < denominator ** (n - 1):
        n -= 1
    while not numerator**n * scale < denominator**n:
        n += 1
    return n


_THRESHOLD_VARIANTS = ("sigmoid", "weighted", "factor")
# Per-layer factors in hundredths; 0.1 hits the threshold 10⁻ᵏ exactly after k layers.
_FACTORS = (10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 95)
_SIGMOID_SETUP = Text(
    en="Each sigmoid layer multiplies the backpropagated gradient by at most σ′ ≤ 0.25.",
    zh="每个 sigmoid 层把反向传播的梯度最多乘以 σ′ ≤ 0.25。",
)
_SIGMOID_FACTOR = Text.same("f = max σ′ = 0.25")


def _threshold_setup(variant: str, u: float) -> tuple[int, int, Text, Text]:
    """(numerator, denominator) of the per-layer factor, the setup text and its derivation."""
    if variant == "sigmoid":
        return 1, 4, _SIGMOID_SETUP, _SIGMOID_FACTOR
    if variant == "weighted":
        tenths = 2 + int(u * 37)  # |w| from 0.2 to 3.8, so |w|·0.25 < 1
        w = num(tenths / 10)
        setup = Text(
            en="Each sigmoid layer multiplies the backpropagated gradient by its weight, "
            f"|w| = {w}, and by σ′ ≤ 0.25.",
            zh=f"每个 sigmoid 层把反向传播的梯度乘以权重 |w| = {w} 和 σ′ ≤ 0.25。",
        )
        return tenths, 40, setup, Text.same(f"f = |w|·max σ′ = {w} × 0.25 = {num(tenths / 40)}")
    percent = _FACTORS[int(u * len(_FACTORS))]
    f = num(percent / 100)
    setup = Text(
        en=f"Each layer multiplies the backpropagated gradient by at most {f}.",
        zh=f"每一层把反向传播的梯度最多乘以 {f}。",
    )
    return percent, 100, setup, Text.same(f"f = {f}")


def _layers_until_threshold(draw: Draw) -> Draft:
    k = draw.int("exponent")
    u = draw.uniforms(2)
    variant = _THRESHOLD_VARIANTS[int(u[0] * 3)]
    numerator, denominator, setup, derivation = _threshold_setup(variant, u[1])
    factor = numerator / denominator
    f = num(factor)
    n = first_layer_below(numerator, denominator, k)
    threshold = f"10{superscript(-k)}"
    previous = factor ** (n - 1)
    exact = numerator ** (n - 1) * 10**k == denominator ** (n - 1)
    if exact:
        check = Text(
            en=f"{f}{superscript(n - 1)} = {threshold} exactly, which is not below it; so n = {n}",
            zh=f"{f}{superscript(n - 1)} 恰好等于 {threshold}，不算低于；所以 n = {n}",
        )
    else:
        check = Text.same(f"{f}{superscript(n - 1)} = {num(previous)} ≥ {threshold} → n = {n}")
    mistakes = [
        Mistake(
            "off-by-one",
            Text(
                en=f"After {n - 1} layers the bound is {num(previous)}, not yet strictly "
                f"below {threshold}.",
                zh=f"{n - 1} 层后上界为 {num(previous)}，还没有严格低于 {threshold}。",
            ),
            float(n - 1),
        ),
        Mistake(
            "log-base",
            Text(
                en=f"log₁₀ of the threshold is −{k}, but you divided by the natural log "
                f"ln {f}: use the same base on both sides.",
                zh=f"阈值的 log₁₀ 是 −{k}，却除以了自然对数 ln {f}：分子分母要用同一个底。",
            ),
            float(math.ceil(k / -math.log(factor))),
        ),
    ]
    ratio = k * math.log(10) / -math.log(factor)
    return Draft(
        prompt=Text(
            en=f"{setup.en} After how many layers n is the bound fⁿ on the gradient factor "
            f"first strictly below {threshold}? (an integer)",
            zh=f"{setup.zh}经过多少层 n 后，梯度因子的上界 fⁿ 第一次严格低于 {threshold}？（整数）",
        ),
        kind="number",
        answer=float(n),
        params={"variant": variant, "factor": factor, "exponent": k},
        solution=(
            derivation,
            Text.same(f"fⁿ < {threshold} ⟺ n > ln({threshold}) / ln({f}) = {num(ratio)}"),
            Text.same(f"{f}{superscript(n)} = {num(factor**n)} < {threshold}"),
            check,
        ),
        # Integers one apart are different answers: compare them with a band under 1/3.
        mistakes=distinct_mistakes(float(n), mistakes, rel_tol=0.0, abs_tol=0.25),
        rel_tol=0.0,
        abs_tol=0.5,
    )


FAMILIES = (
    Family(
        id="gradient-chain",
        # 2: the mistake "value-not-derivative" (f(zᵢ) for f′(zᵢ)) is diagnosed again
        # 3: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        # 4: negative numbers written with the minus sign (−1.5), not a hyphen
        version=4,
        description="∂L/∂x through a chain of scalar sigmoid, tanh or ReLU units",
        topic="deep-learning",
        build=_gradient_chain,
        params={
            "layers": ParamSpec(2, 6, doc="n units in the chain"),
            "weight": ParamSpec(0.5, 6.0, integer=False, doc="the shared weight when all zᵢ = 0"),
        },
    ),
    Family(
        id="gradient-vanish-explode",
        # 2: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        version=2,
        description="Does the gradient vanish, explode or keep its size, given |w| and f′",
        topic="deep-learning",
        build=_vanish_explode,
        params={"layers": ParamSpec(10, 100, doc="depth n of the network")},
    ),
    Family(
        id="layers-until-threshold",
        # 2: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        version=2,
        description="Smallest depth n at which a per-layer gradient factor fⁿ falls below 10⁻ᵏ",
        topic="deep-learning",
        build=_layers_until_threshold,
        params={"exponent": ParamSpec(2, 12, doc="k in the threshold 10⁻ᵏ")},
    ),
)
