"""Helpers shared by the family tests (imported as a plain module: pytest puts this folder on
sys.path, there being no __init__.py): typed access to what a draft holds, and the checks
that its declared mistakes stay apart from the answer and from each other."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np

from quizdl.engine.question import AnswerValue, Draft

# ---- typed access -----------------------------------------------------------------------


def number(value: object) -> float:
    assert isinstance(value, float), value
    return value


def integer(value: object) -> int:
    assert isinstance(value, int), value
    return value


def int_list(value: object) -> list[int]:
    assert isinstance(value, list) and all(isinstance(v, int) for v in value), value
    return value


def int_param(draft: Draft, key: str) -> int:
    return integer(draft.params[key])


def float_param(draft: Draft, key: str) -> float:
    """A drawn number, int or float, as a float."""
    value = draft.params[key]
    assert isinstance(value, int | float), value
    return float(value)


def int_list_param(draft: Draft, key: str) -> list[int]:
    return int_list(draft.params[key])


def float_list_param(draft: Draft, key: str) -> list[float]:
    value = draft.params[key]
    assert isinstance(value, list) and all(isinstance(v, int | float) for v in value), value
    return [float(v) for v in value]  # type: ignore[arg-type]


def array_param(draft: Draft, key: str) -> np.ndarray:
    value = draft.params[key]
    assert isinstance(value, list), value
    return np.array(value, dtype=float)


def as_tuple(value: AnswerValue) -> tuple[float, ...]:
    assert not isinstance(value, str), value
    return value if isinstance(value, tuple) else (value,)


def as_vector(value: AnswerValue) -> np.ndarray:
    return np.array(as_tuple(value), dtype=float)


def mistakes_by_id(draft: Draft) -> dict[str, AnswerValue]:
    return {m.id: m.value for m in draft.mistakes}


def numbers_by_id(draft: Draft) -> dict[str, float]:
    """The mistakes of a number question."""
    return {m.id: number(m.value) for m in draft.mistakes}


def mistake_value(draft: Draft, mistake_id: str) -> AnswerValue | None:
    """The value of the mistake `mistake_id`, None when this question left it out."""
    return mistakes_by_id(draft).get(mistake_id)


def close(a: float, b: float, rel_tol: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    """Equal up to floating-point rounding: for comparing with an independent computation."""
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


# ---- mistakes stay apart ----------------------------------------------------------------


def within(a: AnswerValue, b: AnswerValue, rel_tol: float = 1e-9, abs_tol: float = 1e-9) -> bool:
    """Whether the checker would take `a` for `b`: equal text, or numbers (of a vector of the
    same length) all within the tolerances."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    va, vb = as_tuple(a), as_tuple(b)
    return len(va) == len(vb) and all(
        math.isclose(x, y, rel_tol=rel_tol, abs_tol=abs_tol) for x, y in zip(va, vb, strict=True)
    )


def clearly_different(draft: Draft, a: AnswerValue, b: AnswerValue) -> bool:
    return not within(a, b, draft.rel_tol, draft.abs_tol)


def assert_mistakes_distinct(draft: Draft) -> None:
    """The answer and every kept mistake: no two of them within the question's tolerance, and
    for a choice question each mistake is one of the choices."""
    values = [draft.answer, *(m.value for m in draft.mistakes)]
    for a, b in itertools.combinations(values, 2):
        assert clearly_different(draft, a, b), (a, b)
    if draft.kind == "choice":
        keys = {key for key, _ in draft.choices}
        assert all(m.value in keys for m in draft.mistakes)


def assert_integers_apart(draft: Draft) -> None:
    """For exact integer answers (counts, shapes): the answer and every kept mistake differ
    by at least 1 in some entry."""
    values = [as_tuple(draft.answer), *(as_tuple(m.value) for m in draft.mistakes)]
    for a, b in itertools.combinations(values, 2):
        assert len(a) != len(b) or max(abs(x - y) for x, y in zip(a, b, strict=True)) >= 1


def assert_mistakes_match(draft: Draft, expected: Mapping[str, np.ndarray | float]) -> None:
    """Every kept mistake has the value that `expected` computes for its id, and is clearly
    apart from the answer."""
    for mistake in draft.mistakes:
        np.testing.assert_allclose(as_vector(mistake.value), expected[mistake.id], rtol=1e-9)
        assert clearly_different(draft, mistake.value, draft.answer)
