"""sympy for expression answers: the 2-D echo and the symbolic confirmation of equivalence.

sympy is imported inside the functions only: importing quizdl.engine.answers stays cheap.
The sympy expression is built from OUR syntax tree with sympy's constructors; learner text
never reaches sympify or parse_expr.

sympy evaluates exact numbers eagerly and its time grows fast with the size of an
expression, so a tree is first checked to be small enough for it (`fits_sympy`, and tighter
limits for the confirmation), and a constant power whose exact value would be large is built
from its float value instead. For the confirmation, sigmoid is 1/(1 + exp(-x)), as in most
textbooks; the echo draws it as σ(x), as the learner typed it (its exponential form turned
σ(x)(1 − σ(x)) into a tower of fractions five lines high).
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from quizdl.engine.answers import nodes
from quizdl.engine.answers.evaluate import Undefined, evaluate
from quizdl.engine.answers.nodes import children, drawn, has_variable, show

# Larger or deeper trees are echoed on one line and checked numerically only: sympy's time
# grows fast with nesting (sigmoid inside sigmoid ... 50 deep takes seconds).
MAX_NODES = 120
MAX_SYMPY_DEPTH = 10
# The symbolic confirmation rewrites into exponentials and cancels, which can blow up; it is
# tried only on small trees with few nested functions and low powers.
MAX_CONFIRM_NODES = 80
MAX_CONFIRM_NESTING = 3  # functions of functions of functions of a variable
MAX_DEGREE = 24  # sum of whole powers of non-constant bases that `cancel` may expand
CONFIRM_BUDGET_S = 0.2  # checked between sympy steps: a slow confirmation gives up early
# A constant power is built from its float value when its exact value could be large:
MAX_EXACT_POWER = 64
MAX_EXACT_BITS = 4096
MAX_ROOT_BITS = 256


def fits_sympy(node: nodes.Node) -> bool:
    return _count(node) <= MAX_NODES and _depth(node) <= MAX_SYMPY_DEPTH


def warm_up() -> None:
    """Import sympy and run its printer and canceller once (about half a second), so that the
    first expression answer is checked as fast as the others: call it while the first
    expression question is on screen, or at start-up when the session has some."""
    from quizdl.engine.answers.parse import read_expression

    sigmoid_derivative = read_expression("σ(x)(1-σ(x))", ("x",))
    pretty(sigmoid_derivative, ("x",))
    equivalent(sigmoid_derivative, read_expression("exp(-x)/(1+exp(-x))^2", ("x",)), ("x",))


def pretty(node: nodes.Node, variables: tuple[str, ...]) -> str:
    """A 2-D Unicode drawing of the expression (one line if sympy cannot draw it), minus
    signs drawn as − (sympy writes a hyphen)."""
    if not fits_sympy(node):
        return drawn(show(node))
    import sympy

    try:
        drawing = to_sympy(node, variables, sigmoid_drawn=True)
        return drawn(str(sympy.pretty(drawing, use_unicode=True)))
    except Exception:  # sympy raises many kinds of errors; the one-line form always works
        return drawn(show(node))


def equivalent(a: nodes.Node, b: nodes.Node, variables: tuple[str, ...]) -> bool | None:
    """True when sympy proves a == b; None when it cannot tell (never False: two forms
    that sympy fails to simplify to one another may still be equal)."""
    if (
        _count(a) + _count(b) > MAX_CONFIRM_NODES
        or max(_depth(a), _depth(b)) > MAX_SYMPY_DEPTH
        or max(_nesting(a), _nesting(b)) > MAX_CONFIRM_NESTING
        or _degree(a) + _degree(b) > MAX_DEGREE
    ):
        return None
    import sympy

    start = time.perf_counter()
    try:
        difference = to_sympy(a, variables) - to_sympy(b, variables)
        if difference == 0:
            return True
        # tanh, sin, cos and sigmoid all become exponentials, exp(a + b) becomes exp(a)exp(b),
        # and then a rational function of exponentials cancels to 0 when the forms agree:
        # fast, unlike simplify() (a general expand() can take seconds on nested functions).
        steps = (
            lambda e: e.rewrite(sympy.exp),
            sympy.expand_power_exp,
            sympy.together,
            sympy.cancel,
        )
        for step in steps:
            if time.perf_counter() - start > CONFIRM_BUDGET_S:
                return None
            difference = step(difference)
        return True if difference == 0 else None
    except Exception:  # sympy raises many kinds of errors; "cannot tell" is the honest answer
        return None


@lru_cache(maxsize=256)
def to_sympy(node: nodes.Node, variables: tuple[str, ...], *, sigmoid_drawn: bool = False) -> Any:
    """The sympy expression of `node`. A constant part with a function in it, such as
    tanh(2) or ln(3), becomes a symbol named after it: sympy would spend long on the
    exact value, the drawing shows it as typed, and an identity that holds for any value of
    such a symbol holds for its actual value, so the confirmation stays sound.
    `sigmoid_drawn`: sigmoid is an undefined function σ, for drawing only (sympy knows
    nothing of it, so it cannot confirm an identity with it)."""
    import sympy

    symbols = {name: sympy.Symbol(name, real=True) for name in variables}
    sigmoid = sympy.Function("σ") if sigmoid_drawn else None
    return _Builder(sympy, symbols, sigmoid).build(node)


class _Builder:
    def __init__(self, sp: Any, symbols: dict[str, Any], sigmoid: Any = None) -> None:
        self.sp = sp
        self.symbols = symbols
        self.sigmoid = sigmoid

    def build(self, node: nodes.Node) -> Any:
        sp = self.sp
        if not has_variable(node) and not _plain_constant(node):
            # sympy's printer would read '^' in a name as a superscript marker
            return sp.Symbol(show(node).replace("^", "**"), real=True)
        match node:
            case nodes.Num(text):
                value = float(text)
                if 1e-30 <= abs(value) <= 1e30 and len(text) <= 40:
                    return sp.Rational(text)
                return sp.Float(value)  # also a literal that underflows to 0
            case nodes.Const(name):
                return sp.E if name == "e" else sp.pi
            case nodes.Var(name):
                return self.symbols[name]
            case nodes.Neg(operand):
                return -self.build(operand)
            case nodes.Percent(operand):
                return self.build(operand) / 100
            case nodes.Sum(terms):
                return sp.Add(*(-self.build(t) if neg else self.build(t) for neg, t in terms))
            case nodes.Product(factors):
                return sp.Mul(
                    *(sp.Pow(self.build(f), -1) if div else self.build(f) for div, f in factors)
                )
            case nodes.Power(base, exponent):
                return self.power(node, self.build(base), self.build(exponent))
            case nodes.Call("sqrt", (argument,)):
                return self.power(node, self.build(argument), sp.Rational(1, 2))
            case nodes.Call(name, args):
                built = [self.build(arg) for arg in args]
                if name == "sigmoid":
                    if self.sigmoid is not None:
                        return self.sigmoid(built[0])
                    return 1 / (1 + sp.exp(-built[0]))
                if name in ("max", "min"):  # unevaluated: comparing terms is slow in sympy
                    return (sp.Max if name == "max" else sp.Min)(*built, evaluate=False)
                function = {"exp": sp.exp, "ln": sp.log, "abs": sp.Abs}.get(name)
                return (function or getattr(sp, name))(built[0])  # tanh, sin, cos, sinh, cosh
        raise AssertionError(f"unknown node {node!r}")  # pragma: no cover - a closed union

    def power(self, node: nodes.Node, base: Any, exponent: Any) -> Any:
        if not has_variable(node) and _too_exact(base, exponent):
            return self.sp.Float(_constant(node))
        return self.sp.Pow(base, exponent)


def _too_exact(base: Any, exponent: Any) -> bool:
    """Whether sympy's exact value of a constant base**exponent could be huge."""
    if not exponent.is_Number:
        return False
    if abs(float(exponent)) > MAX_EXACT_POWER:
        return True
    if not base.is_Rational:
        return False  # pi^64 stays a power; sqrt(2)^64 is 2^32
    bits = int(base.p).bit_length() + int(base.q).bit_length()
    if exponent.is_Integer:
        return bits * abs(int(exponent)) > MAX_EXACT_BITS
    return bits > MAX_ROOT_BITS  # a root: sympy looks for factors of the base


