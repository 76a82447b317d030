"""Backpropagation through a chain of scalar units, and why deep sigmoid stacks vanish
(the notes: 梯度消失 when the activation's derivative is below 1, 梯度爆炸 when above)."""

from __future__ import annotations

import math

from quizdl.engine.families.activations import ACTIVATIONS
from quizdl.engine.fmt import num, vec
from quizdl.engine.question import (
    Draft,
    Draw,
    Family,
    Mistake,
    Params,
    ParamSpec,
    distinct_mistakes,
)
from quizdl.kb.text import Text

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
REL_TOL = 5e-3
# Products of many factors below 1 get small; only the relative error matters.
TINY = 1e-12


def _sub(n: int) -> str:
    return str(n).translate(_SUBSCRIPT)


def _sup(n: int) -> str:
    return str(n).translate(_SUPERSCRIPT)


def _chain_text(activation: str, n: int) -> Text:
    f = "σ" if activation == "sigmoid" else activation
    return Text(
        en=f"A chain of n = {n} scalar {activation} units: h₀ = x, hᵢ = {f}(zᵢ) with "
        f"zᵢ = wᵢ·hᵢ₋₁ + bᵢ. Taking L = h{_sub(n)},",
        zh=f"由 n = {n} 个标量 {activation} 单元串联：h₀ = x，hᵢ = {f}(zᵢ)，"
        f"zᵢ = wᵢ·hᵢ₋₁ + bᵢ。取 L = h{_sub(n)}，",
    )


def _chain_mistakes(
    activation: str, n: int, weights: list[float], slopes: list[float], values: list[float]
) -> list[Mistake]:
    """The products a learner gets by leaving out a kind of factor, or by adding them."""
    if activation == "sigmoid":
        forgot_slope = Mistake(
            "off-by-4k",
            Text(
                en="You multiplied the weights only and left out the factors σ′(zᵢ) ≤ 1/4: "
                f"the result is at least 4{_sup(n)} times too large.",
                zh=f"只乘了权重，漏掉了因子 σ′(zᵢ) ≤ 1/4：结果至少大了 4{_sup(n)} 倍。",
            ),
            math.prod(weights),
        )
    else:
        forgot_slope = Mistake(
            "forgot-activation-derivative",
            Text(
                en=f"You multiplied the weights only and left out the factors {activation}′(zᵢ).",
                zh=f"只乘了权重，漏掉了激活函数的导数因子 {activation}′(zᵢ)。",
            ),
            math.prod(weights),
        )
    return [
        forgot_slope,
        Mistake(
            "forgot-weights",
            Text(
                en="Each layer contributes ∂zᵢ/∂hᵢ₋₁ = wᵢ as well as the activation's derivative.",
                zh="每一层除了激活函数的导数，还要乘以 ∂zᵢ/∂hᵢ₋₁ = wᵢ。",
            ),
            math.prod(slopes),
        ),
        Mistake(
            "sum-not-product",
            Text(
                en="The chain rule multiplies the per-layer factors wᵢ·f′(zᵢ); you added them.",
                zh="链式法则是把每层的因子 wᵢ·f′(zᵢ) 相乘，而不是相加。",
            ),
            sum(w * s for w, s in zip(weights, slopes, strict=True)),
        ),
        Mistake(
            "value-not-derivative",
            Text(
                en="You used the activation values f(zᵢ) where their derivatives f′(zᵢ) belong.",
                zh="用了激活值 f(zᵢ)，应该用导数 f′(zᵢ)。",
            ),
            math.prod(w * v for w, v in zip(weights, values, strict=True)),
        ),
    ]


