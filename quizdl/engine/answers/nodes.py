"""The syntax tree of an answer, and its one-line rendering.

Sums and products are flat (n-ary), so a long chain such as ``1+1+...+1`` is one node, not
a thousand nested ones: every walk over a tree is as deep as the answer's brackets, and
those are bounded by the parser.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Num:
    text: str  # the literal as read, thousands separators removed: "1234567", "3.9e-3"


@dataclass(frozen=True, slots=True)
class Const:
    name: str  # "e" or "pi"


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node


@dataclass(frozen=True, slots=True)
class Percent:
    operand: Node


@dataclass(frozen=True, slots=True)
class Sum:
    terms: tuple[tuple[bool, Node], ...]  # (subtracted, term)


@dataclass(frozen=True, slots=True)
class Product:
    factors: tuple[tuple[bool, Node], ...]  # (divided by, factor)


@dataclass(frozen=True, slots=True)
class Power:
    base: Node
    exponent: Node


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # canonical: exp ln sqrt sigmoid tanh sin cos abs max min
    args: tuple[Node, ...]


Node = Num | Const | Var | Neg | Percent | Sum | Product | Power | Call


def children(node: Node) -> tuple[Node, ...]:
    match node:
        case Neg(operand) | Percent(operand):
            return (operand,)
        case Sum(terms):
            return tuple(term for _, term in terms)
        case Product(factors):
            return tuple(factor for _, factor in factors)
        case Power(base, exponent):
            return (base, exponent)
        case Call(_, args):
            return args
    return ()


def has_variable(node: Node) -> bool:
    return isinstance(node, Var) or any(has_variable(child) for child in children(node))


_SUM, _PRODUCT, _UNARY, _POWER, _POSTFIX, _ATOM = range(1, 7)
_SHOWN_NAMES = {"sigmoid": "σ", "pi": "π"}


def show(node: Node) -> str:
    """The tree on one line, bracketed only where needed, in syntax that reads back the same."""
    return _show(node, _SUM)


def drawn(text: str) -> str:
    """`text` (show's, or sympy's drawing) with the minus sign − for each hyphen, as the app
    draws math; the answer parser reads it back the same."""
    return text.replace("-", "\u2212")


def _show(node: Node, needed: int) -> str:
    text, precedence = _render(node)
    return f"({text})" if precedence < needed else text


def _render(node: Node) -> tuple[str, int]:
    match node:
        case Num(text):
            return text, _ATOM
        case Const(name) | Var(name):
            return _SHOWN_NAMES.get(name, name), _ATOM
        case Neg(operand):
            return "-" + _show(operand, _UNARY), _UNARY
        case Percent(operand):
            return _show(operand, _ATOM) + "%", _POSTFIX
        case Sum(terms):
            parts = [_show(terms[0][1], _SUM)]
            for subtracted, term in terms[1:]:
                parts.append(
                    f" - {_show(term, _PRODUCT)}" if subtracted else f" + {_show(term, _SUM)}"
                )
            return "".join(parts), _SUM
        case Product(factors):
            parts = [_show(factors[0][1], _PRODUCT)]
            for divided, factor in factors[1:]:
                parts.append(
                    f"/{_show(factor, _UNARY)}" if divided else f"·{_show(factor, _PRODUCT)}"
                )
            return "".join(parts), _PRODUCT
        case Power(base, exponent):
            return f"{_show(base, _POSTFIX)}^{_show(exponent, _UNARY)}", _POWER
        case Call(name, args):
            inner = ", ".join(_show(arg, _SUM) for arg in args)
            return f"{_SHOWN_NAMES.get(name, name)}({inner})", _ATOM
