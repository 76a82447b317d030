"""What a generator produces: a question with its exact answer, mistakes and solution."""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from quizdl.kb.text import Text

AnswerKind = Literal["number", "vector", "expression", "choice"]
AnswerValue = float | tuple[float, ...] | str
"""number: a float; vector: a tuple of floats; expression: text in the answer syntax
(see quizdl.engine.answers); choice: the key of the right choice."""

JSONScalar = int | float | str | bool
Params = Mapping[str, JSONScalar | list[JSONScalar] | list[list[JSONScalar]]]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A generator parameter and the widest range it accepts; a card may narrow it."""

    low: float
    high: float
    integer: bool = True
    doc: str = ""


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


class Draw:
    """Draws parameter values for one question from a seeded generator.

    Each value comes from the card's range for that name when given, else the
    family's own range. All randomness goes through `rng`: same seed, same question.
    """

    __slots__ = ("_ranges", "_specs", "rng")

    def __init__(
        self,
        rng: np.random.Generator,
        specs: Mapping[str, ParamSpec],
        ranges: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        self.rng = rng
        self._specs = specs
        self._ranges = ranges or {}

    def _bounds(self, name: str) -> tuple[builtins.float, builtins.float]:
        if name in self._ranges:
            return self._ranges[name]
        spec = self._specs[name]
        return spec.low, spec.high

    def int(self, name: str) -> builtins.int:
        low, high = self._bounds(name)
        return int(self.rng.integers(math.ceil(low), math.floor(high), endpoint=True))

    def float(self, name: str, decimals: builtins.int = 2) -> builtins.float:
        """A value rounded to `decimals` so that prompts show exactly what is computed."""
        low, high = self._bounds(name)
        return round(float(self.rng.uniform(low, high)), decimals)

    def pick(self, options: Sequence[Any]) -> Any:
        return options[int(self.rng.integers(len(options)))]

    def ints(self, low: builtins.int, high: builtins.int, size: builtins.int) -> list[builtins.int]:
        return [int(v) for v in self.rng.integers(low, high, size=size, endpoint=True)]

    def floats(
        self,
        low: builtins.float,
        high: builtins.float,
        size: builtins.int,
        decimals: builtins.int = 2,
    ) -> list[builtins.float]:
        return [round(float(v), decimals) for v in self.rng.uniform(low, high, size=size)]


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
        rng = np.random.default_rng(seed)
        return Question(self.id, self.version, seed, self.build(Draw(rng, self.params, ranges)))


def distinct_mistakes(
    answer: AnswerValue, mistakes: Sequence[Mistake], rel_tol: float, abs_tol: float = 1e-9
) -> tuple[Mistake, ...]:
    """The mistakes whose values differ from the answer and from each other.

    For some draws two mistakes (or a mistake and the answer) coincide; such a mistake
    could not be told apart, so it is left out of that question.
    """
    kept: list[Mistake] = []
    seen: list[AnswerValue] = [answer]
    for mistake in mistakes:
        if not any(_close(mistake.value, other, rel_tol, abs_tol) for other in seen):
            kept.append(mistake)
            seen.append(mistake.value)
    return tuple(kept)


def _close(a: AnswerValue, b: AnswerValue, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    va = a if isinstance(a, tuple) else (a,)
    vb = b if isinstance(b, tuple) else (b,)
    if len(va) != len(vb):
        return False
    # Three times the tolerance: a mistake must be clearly outside the accepted band.
    return all(
        math.isclose(x, y, rel_tol=3 * rel_tol, abs_tol=3 * abs_tol)
        for x, y in zip(va, vb, strict=True)
    )