def _gradient_chain(draw: Draw) -> Draft:
    variant = draw.pick(("zero-sigmoid", "sigmoid", "tanh", "ReLU"))
    n = draw.int("layers")
    activation = "sigmoid" if variant == "zero-sigmoid" else variant
    f, df, formula = ACTIVATIONS[activation]
    head = _chain_text(activation, n)
    question = Text(
        en="what is ∂L/∂x? (3 significant figures)", zh="求 ∂L/∂x。（保留 3 位有效数字）"
    )
    if variant == "zero-sigmoid":
        w = draw.float("weight", decimals=1)
        weights, zs = [w] * n, [0.0] * n
        answer = (w * 0.25) ** n
        prompt = Text(
            en=f"{head.en} every weight wᵢ = {num(w)}, and the biases make every pre-activation "
            f"zᵢ = 0 on this input: {question.en}",
            zh=f"{head.zh}所有权重 wᵢ = {num(w)}，偏置使这次输入下每个预激活 zᵢ = 0。{question.zh}",
        )
        solution: tuple[Text, ...] = (
            Text.same("∂L/∂x = ∏ᵢ ∂hᵢ/∂hᵢ₋₁ = ∏ᵢ wᵢ·σ′(zᵢ)"),
            Text.same("σ′(0) = σ(0)(1 − σ(0)) = 0.5 × 0.5 = 0.25"),
            Text.same(
                f"∂L/∂x = ({num(w)} × 0.25){_sup(n)} = {num(w * 0.25)}{_sup(n)} = {num(answer)}"
            ),
        )
        params: Params = {"activation": variant, "layers": n, "weight": w}
    else:
        magnitudes = draw.floats(0.5, 3.0, n, decimals=1)
        signs = draw.ints(0, 1, n)
        weights = [m if s else -m for m, s in zip(magnitudes, signs, strict=True)]
        if activation == "ReLU":
            # Units in the active region, and now and then one dead unit (z < 0) that stops
            # the whole gradient; never z = 0, where ReLU has no derivative.
            zs = draw.floats(0.1, 3.0, n, decimals=2)
            if draw.rng.random() < 0.25:
                dead = draw.ints(0, n - 1, 1)[0]
                zs[dead] = -zs[dead]
        else:
            zs = draw.floats(-3.0, 3.0, n, decimals=2)
        prompt = Text(
            en=f"{head.en} the weights are w = {vec(weights)} and the forward pass gave the "
            f"pre-activations z = {vec(zs)}: {question.en}",
            zh=f"{head.zh}权重 w = {vec(weights)}，前向传播得到的预激活 "
            f"z = {vec(zs)}。{question.zh}",
        )
        slopes = [df(z) for z in zs]
        factors = [w * s for w, s in zip(weights, slopes, strict=True)]
        answer = math.prod(factors)
        solution = (
            Text.same("∂L/∂x = ∏ᵢ ∂hᵢ/∂hᵢ₋₁ = ∏ᵢ wᵢ·f′(zᵢ)"),
            Text.same(formula),
            Text.same(f"f′(z) = {vec(slopes)}"),
            Text.same(f"wᵢ·f′(zᵢ) = {vec(factors)}"),
            Text.same(f"∂L/∂x = {' × '.join(num(x) for x in factors)} = {num(answer)}"),
        )
        params = {"activation": variant, "layers": n, "weights": [*weights], "z": [*zs]}
    slopes = [df(z) for z in zs]
    values = [f(z) for z in zs]
    mistakes = _chain_mistakes(activation, n, weights, slopes, values)
    return Draft(
        prompt=prompt,
        kind="number",
        answer=answer,
        params=params,
        solution=solution,
        mistakes=distinct_mistakes(answer, mistakes, REL_TOL, TINY),
        rel_tol=REL_TOL,
        abs_tol=TINY,
        hint=Text(
            en="Chain rule: multiply ∂hᵢ/∂hᵢ₋₁ = wᵢ·f′(zᵢ) over all layers.",
            zh="链式法则：把每层的 ∂hᵢ/∂hᵢ₋₁ = wᵢ·f′(zᵢ) 连乘起来。",
        ),
    )


# choice key -> (en, zh)
_OUTCOMES = {
    "a": ("It vanishes (shrinks towards 0).", "梯度消失（趋向 0）。"),
    "b": ("It explodes (grows without bound).", "梯度爆炸（无限增大）。"),
    "c": (
        "It keeps its size (neither vanishes nor explodes).",
        "保持原来的量级（既不消失也不爆炸）。",
    ),
}
# activation -> (largest derivative, where it is reached)
_MAX_SLOPE = {
    "sigmoid": (0.25, ("at z = 0", "在 z = 0 处")),
    "tanh": (1.0, ("at z = 0", "在 z = 0 处")),
    "ReLU": (1.0, ("for z > 0", "在 z > 0 时")),
}


