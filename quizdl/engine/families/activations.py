"""Activation functions: derivatives at a point (sigmoid, tanh, ReLU, leaky ReLU, ELU, GELU),
the derivative of σ(kx) or tanh(kx) as a formula, and the largest value σ′ and tanh′ reach
(the notes: sigmoid and tanh derivatives are below 1, so deep stacks of them vanish)."""

from __future__ import annotations

import math
from collections.abc import Callable

from quizdl.engine.families._shared import sig3, sig3_draft
from quizdl.engine.fmt import num, subscript, superscript
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, distinct_mistakes
from quizdl.kb.text import Text

# Derivatives in the tails are small (GELU′(−3) ≈ −0.0005) but still asked to 3 significant
# figures; the absolute band only matters for an exact 0 (ReLU′ for x < 0).
ABS_TOL = 1e-6


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def sigmoid_derivative(x: float) -> float:
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh_derivative(x: float) -> float:
    return 1.0 - math.tanh(x) ** 2


def _phi(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


# name -> (f, f′, the formula of f′)
ACTIVATIONS: dict[str, tuple[Callable[[float], float], Callable[[float], float], str]] = {
    "sigmoid": (sigmoid, sigmoid_derivative, "σ′(x) = σ(x)(1 − σ(x))"),
    "tanh": (math.tanh, tanh_derivative, "tanh′(x) = 1 − tanh²(x)"),
    "ReLU": (
        lambda x: max(x, 0.0),
        lambda x: 1.0 if x > 0 else 0.0,
        "ReLU′(x) = 1 if x > 0, 0 if x < 0",
    ),
    "leaky ReLU (α=0.01)": (
        lambda x: x if x > 0 else 0.01 * x,
        lambda x: 1.0 if x > 0 else 0.01,
        "f′(x) = 1 if x > 0, α if x < 0",
    ),
    "ELU (α=1)": (
        lambda x: x if x > 0 else math.exp(x) - 1,
        lambda x: 1.0 if x > 0 else math.exp(x),
        "ELU′(x) = 1 if x > 0, αeˣ if x < 0",
    ),
    "GELU": (
        lambda x: x * _cdf(x),
        lambda x: _cdf(x) + x * _phi(x),
        "GELU′(x) = Φ(x) + x·φ(x)",
    ),
}
NAMES = tuple(ACTIVATIONS)


def _derivative_at(draw: Draw) -> Draft:
    name = draw.pick(NAMES)
    x = draw.float("x", decimals=1)
    if x == 0.0:  # ReLU-type derivatives are undefined at 0; keep every question well posed
        x = 0.5
    f, df, formula = ACTIVATIONS[name]
    answer = df(x)
    value = Mistake(
        "value-not-derivative",
        Text(
            en=f"That is {name}({num(x)}) itself, not its derivative.",
            zh=f"这是 {name}({num(x)}) 的函数值，不是导数。",
        ),
        f(x),
    )
    return sig3_draft(
        sig3(
            f"What is the derivative of {name} at x = {num(x)}?",
            f"{name} 在 x = {num(x)} 处的导数是多少？",
        ),
        "number",
        answer,
        {"activation": name, "x": x},
        (
            Text.same(formula),
            Text.same(f"x = {num(x)} → f′({num(x)}) = {num(answer, 6)}"),
        ),
        [value],
        abs_tol=ABS_TOL,
    )


def _scaled(k: int, expression: str) -> str:
    """`k` times a sum in the answer syntax, parenthesised only when k ≠ 1."""
    return expression if k == 1 else f"{k}*({expression})"


def _symbolic_mistakes(activation: str, k: int) -> list[Mistake]:
    """Wrong formulas for the derivative of σ(kx) or tanh(kx), each a different function."""
    inner = "x" if k == 1 else f"{k}*x"
    coef = "" if k == 1 else f"{k}*"
    shown = "x" if k == 1 else f"{k}x"
    name, outer = ("sigma", "σ") if activation == "sigmoid" else ("tanh", "tanh")
    mistakes = [
        Mistake(
            "value-not-derivative",
            Text(
                en=f"That is {outer}({shown}) itself, not its derivative.",
                zh=f"这是 {outer}({shown}) 本身，不是它的导数。",
            ),
            f"{name}({inner})",
        )
    ]
    if k != 1:
        rule = "σ′(u) = σ(u)(1 − σ(u))" if activation == "sigmoid" else "tanh′(u) = 1 − tanh²(u)"
        mistakes.append(
            Mistake(
                "value-times-inner",
                Text(
                    en=f"That is {k}·{outer}({shown}): the inner derivative {k} is right, but the "
                    f"outer one is missing: {rule}, not {outer}(u).",
                    zh=f"这是 {k}·{outer}({shown})：内层导数 {k} 对了，但漏了外层导数："
                    f"{rule}，而不是 {outer}(u) 本身。",
                ),
                f"{k}*{name}({inner})",
            )
        )
        chain = (
            f"sigma({inner})*(1 - sigma({inner}))"
            if activation == "sigmoid"
            else f"1 - tanh({inner})^2"
        )
        mistakes.append(
            Mistake(
                "forgot-chain",
                Text(
                    en=f"Chain rule: the outer derivative must be multiplied by "
                    f"d({shown})/dx = {k}.",
                    zh=f"链式法则：外层导数还要乘以内层导数 d({shown})/dx = {k}。",
                ),
                chain,
            )
        )
    if activation == "sigmoid":
        inner_slope = f"−e^(−{shown})" if k == 1 else f"−{k}e^(−{shown})"
        mistakes += [
            Mistake(
                "sign-error",
                Text(
                    en=f"d/dx (1 + e^(−{shown}))⁻¹ = −(1 + e^(−{shown}))⁻² · ({inner_slope}): "
                    "the two minus signs cancel, the derivative of σ is positive.",
                    zh=f"d/dx (1 + e^(−{shown}))⁻¹ = −(1 + e^(−{shown}))⁻² · ({inner_slope})："
                    "两个负号相消，σ 的导数是正的。",
                ),
                f"-{coef}exp(-{inner})/(1 + exp(-{inner}))^2",
            ),
            Mistake(
                "forgot-square",
                Text(
                    en=f"The derivative of u⁻¹ is −u⁻²: the denominator (1 + e^(−{shown})) "
                    "must be squared.",
                    zh=f"u⁻¹ 的导数是 −u⁻²：分母 (1 + e^(−{shown})) 要平方。",
                ),
                f"{coef}exp(-{inner})/(1 + exp(-{inner}))",
            ),
            Mistake(
                "tanh-formula",
                Text(
                    en="1 − f² is the tanh rule; for sigmoid σ′ = σ(1 − σ).",
                    zh="1 − f² 是 tanh 的公式；sigmoid 的是 σ′ = σ(1 − σ)。",
                ),
                _scaled(k, f"1 - sigma({inner})^2"),
            ),
        ]
    else:
        mistakes += [
            Mistake(
                "sign-error",
                Text(
                    en="tanh is increasing, so its derivative 1 − tanh² is positive: the sign "
                    "is reversed.",
                    zh="tanh 单调递增，导数 1 − tanh² 为正：符号反了。",
                ),
                _scaled(k, f"tanh({inner})^2 - 1"),
            ),
            Mistake(
                "forgot-square",
                Text(
                    en="tanh′ = 1 − tanh², with tanh squared.",
                    zh="tanh′ = 1 − tanh²，tanh 要平方。",
                ),
                _scaled(k, f"1 - tanh({inner})"),
            ),
            Mistake(
                "sigmoid-formula",
                Text(
                    en="f(1 − f) is the sigmoid rule; for tanh the derivative is 1 − tanh².",
                    zh="f(1 − f) 是 sigmoid 的公式；tanh 的导数是 1 − tanh²。",
                ),
                f"{coef}tanh({inner})*(1 - tanh({inner}))",
            ),
        ]
    return mistakes


def _symbolic_derivative(draw: Draw) -> Draft:
    activation = draw.pick(("sigmoid", "tanh"))
    k = draw.int("scale")
    inner = "x" if k == 1 else f"{k}*x"
    coef = "" if k == 1 else f"{k}*"
    shown = "x" if k == 1 else f"{k}x"
    times = "" if k == 1 else f"{k}·"
    if activation == "sigmoid":
        answer = f"{coef}sigma({inner})*(1 - sigma({inner}))"
        rule = "σ′(u) = σ(u)(1 − σ(u))"
        result = f"f′(x) = {times}σ({shown})(1 − σ({shown}))"
        function = f"σ({shown})"
    else:
        answer = _scaled(k, f"1 - tanh({inner})^2")
        rule = "tanh′(u) = 1 − tanh²(u)"
        result = f"f′(x) = {times}(1 − tanh²({shown}))" if k != 1 else "f′(x) = 1 − tanh²(x)"
        function = f"tanh({shown})"
    outer_slope = rule.split(" = ")[0]
    solution = [Text.same(rule)]
    if k != 1:
        solution.append(
            Text(
                en=f"Chain rule with u = {shown}: f′(x) = {k} · {outer_slope} at u = {shown}",
                zh=f"链式法则，u = {shown}：f′(x) = {k} · {outer_slope}，取 u = {shown}",
            )
        )
    solution.append(Text.same(result))
    mistakes = distinct_mistakes(answer, _symbolic_mistakes(activation, k), rel_tol=0.0)
    return Draft(
        prompt=Text(
            en=f"Write the derivative of f(x) = {function} with respect to x, in terms of x "
            "(you may use sigma(x), tanh(x) and exp).",
            zh=f"写出 f(x) = {function} 对 x 的导数，用 x 表示"
            "（可使用 sigma(x)、tanh(x) 和 exp）。",
        ),
        kind="expression",
        answer=answer,
        params={"activation": activation, "scale": k},
        solution=tuple(solution),
        mistakes=mistakes,
        variables=("x",),
        hint=Text(
            en="Differentiate the outer function, then multiply by the derivative of the inside.",
            zh="先对外层函数求导，再乘以内层函数的导数（链式法则）。",
        ),
    )


def _derivative_max(draw: Draw) -> Draft:
    variant = draw.pick(("sigmoid", "tanh", "product"))
    n = draw.int("layers")
    at_zero = Text(
        en="Largest at x = 0, where the function is steepest.",
        zh="在 x = 0 处最大，那里函数最陡。",
    )
    if variant == "sigmoid":
        answer = 0.25
        prompt = Text(
            en="What is the largest value of the sigmoid derivative σ′(x) over all real x?",
            zh="sigmoid 的导数 σ′(x) 在所有实数 x 上的最大值是多少？",
        )
        solution = (
            Text.same("σ′(x) = σ(x)(1 − σ(x))"),
            at_zero,
            Text.same("σ′(0) = 0.5 × (1 − 0.5) = 0.25"),
        )
        params: dict[str, str | int] = {"variant": variant}
        wrong = [(0.5, "0.5"), (1.0, "")]
    elif variant == "tanh":
        answer = 1.0
        prompt = Text(
            en="What is the largest value of the tanh derivative tanh′(x) over all real x?",
            zh="tanh 的导数 tanh′(x) 在所有实数 x 上的最大值是多少？",
        )
        solution = (
            Text.same("tanh′(x) = 1 − tanh²(x)"),
            at_zero,
            Text.same("tanh′(0) = 1 − 0² = 1"),
        )
        params = {"variant": variant}
        wrong = [(0.0, "tanh(0) = 0"), (0.25, "")]
    else:
        answer = 0.25**n
        prompt = Text(
            en=f"Backpropagating through n = {n} sigmoid units multiplies the gradient by "
            f"{_product_text(n)}. What is the largest value this product "
            "can take? (3 significant figures)",
            zh=f"反向传播经过 n = {n} 个 sigmoid 单元时，梯度要乘以 "
            f"{_product_text(n)}。"
            "这个乘积的最大可能值是多少？（保留 3 位有效数字）",
        )
        solution = (
            Text.same("max σ′ = σ′(0) = 0.25"),
            Text(
                en="Each factor is at most 0.25, and all can reach it at zᵢ = 0.",
                zh="每个因子最大为 0.25，且 zᵢ = 0 时都能取到。",
            ),
            Text.same(f"0.25{superscript(n)} = {num(answer)}"),
        )
        params = {"variant": variant, "layers": n}
        wrong = [(0.5**n, f"σ(0){superscript(n)} = 0.5{superscript(n)}"), (1.0, "")]
    value_label = (
        Text(
            en=f"{wrong[0][1]} uses the function's value σ(0) = 0.5, not the derivative "
            "σ′(0) = 0.25.",
            zh=f"{wrong[0][1]} 用的是函数值 σ(0) = 0.5，而不是导数 σ′(0) = 0.25。",
        )
        if variant != "tanh"
        else Text(
            en="tanh(0) = 0 is the function's value; its derivative there is largest.",
            zh="tanh(0) = 0 是函数值；导数恰在该处最大。",
        )
    )
    other_label = (
        Text(
            en="A slope up to 1 is tanh's (and ReLU's); sigmoid is flatter: σ′ ≤ 0.25.",
            zh="导数最大为 1 的是 tanh（和 ReLU）；sigmoid 更平缓：σ′ ≤ 0.25。",
        )
        if variant != "tanh"
        else Text(
            en="0.25 is the sigmoid's bound; tanh(x) = 2σ(2x) − 1 is 4 times steeper.",
            zh="0.25 是 sigmoid 的上界；tanh(x) = 2σ(2x) − 1，斜率是它的 4 倍。",
        )
    )
    mistakes = [
        Mistake("value-not-derivative", value_label, wrong[0][0]),
        Mistake(
            "one-for-sigmoid" if variant != "tanh" else "sigmoid-bound", other_label, wrong[1][0]
        ),
    ]
    if variant == "product":
        mistakes.append(
            Mistake(
                "single-factor",
                Text(
                    en=f"0.25 bounds one factor; the product of {n} factors is at most "
                    f"0.25{superscript(n)}.",
                    zh=f"0.25 只是一个因子的上界；{n} 个因子的乘积最大为 0.25{superscript(n)}。",
                ),
                0.25,
            )
        )
    return sig3_draft(prompt, "number", answer, params, solution, mistakes, abs_tol=1e-15)


def _product_text(n: int) -> str:
    """σ′(z₁)·σ′(z₂)·σ′(z₃), or with an ellipsis when n > 3."""
    if n <= 3:
        return "·".join([f"σ′(z{subscript(i)})" for i in range(1, n + 1)])
    return f"σ′(z₁)·σ′(z₂)···σ′(z{subscript(n)})"


FAMILIES = (
    Family(
        id="activation-derivative",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="Derivative of sigmoid, tanh, ReLU, leaky ReLU, ELU or GELU at a point",
        topic="activations",
        build=_derivative_at,
        params={"x": ParamSpec(-4.0, 4.0, integer=False, doc="the point x")},
    ),
    Family(
        id="sigmoid-derivative-symbolic",
        # 2: k·σ(kx) (the inner derivative without the outer one) is a diagnosed mistake
        version=2,
        description="The derivative of σ(kx) or tanh(kx) as a formula in x",
        topic="deep-learning",
        build=_symbolic_derivative,
        params={"scale": ParamSpec(1, 3, doc="k in σ(kx); 1 asks for σ′(x) itself")},
    ),
    Family(
        id="activation-derivative-max",
        # 2: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        version=2,
        description="Largest value of σ′ or tanh′, or of a product of n sigmoid derivatives",
        topic="deep-learning",
        build=_derivative_max,
        params={"layers": ParamSpec(2, 12, doc="n factors in the product variant")},
    ),
)
