"""What a generator produces: a question with its exact answer, mistakes and solution."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from quizdl.engine.draw import Draw, ParamSpec
from quizdl.kb.text import Text

__all__ = [
    "AnswerKind",
    "AnswerValue",
    "Builder",
    "Draft",
    "Draw",
    "Family",
    "JSONScalar",
    "Mistake",
    "ParamSpec",
    "Params",
    "Question",
    "distinct_mistakes",
    "json_list",
    "make_draft",
]

AnswerKind = Literal["number", "vector", "expression", "choice"]
AnswerValue = float | tuple[float, ...] | str
"""number: a float; vector: a tuple of floats; expression: text in the answer syntax
(see quizdl.engine.answers); choice: the key of the right choice."""

JSONScalar = int | float | str | bool
Params = Mapping[str, JSONScalar | list[JSONScalar] | list[list[JSONScalar]]]


def json_list(values: Sequence[JSONScalar]) -> list[JSONScalar]:
    """`values` as a params list. A list is passed on as it is (mypy sees list[int] and
    list[JSONScalar] as different types: lists are invariant); other sequences are copied."""
    return cast("list[JSONScalar]", values) if type(values) is list else list(values)


@dataclass(frozen=True, slots=True)
class Mistake:
    """A common mistake: the wrong answer it produces and what to tell the learner."""

    id: str
    label: Text
    value: AnswerValue


@dataclass(frozen=True, slots=True)
class Draft:
    """A question as a family builds it; the registry adds generator, version and seed."""

    prompt: Text
    kind: AnswerKind
    answer: AnswerValue
    params: Params
    solution: tuple[Text, ...]
    mistakes: tuple[Mistake, ...] = ()
    rel_tol: float = 1e-3
    abs_tol: float = 1e-9
    variables: tuple[str, ...] = ()
    choices: tuple[tuple[str, Text], ...] = ()
    hint: Text | None = None


@dataclass(frozen=True, slots=True)
class Question:
    generator: str
    version: int
    seed: int
    draft: Draft


Builder = Callable[[Draw], Draft]


@dataclass(frozen=True, slots=True)
class Family:
    """A generator family: a stable id, a version raised whenever its output for a
    seed changes, a one-line description and the parameters a card may narrow."""

    id: str
    version: int
    description: str
    topic: str
    build: Builder
    params: Mapping[str, ParamSpec] = field(default_factory=dict)

    def generate(
        self, seed: int, ranges: Mapping[str, tuple[float, float]] | None = None
    ) -> Question:
        # numpy is imported on the first question drawn, not with the engine: a start that
        # shows only basic cards never loads it (about 80 ms)
        import numpy as np

        rng = np.random.default_rng(seed)
        return Question(self.id, self.version, seed, self.build(Draw(rng, self.params, ranges)))


def prepare() -> None:
    """Load what drawing the first question needs and the engine does not (numpy: 60 to
    80 ms), so that the first question is drawn as fast as the others: for an interface
    to call while the learner is not waiting."""
    import numpy  # noqa: F401


def make_draft(
    prompt: Text,
    kind: AnswerKind,
    answer: AnswerValue,
    params: Params,
    solution: tuple[Text, ...],
    mistakes: Sequence[Mistake],
    *,
    rel_tol: float = 1e-3,
    abs_tol: float = 1e-9,
    hint: Text | None = None,
    choices: tuple[tuple[str, Text], ...] = (),
) -> Draft:
    """A Draft that keeps only the mistakes distinct under its own tolerances."""
    kept = distinct_mistakes(answer, mistakes, rel_tol, abs_tol)
    # positional: Draft's fields in order (variables stays empty: expression drafts are built
    # directly), cheaper than keywords in a call made for every question
    return Draft(prompt, kind, answer, params, solution, kept, rel_tol, abs_tol, (), choices, hint)


def distinct_mistakes(
    answer: AnswerValue, mistakes: Sequence[Mistake], rel_tol: float, abs_tol: float = 1e-9
) -> tuple[Mistake, ...]:
    """The mistakes whose values differ from the answer and from each other.

    For some draws two mistakes (or a mistake and the answer) coincide; such a mistake
    could not be told apart, so it is left out of that question.
    """
    # Three times the tolerance: a mistake must be clearly outside the accepted band.
    rel, tol = 3 * rel_tol, 3 * abs_tol
    kept: list[Mistake] = []
    seen: list[AnswerValue] = [answer]
    for mistake in mistakes:
        value = mistake.value
        for other in seen:
            if _close(value, other, rel, tol):
                break
        else:
            kept.append(mistake)
            seen.append(value)
    return tuple(kept)


def _close(a: AnswerValue, b: AnswerValue, rel_tol: float, abs_tol: float) -> bool:
    """math.isclose, elementwise for vectors (of equal length); text compares equal."""
    isclose = math.isclose
    if type(a) is float and type(b) is float:  # the common case first, without conversions
        return isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
    va: tuple[float, ...]
    vb: tuple[float, ...]
    if isinstance(a, tuple) and isinstance(b, tuple):
        va, vb = a, b
    elif isinstance(a, str) or isinstance(b, str):
        return a == b
    else:
        va = a if isinstance(a, tuple) else (a,)
        vb = b if isinstance(b, tuple) else (b,)
    if len(va) != len(vb):
        return False
    if rel_tol == 0.0:  # exact answers (counts, shapes): math.isclose reduces to this
        for x, y in zip(va, vb, strict=True):
            if x != y and not abs(x - y) <= abs_tol:
                return False
        return True
    for x, y in zip(va, vb, strict=True):
        if not isclose(x, y, rel_tol=rel_tol, abs_tol=abs_tol):
            return False
    return True