def _outcome(factor: float) -> str:
    return "a" if factor < 1 else "b" if factor > 1 else "c"


def _vanish_explode(draw: Draw) -> Draft:
    outcome = draw.pick(("a", "b", "c"))
    activation = draw.pick(("sigmoid", "tanh", "ReLU"))
    n = draw.int("layers")
    top, (where_en, where_zh) = _MAX_SLOPE[activation]
    stable = 1.0 / top
    if outcome == "a":
        w = round(float(draw.rng.uniform(0.2, 0.95 * stable)), 2)
    elif outcome == "b":
        w = round(float(draw.rng.uniform(1.05 * stable, 2.0 * stable)), 2)
    else:
        w = stable
    factor = w * top
    shown = f"{num(w)} × {num(top)} = {num(factor)}"
    mistakes: list[Mistake] = []
    by_weight = _outcome(w)
    mistakes.append(
        Mistake(
            "weight-only",
            Text(
                en=f"You judged by |w| = {num(w)} alone; each layer also multiplies by the "
                f"{activation} derivative (at most {num(top)}): per layer {shown}.",
                zh=f"只看了 |w| = {num(w)}；每层还要乘以 {activation} 的导数（最大 {num(top)}）："
                f"每层因子 {shown}。",
            ),
            by_weight,
        )
    )
    mistakes.append(
        Mistake(
            "derivative-only",
            Text(
                en=f"You judged by the activation alone; the weight counts too: per layer the "
                f"factor is |w|·max f′ = {shown}.",
                zh=f"只看了激活函数；权重同样重要：每层因子 |w|·max f′ = {shown}。",
            ),
            _outcome(top),
        )
    )
    mistakes += [
        Mistake(
            "wrong-direction",
            Text(
                en=f"The factor per layer is {shown}; after n layers the gradient scales as "
                f"{num(factor)}ⁿ.",
                zh=f"每层因子为 {shown}；经过 n 层后梯度按 {num(factor)}ⁿ 变化。",
            ),
            key,
        )
        for key in ("a", "b", "c")
    ]
    power = factor**n
    return Draft(
        prompt=Text(
            en=f"A network of n = {n} layers has one scalar {activation} unit per layer. "
            f"Backpropagation multiplies the gradient, in every layer, by the weight "
            f"(|w| = {num(w)} in every layer) and by the {activation} derivative. Assume every "
            "unit sits where its derivative is largest. On its way to the first layer the "
            "gradient…",
            zh=f"一个 n = {n} 层的网络，每层一个标量 {activation} 单元。反向传播时每一层都把梯度"
            f"乘以权重（每层 |w| = {num(w)}）和 {activation} 的导数。假设每个单元都处在导数最大"
            "的位置。梯度传到第一层时……",
        ),
        kind="choice",
        answer=outcome,
        params={"activation": activation, "layers": n, "weight": w},
        solution=(
            Text(
                en=f"max {activation}′ = {num(top)}, reached {where_en}",
                zh=f"{activation}′ 的最大值为 {num(top)}，{where_zh}取到",
            ),
            Text.same(f"|w|·max f′ = {shown}"),
            Text.same(f"{num(factor)}{_sup(n)} = {num(power)}"),
            Text(en=_OUTCOMES[outcome][0], zh=_OUTCOMES[outcome][1]),
        ),
        mistakes=distinct_mistakes(outcome, mistakes, rel_tol=0.0),
        choices=tuple((key, Text(en=en, zh=zh)) for key, (en, zh) in _OUTCOMES.items()),
    )


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


_FACTORS = (10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 95)