def _constant(node: nodes.Node) -> float:
    try:
        return evaluate(node, {})
    except Undefined:
        return float("inf")


def _depth(node: nodes.Node) -> int:
    return 1 + max((_depth(child) for child in children(node)), default=0)


def _count(node: nodes.Node) -> int:
    return 1 + sum(_count(child) for child in children(node))


def _degree(node: nodes.Node) -> int:
    """The sum of constant powers of non-constant bases: what expanding could multiply out."""
    own = 0
    match node:
        case nodes.Power(base, exponent) if has_variable(base) and not has_variable(exponent):
            value = abs(_constant(exponent))
            own = int(min(value, 1e9)) if value.is_integer() or value > 1e9 else 0
    return own + sum(_degree(child) for child in children(node))


def _plain_constant(node: nodes.Node) -> bool:
    """Numbers, e and π combined by arithmetic and square roots: exact in sympy and cheap."""
    if isinstance(node, nodes.Call):
        return node.name == "sqrt" and _plain_constant(node.args[0])
    return not isinstance(node, nodes.Var) and all(_plain_constant(c) for c in children(node))


def _nesting(node: nodes.Node) -> int:
    """How deeply functions of the variables are nested: exp(σ(x)) is 2."""
    inner = max((_nesting(child) for child in children(node)), default=0)
    return inner + 1 if isinstance(node, nodes.Call) and has_variable(node) else inner
