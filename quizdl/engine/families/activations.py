"""Activation functions: derivatives at a point (sigmoid, tanh, ReLU, leaky ReLU, ELU, GELU)."""

from __future__ import annotations

import math
from collections.abc import Callable

from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, distinct_mistakes
from quizdl.kb.text import Text


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _phi(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


# name -> (value f(x), derivative f'(x), formula of f', zh name)
ACTIVATIONS: dict[str, tuple[Callable[[float], float], Callable[[float], float], str]] = {
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x)), "σ′(x) = σ(x)(1 − σ(x))"),
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2, "tanh′(x) = 1 − tanh²(x)"),
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
    mistakes = distinct_mistakes(
        answer,
        [
            Mistake(
                "value-not-derivative",
                Text(
                    en=f"That is {name}({num(x)}) itself, not its derivative.",
                    zh=f"这是 {name}({num(x)}) 的函数值，不是导数。",
                ),
                f(x),
            ),
        ],
        rel_tol=1e-3,
    )
    return Draft(
        prompt=Text(
            en=f"What is the derivative of {name} at x = {num(x)}? (3 significant figures)",
            zh=f"{name} 在 x = {num(x)} 处的导数是多少？（保留 3 位有效数字）",
        ),
        kind="number",
        answer=answer,
        params={"activation": name, "x": x},
        solution=(
            Text.same(formula),
            Text.same(f"x = {num(x)} → f′({num(x)}) = {num(answer, 6)}"),
        ),
        mistakes=mistakes,
        rel_tol=5e-3,
        abs_tol=5e-4,
    )


FAMILIES = (
    Family(
        id="activation-derivative",
        version=1,
        description="Derivative of sigmoid, tanh, ReLU, leaky ReLU, ELU or GELU at a point",
        topic="activations",
        build=_derivative_at,
        params={"x": ParamSpec(-4.0, 4.0, integer=False, doc="the point x")},
    ),
)
