"""Evaluate a syntax tree with floats, safely.

Only floats are used, never Python integers, so ``9^9^9^9`` costs four float powers and
overflows at once instead of building a number with millions of digits. Every result is
checked for finiteness: an overflow or a value outside the reals is an `Undefined`, which the
caller turns into "unreadable" (for a number) or a skipped test point (for an expression).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from quizdl.engine.answers import nodes
from quizdl.engine.answers.errors import Unreadable
from quizdl.engine.answers.parse import read_number, read_vector


class Undefined(ArithmeticError):
    """The value does not exist as a finite real number; the message says why, in English
    (str) and in Chinese (`zh`)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def _too_large() -> Undefined:
    return Undefined("too large to be a number", "数值太大，超出了可表示的范围")


def parse_number(raw: str) -> float:
    """The value of a number answer such as ``2^-8``, ``1,234`` or ``25%``."""
    return number_value(read_number(raw))


def parse_vector(raw: str) -> tuple[float, ...]:
    """The values of a vector answer such as ``(1.5, 2, 1/4)``."""
    return tuple(number_value(item) for item in read_vector(raw))


def number_value(node: nodes.Node) -> float:
    try:
        return evaluate(node, {})
    except Undefined as error:
        raise Unreadable(str(error), error.zh) from None


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)  # no overflow for very negative x
    return z / (1.0 + z)


def _ln(x: float) -> float:
    if x <= 0:
        raise Undefined(
            f"ln of {x:g} is not a real number (ln needs a positive number)",
            f"ln({x:g}) 不是实数（ln 的参数须为正数）",
        )
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise Undefined(f"the square root of {x:g} is not a real number", f"{x:g} 的平方根不是实数")
    return math.sqrt(x)


def _exp(x: float) -> float:
    if x > 709.0:  # exp(709.78...) is the largest finite double
        raise Undefined(
            "too large: exp of more than 709 overflows", "数值太大：exp 的参数超过 709 会溢出"
        )
    return math.exp(x)


_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": _exp,
    "ln": _ln,
    "sqrt": _sqrt,
    "sigmoid": sigmoid,
    "tanh": math.tanh,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "sin": math.sin,
    "cos": math.cos,
    "abs": abs,
}
_CONSTANTS = {"e": math.e, "pi": math.pi}


def evaluate(node: nodes.Node, env: Mapping[str, float]) -> float:
    """The value of `node` with variables from `env`; raises Undefined."""
    value = _value(node, env)
    if not math.isfinite(value):
        raise _too_large()
    return value


def _value(node: nodes.Node, env: Mapping[str, float]) -> float:
    match node:
        case nodes.Num(text):
            return float(text)
        case nodes.Const(name):
            return _CONSTANTS[name]
        case nodes.Var(name):
            return env[name]
        case nodes.Neg(operand):
            return -_value(operand, env)
        case nodes.Percent(operand):
            return _value(operand, env) / 100.0
        case nodes.Sum(terms):
            total = 0.0
            for subtracted, term in terms:
                total = total - _value(term, env) if subtracted else total + _value(term, env)
            return _finite(total)
        case nodes.Product(factors):
            result = 1.0
            for divided, factor in factors:
                value = _value(factor, env)
                if divided:
                    if value == 0.0:
                        raise Undefined("division by zero", "除以零")
                    result /= value
                else:
                    result *= value
            return _finite(result)
        case nodes.Power(base, exponent):
            return _power(_value(base, env), _value(exponent, env))
        case nodes.Call(name, args):
            values = [_value(arg, env) for arg in args]
            if name == "max":
                return max(values)
            if name == "min":
                return min(values)
            try:
                return _finite(_FUNCTIONS[name](values[0]))
            except OverflowError:  # sinh, cosh
                raise _too_large() from None
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover - Node is a closed union


def _power(base: float, exponent: float) -> float:
    if base == 0.0 and exponent < 0:
        raise Undefined("division by zero (0 to a negative power)", "除以零（0 的负数次幂）")
    try:
        return _finite(math.pow(base, exponent))
    except OverflowError:
        raise _too_large() from None
    except ValueError:
        shown = f"({base:g})" if base < 0 else f"{base:g}"
        power = f"{shown}^{exponent:g}"
        raise Undefined(f"{power} is not a real number", f"{power} 不是实数") from None


def _finite(value: float) -> float:
    if math.isinf(value):
        raise _too_large()
    if math.isnan(value):
        raise Undefined(
            "not a number (an undefined operation such as ∞ − ∞)",
            "不是数（出现了 ∞ − ∞ 这类没有定义的运算）",
        )
    return value