def _layers_until_threshold(draw: Draw) -> Draft:
    variant = draw.pick(("sigmoid", "weighted", "factor"))
    k = draw.int("exponent")
    if variant == "sigmoid":
        numerator, denominator = 1, 4
        setup = Text(
            en="Each sigmoid layer multiplies the backpropagated gradient by at most σ′ ≤ 0.25.",
            zh="每个 sigmoid 层把反向传播的梯度最多乘以 σ′ ≤ 0.25。",
        )
    elif variant == "weighted":
        tenths = draw.ints(2, 38, 1)[0]
        numerator, denominator = tenths, 40
        setup = Text(
            en=f"Each sigmoid layer multiplies the backpropagated gradient by its weight, "
            f"|w| = {num(tenths / 10)}, and by σ′ ≤ 0.25.",
            zh=f"每个 sigmoid 层把反向传播的梯度乘以权重 |w| = {num(tenths / 10)} 和 σ′ ≤ 0.25。",
        )
    else:
        numerator, denominator = draw.pick(_FACTORS), 100
        setup = Text(
            en=f"Each layer multiplies the backpropagated gradient by at most "
            f"{num(numerator / denominator)}.",
            zh=f"每一层把反向传播的梯度最多乘以 {num(numerator / denominator)}。",
        )
    factor = numerator / denominator
    n = first_layer_below(numerator, denominator, k)
    threshold = f"10{_sup(-k)}"
    ratio = k * math.log(10) / -math.log(factor)
    exact = numerator ** (n - 1) * 10**k == denominator ** (n - 1)
    below = Text(
        en=f"{num(factor)}{_sup(n)} = {num(factor**n)} < {threshold}",
        zh=f"{num(factor)}{_sup(n)} = {num(factor**n)} < {threshold}",
    )
    if exact:
        check = Text(
            en=f"{num(factor)}{_sup(n - 1)} = {threshold} exactly, which is not below it; "
            f"so n = {n}",
            zh=f"{num(factor)}{_sup(n - 1)} 恰好等于 {threshold}，不算低于；所以 n = {n}",
        )
    else:
        check = Text(
            en=f"{num(factor)}{_sup(n - 1)} = {num(factor ** (n - 1))} ≥ {threshold}; so n = {n}",
            zh=f"{num(factor)}{_sup(n - 1)} = {num(factor ** (n - 1))} ≥ {threshold}；所以 n = {n}",
        )
    wrong_base = math.ceil(k / -math.log(factor))
    mistakes = [
        Mistake(
            "off-by-one",
            Text(
                en=f"After {n - 1} layers the bound is {num(factor ** (n - 1))}, not yet strictly "
                f"below {threshold}.",
                zh=f"{n - 1} 层后上界为 {num(factor ** (n - 1))}，还没有严格低于 {threshold}。",
            ),
            float(n - 1),
        ),
        Mistake(
            "log-base",
            Text(
                en=f"log₁₀ of the threshold is −{k}, but you divided by the natural log "
                f"ln {num(factor)}: use the same base on both sides.",
                zh=f"阈值的 log₁₀ 是 −{k}，却除以了自然对数 ln {num(factor)}："
                "分子分母要用同一个底。",
            ),
            float(wrong_base),
        ),
    ]
    return Draft(
        prompt=Text(
            en=f"{setup.en} After how many layers n is the bound fⁿ on the gradient factor first "
            f"strictly below {threshold}? (an integer)",
            zh=f"{setup.zh}经过多少层 n 后，梯度因子的上界 fⁿ 第一次严格低于 {threshold}？（整数）",
        ),
        kind="number",
        answer=float(n),
        params={"variant": variant, "factor": factor, "exponent": k},
        solution=(
            Text.same(f"f = {num(factor)}"),
            Text.same(
                f"fⁿ < {threshold} ⟺ n > ln(10{_sup(-k)}) / ln({num(factor)}) = {num(ratio)}"
            ),
            below,
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
        version=1,
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
        version=1,
        description="Does the gradient vanish, explode or keep its size, given |w| and f′",
        topic="deep-learning",
        build=_vanish_explode,
        params={"layers": ParamSpec(10, 100, doc="depth n of the network")},
    ),
    Family(
        id="layers-until-threshold",
        version=1,
        description="Smallest depth n at which a per-layer gradient factor fⁿ falls below 10⁻ᵏ",
        topic="deep-learning",
        build=_layers_until_threshold,
        params={"exponent": ParamSpec(2, 12, doc="k in the threshold 10⁻ᵏ")},
    ),
)
