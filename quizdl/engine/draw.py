"""Drawing the parameters of one question from a seeded generator.

Every random number a family uses comes through a `Draw`, so the same seed gives the same
question on every machine. A build has a few tens of microseconds: one call to the
generator costs about as much as building a short string, so the helpers below draw many
numbers in one call (`uniforms`, `uniform_ints`) and pick from them with `choose`.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # numpy is loaded with the first question drawn (question.Family.generate)
    import numpy as np

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A generator parameter and the widest range it accepts; a card may narrow it."""

    low: float
    high: float
    integer: bool = True
    doc: str = ""


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

    def bounds(self, name: str) -> tuple[builtins.float, builtins.float]:
        """The range a value of `name` is drawn from: the card's if it narrows it."""
        if name in self._ranges:
            return self._ranges[name]
        spec = self._specs[name]
        return spec.low, spec.high

    def int(self, name: str) -> builtins.int:
        # bounds() written out: a build draws several values, each in a few microseconds
        if name in self._ranges:
            low, high = self._ranges[name]
        else:
            spec = self._specs[name]
            low, high = spec.low, spec.high
        return int(self.rng.integers(math.ceil(low), math.floor(high), endpoint=True))

    def float(self, name: str, decimals: builtins.int = 2) -> builtins.float:
        """A value rounded to `decimals` so that prompts show exactly what is computed."""
        low, high = self.bounds(name)
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

    def uniforms(self, size: builtins.int) -> list[builtins.float]:
        """`size` uniform numbers in [0, 1) from one call to the generator."""
        values: list[builtins.float] = self.rng.random(size).tolist()
        return values

    def uniform_ints(
        self, low: builtins.int, high: builtins.int, size: builtins.int
    ) -> list[builtins.int]:
        """`size` integers uniform in [low, high] from one vector of uniform floats: cheaper
        than `ints` (rng.integers with a size), and as deterministic (an IEEE product and a
        truncation; x < 1 keeps every value ≤ high)."""
        span = high - low + 1
        if size < 20:
            return [low + int(x * span) for x in self.rng.random(size).tolist()]
        # numpy's float64 product and truncation are Python's, faster for longer vectors
        import numpy as np  # loaded already: self.rng is numpy's

        values: list[builtins.int] = (
            (self.rng.random(size) * span).astype(np.int64) + low
        ).tolist()
        return values


def choose(u: float, options: Sequence[T]) -> T:
    """The option that a uniform number `u` in [0, 1) selects."""
    return options[int(u * len(options))]
