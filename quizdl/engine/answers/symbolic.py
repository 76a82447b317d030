"""sympy for expression answers: the 2-D echo and the symbolic confirmation of equivalence.

sympy is imported inside the functions only: importing quizdl.engine.answers stays cheap.
The sympy expression is built from OUR syntax tree with sympy's constructors; learner text
never reaches sympify or parse_expr.

sympy evaluates exact numbers eagerly, so a tree is first checked to be small enough for
it (`fits_sympy`), and a constant power whose exact value would be large is built from its
float value instead. Sigmoid is written as 1/(1 + exp(-x)), as in most textbooks.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from quizdl.engine.answers.evaluate import Undefined, evaluate
from quizdl.engine.answers.nodes import (
    Call,
    Const,
    Neg,
    Node,
    Num,
    Percent,
    Power,
    Product,
    Sum,
    Var,
    show,
)

MAX_NODES = 300  # larger trees are echoed on one line and checked numerically only
MAX_DEGREE = 100  # sum of whole powers of non-constant bases that `cancel` may expand
MAX_EXACT_BITS = 4096  # a constant power larger than this is built from its float value


def fits_sympy(node: Node) -> bool:
    return _count(node) <= MAX_NODES


def pretty(node: Node, variables: tuple[str, ...]) -> str:
    """A 2-D Unicode drawing of the expression (one line if sympy cannot draw it)."""
    if not fits_sympy(node):
        return show(node)
    import sympy

    try:
        return str(sympy.pretty(to_sympy(node, variables), use_unicode=True))
    except Exception:  # sympy raises many kinds of errors; the one-line form always works
        return show(node)


def equivalent(a: Node, b: Node, variables: tuple[str, ...]) -> bool | None:
    """True when sympy proves a == b; None when it cannot tell (never False: two forms
    that sympy fails to simplify to one another may still be equal)."""
    if not (fits_sympy(a) and fits_sympy(b)) or _degree(a) + _degree(b) > MAX_DEGREE:
        return None
    import sympy

    try:
        difference = to_sympy(a, variables) - to_sympy(b, variables)
        if difference == 0:
            return True
        # tanh, sin, cos and sigmoid all become exponentials, and then a rational function
        # of exponentials cancels to 0 when the forms agree: fast, unlike simplify().
        rewritten = sympy.expand(difference.rewrite(sympy.exp))
        return True if sympy.cancel(sympy.together(rewritten)) == 0 else None
    except Exception:  # sympy raises many kinds of errors; "cannot tell" is the honest answer
        return None


@lru_cache(maxsize=256)
def to_sympy(node: Node, variables: tuple[str, ...]) -> Any:
    import sympy

    symbols = {name: sympy.Symbol(name, real=True) for name in variables}
    return _build(node, sympy, symbols)


def _build(node: Node, sp: Any, symbols: dict[str, Any]) -> Any:
    match node:
        case Num(text):
            value = float(text)
            if value == 0.0 or (1e-30 <= abs(value) <= 1e30 and len(text) <= 40):
                return sp.Rational(text)
            return sp.Float(value)
        case Const(name):
            return sp.E if name == "e" else sp.pi
        case Var(name):
            return symbols[name]
        case Neg(operand):
            return -_build(operand, sp, symbols)
        case Percent(operand):
            return _build(operand, sp, symbols) / 100
        case Sum(terms):
            return sp.Add(*(-_build(t, sp, symbols) if neg else _build(t, sp, symbols) for neg, t in terms))
        case Product(factors):
            parts = [_build(f, sp, symbols) for _, f in factors]
            return sp.Mul(*(sp.Pow(p, -1) if div else p for p, (div, _) in zip(parts, factors, strict=True)))
        case Power(base, exponent):
            b, e = _build(base, sp, symbols), _build(exponent, sp, symbols)
            if b.is_Number and e.is_Number and _exact_bits(b, e) > MAX_EXACT_BITS:
                return sp.Float(_constant(node))
            return sp.Pow(b, e)
        case Call(name, args):
            built = [_build(arg, sp, symbols) for arg in args]
            if name == "sigmoid":
                return 1 / (1 + sp.exp(-built[0]))
            if name in ("max", "min"):
                return (sp.Max if name == "max" else sp.Min)(*built)
            function = {"exp": sp.exp, "ln": sp.log, "sqrt": sp.sqrt, "abs": sp.Abs}.get(name)
            return (function or getattr(sp, name))(built[0])  # tanh, sin, cos
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover - Node is a closed union


def _exact_bits(base: Any, exponent: Any) -> int:
    """About how many bits sympy's exact base**exponent would take (large when unknown)."""
    if not (base.is_Rational and exponent.is_Rational):
        return 0  # a Float power is a float
    size = int(base.p).bit_length() + int(base.q).bit_length()
    if not exponent.is_Integer:
        return size * 64  # a root: sympy factors the base, so keep it small
    return size * abs(int(exponent))


def _constant(node: Node) -> float:
    try:
        return evaluate(node, {})
    except Undefined:
        return float("inf")


def _count(node: Node) -> int:
    return 1 + sum(_count(child) for child in _children(node))


def _degree(node: Node) -> int:
    """The sum of whole powers of non-constant bases: what expanding could multiply out."""
    own = 0
    if isinstance(node, Power) and isinstance(node.exponent, Num) and _has_variable(node.base):
        value = float(node.exponent.text)
        own = int(abs(value)) if value.is_integer() else 0
    return own + sum(_degree(child) for child in _children(node))


def _has_variable(node: Node) -> bool:
    return isinstance(node, Var) or any(_has_variable(child) for child in _children(node))


def _children(node: Node) -> tuple[Node, ...]:
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
