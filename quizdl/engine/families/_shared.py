"""What the family modules share (the registry skips this module: its name starts with _):
answers to 3 significant figures, questions whose answer is an exact integer count or a
shape of integers, and small probability helpers."""

from __future__ import annotations

import math
from collections.abc import Sequence

from quizdl.engine.question import AnswerKind, Draft, Mistake, Params, make_draft
from quizdl.kb.text import Text

# ---- answers to 3 significant figures -------------------------------------------------

SIG3_REL_TOL = 5e-3
THREE_SIG = Text(en="(3 significant figures)", zh="（保留 3 位有效数字）")


def sig3(en: str, zh: str) -> Text:
    """A question that asks for 3 significant figures."""
    return Text(en=f"{en} {THREE_SIG.en}", zh=f"{zh}{THREE_SIG.zh}")


def sig3_draft(
    prompt: Text,
    kind: AnswerKind,
    answer: float | tuple[float, ...],
    params: Params,
    solution: tuple[Text, ...],
    mistakes: Sequence[Mistake],
    *,
    abs_tol: float,
    hint: Text | None = None,
) -> Draft:
    """A number or vector answered to 3 significant figures (and within `abs_tol`)."""
    return make_draft(
        prompt,
        kind,
        answer,
        params,
        solution,
        mistakes,
        rel_tol=SIG3_REL_TOL,
        abs_tol=abs_tol,
        hint=hint,
    )


# ---- exact integer answers: counts and shapes ------------------------------------------

# Only the exact integer is right. A quarter, not a half: distinct_mistakes keeps a mistake
# only 3 tolerances away from the answer, and off-by-one mistakes (a forgotten +1, a
# ceiling for a floor) must stay diagnosable.
INTEGER_TOL = 0.25


def mistake(mistake_id: str, label: Text, value: int | Sequence[int]) -> Mistake:
    """A mistake whose value is an integer count or a shape of integers."""
    if isinstance(value, int):
        return Mistake(mistake_id, label, float(value))
    return Mistake(mistake_id, label, tuple([float(v) for v in value]))


def count_draft(
    prompt: Text,
    answer: int,
    params: Params,
    solution: tuple[Text, ...],
    mistakes: Sequence[Mistake],
    hint: Text | None = None,
) -> Draft:
    """A question whose answer is an exact integer count: nothing but the integer is right."""
    return _integer_draft(prompt, "number", float(answer), params, solution, mistakes, hint)


def shape_draft(
    prompt: Text,
    answer: Sequence[int],
    params: Params,
    solution: tuple[Text, ...],
    mistakes: Sequence[Mistake],
    hint: Text | None = None,
) -> Draft:
    """A question whose answer is a shape: a vector of exact integers."""
    shape = tuple([float(v) for v in answer])
    return _integer_draft(prompt, "vector", shape, params, solution, mistakes, hint)


def _integer_draft(
    prompt: Text,
    kind: AnswerKind,
    answer: float | tuple[float, ...],
    params: Params,
    solution: tuple[Text, ...],
    mistakes: Sequence[Mistake],
    hint: Text | None,
) -> Draft:
    return make_draft(
        prompt,
        kind,
        answer,
        params,
        solution,
        mistakes,
        rel_tol=0.0,
        abs_tol=INTEGER_TOL,
        hint=hint,
    )


def shape_text(shape: Sequence[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ")"


# ---- probability ------------------------------------------------------------------------

LN2 = math.log(2.0)
SQRT_2PI = math.sqrt(2.0 * math.pi)


def normal_pdf(x: float, mean: float, std: float) -> float:
    z = (x - mean) / std
    return math.exp(-0.5 * z * z) / (std * SQRT_2PI)


def kl_nats(p: Sequence[float], q: Sequence[float]) -> float:
    """KL(P‖Q) = Σ pᵢ ln(pᵢ/qᵢ) of discrete distributions with every pᵢ, qᵢ > 0."""
    return sum([pi * math.log(pi / qi) for pi, qi in zip(p, q, strict=True)])


def compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    """All ways to write `total` as an ordered sum of `parts` positive integers."""
    if parts == 1:
        return [(total,)]
    return [
        (first, *rest)
        for first in range(1, total - parts + 2)
        for rest in compositions(total - first, parts - 1)
    ]
