"""Checking an expression answer: equal to the expected one as a function.

First numerically, at fixed pseudo-random points (the same every run): a single point
where both sides are defined and differ makes the answer wrong. When every point agrees,
sympy is asked to confirm; if it cannot, the answer is accepted on the numeric evidence and
the echo says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from quizdl.engine.answers import diagnose, symbolic
from quizdl.engine.answers.errors import Unreadable
from quizdl.engine.answers.evaluate import Undefined, evaluate
from quizdl.engine.answers.nodes import Node, Var, children, show
from quizdl.engine.answers.parse import read_expression
from quizdl.engine.answers.verdict import Outcome
from quizdl.engine.question import Draft
from quizdl.kb.text import Text

POINTS = 20
POINTS_SEED = 20_240_601
# Half the points in [-2, 2], half in [0.05, 3] so that ln and sqrt have a domain too.
_RANGES = ((-2.0, 2.0), (0.05, 3.0))
REL_TOL = 1e-7  # an expression is exact: only floating-point rounding may differ
ABS_TOL = 1e-9

Values = tuple[float | None, ...]  # None where the expression is undefined


@dataclass(frozen=True, slots=True)
class Agreement:
    compared: int  # points where both sides are defined
    equal: bool  # equal at every compared point


def check_expression(draft: Draft, raw: str) -> Outcome:
    variables = draft.variables
    learner = read_expression(raw, variables)
    check_constants(learner)
    expected = trusted(str(draft.answer), variables)
    mine = values_at_points(learner, variables)
    theirs = values_at_points(expected, variables)
    agreement = agree(mine, theirs)
    if not agreement.compared:
        raise Unreadable(
            "could not evaluate the expression at any test point",
            "在所有测试点上都无法计算这个表达式",
        )
    echo = symbolic.pretty(learner, variables)
    if agreement.equal:
        if symbolic.equivalent(learner, expected, variables):
            return Outcome(True, echo)
        return Outcome(True, echo, unconfirmed=agreement.compared)
    for mistake in draft.mistakes:
        wrong = trusted(str(mistake.value), variables)
        match = agree(mine, values_at_points(wrong, variables))
        if match.equal and match.compared:
            return Outcome(False, echo, diagnosis=mistake)
    return Outcome(False, echo, generic=_generic(mine, theirs))


def trusted(text: str, variables: tuple[str, ...]) -> Node:
    """An expression written by a question family; unreadable means a bug, not a learner slip."""
    try:
        return read_expression(text, variables)
    except Unreadable as error:
        raise ValueError(f"the question's own expression {text!r} is unreadable: {error}") from None


def check_constants(node: Node) -> None:
    """Every part without a variable must have a value: x + 1/0 is unreadable."""
    if not _check_parts(node):
        _constant_value(node)


def _check_parts(node: Node) -> bool:
    """Whether `node` has a variable; evaluates its largest parts that have none."""
    if isinstance(node, Var):
        return True
    parts = children(node)
    flags = [_check_parts(part) for part in parts]
    if not any(flags):
        return False
    for part, flag in zip(parts, flags, strict=True):
        if not flag:
            _constant_value(part)
    return True


def _constant_value(node: Node) -> None:
    try:
        evaluate(node, {})
    except Undefined as error:
        part = show(node)
        raise Unreadable(f"{error} (in {part})", f"{error.zh}（在 {part} 中）") from None


@lru_cache(maxsize=16)
def sample_points(variables: tuple[str, ...]) -> tuple[dict[str, float], ...]:
    import numpy as np  # here: importing the checker (with every study) must not load numpy

    rng = np.random.default_rng(POINTS_SEED)
    points: list[dict[str, float]] = []
    for index in range(POINTS):
        low, high = _RANGES[index * len(_RANGES) // POINTS]
        points.append({name: float(rng.uniform(low, high)) for name in variables})
    return tuple(points)


@lru_cache(maxsize=256)
def values_at_points(node: Node, variables: tuple[str, ...]) -> Values:
    values: list[float | None] = []
    for point in sample_points(variables):
        try:
            values.append(evaluate(node, point))
        except Undefined:
            values.append(None)
    return tuple(values)


def agree(mine: Values, theirs: Values) -> Agreement:
    compared = 0
    for a, b in zip(mine, theirs, strict=True):
        if a is None or b is None:
            continue
        compared += 1
        if not math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return Agreement(compared, False)
    return Agreement(compared, True)


def _generic(mine: Values, theirs: Values) -> Text | None:
    negated = tuple(None if v is None else -v for v in theirs)
    inverted = tuple(None if v is None or v == 0.0 else 1.0 / v for v in theirs)
    for transformed, message in ((negated, diagnose.WRONG_SIGN), (inverted, diagnose.RECIPROCAL)):
        match = agree(mine, transformed)
        if match.equal and match.compared:
            return message
    return None
