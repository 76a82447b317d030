"""Checking an answer against a question: read it, judge it, diagnose a wrong one.

Numbers and vectors are accepted within the question's tolerance (math.isclose with
draft.rel_tol and draft.abs_tol, elementwise for vectors, whose length must match).
A choice is its key in any case (``b``, ``B``, ``(b)``, ``b.``) or the text of the choice in
either language (ignoring case and runs of spaces). Expressions: see
quizdl.engine.answers.expression.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from quizdl.engine.answers import diagnose
from quizdl.engine.answers.errors import Unreadable
from quizdl.engine.answers.evaluate import number_value
from quizdl.engine.answers.expression import check_expression
from quizdl.engine.answers.lexer import MAX_CHARS, too_long
from quizdl.engine.answers.nodes import Neg, Node, Num, drawn, show
from quizdl.engine.answers.parse import read_number, read_vector
from quizdl.engine.answers.verdict import Outcome, Verdict
from quizdl.engine.fmt import num
from quizdl.engine.question import AnswerValue, Draft, Mistake, Question
from quizdl.kb.text import LANGS


def check(question: Question, raw: str, *, hinted: bool = False) -> Verdict:
    """The verdict on the learner's `raw` answer; `hinted`: the learner saw the hint."""
    draft = question.draft
    try:
        if draft.kind == "number":
            outcome = _check_number(draft, raw)
        elif draft.kind == "vector":
            outcome = _check_vector(draft, raw)
        elif draft.kind == "expression":
            outcome = check_expression(draft, raw)
        elif draft.kind == "choice":
            outcome = _check_choice(draft, raw)
        else:
            raise ValueError(f"unknown answer kind {draft.kind!r}")
    except Unreadable as error:
        return Verdict.unreadable(error)
    return outcome.verdict(hinted=hinted)


def _check_number(draft: Draft, raw: str) -> Outcome:
    answer = _number(draft.answer)
    node = read_number(raw)
    value = number_value(node)
    echo = number_echo(node, value)

    def close(other: float) -> bool:
        return math.isclose(value, other, rel_tol=draft.rel_tol, abs_tol=draft.abs_tol)

    if close(answer):
        return Outcome(True, echo)
    for mistake in draft.mistakes:
        if isinstance(mistake.value, int | float) and close(float(mistake.value)):
            return Outcome(False, echo, diagnosis=mistake)
    return Outcome(
        False, echo, generic=diagnose.number(value, answer, draft.rel_tol, draft.abs_tol)
    )


def _check_vector(draft: Draft, raw: str) -> Outcome:
    answer = _vector(draft.answer)
    values = tuple(number_value(item) for item in read_vector(raw))
    echo = "(" + ", ".join(_plain(v) for v in values) + ")"

    def close(other: Sequence[float]) -> bool:
        return len(other) == len(values) and all(
            math.isclose(v, o, rel_tol=draft.rel_tol, abs_tol=draft.abs_tol)
            for v, o in zip(values, other, strict=True)
        )

    if close(answer):
        return Outcome(True, echo)
    for mistake in draft.mistakes:
        if isinstance(mistake.value, tuple) and close(_vector(mistake.value)):
            return Outcome(False, echo, diagnosis=mistake)
    return Outcome(
        False, echo, generic=diagnose.vector(values, answer, draft.rel_tol, draft.abs_tol)
    )


def _check_choice(draft: Draft, raw: str) -> Outcome:
    if len(raw) > MAX_CHARS:
        raise too_long(len(raw))
    typed = _fold(raw)
    if not typed:
        raise Unreadable("empty answer", "答案为空")
    keys = {key.casefold(): key for key, _ in draft.choices}
    chosen = keys.get(typed.strip("()[] ").rstrip(".)").strip())
    if chosen is None:
        for key, text in draft.choices:
            forms = {_fold(text.get(lang)) for lang in LANGS} | {
                _fold(text.render(lang)) for lang in LANGS
            }
            if typed in forms:
                chosen = key
                break
    if chosen is None:
        if draft.choices:
            listed = ", ".join(keys.values())
            raise Unreadable(f"not one of the choices ({listed})", f"不是选项之一（{listed}）")
        chosen = typed  # a question without listed choices: compare with the key only
    if chosen.casefold() == str(draft.answer).casefold():
        return Outcome(True, chosen)
    mistake = _matching_choice(draft.mistakes, chosen)
    return Outcome(False, chosen, diagnosis=mistake)


def _matching_choice(mistakes: Sequence[Mistake], chosen: str) -> Mistake | None:
    for mistake in mistakes:
        if isinstance(mistake.value, str) and mistake.value.casefold() == chosen.casefold():
            return mistake
    return None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def number_echo(node: Node, value: float) -> str:
    """How a number answer was read: "0.0039" as typed, or "2^−8 = 0.00390625"."""
    literal = isinstance(node, Num) or (isinstance(node, Neg) and isinstance(node.operand, Num))
    return num(value, 10) if literal else f"{drawn(show(node))} = {num(value, 10)}"


def _plain(value: float) -> str:
    """A value as it reads back in a vector: no thousands separators, up to 10 digits."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _number(answer: AnswerValue) -> float:
    if isinstance(answer, str | tuple):
        raise ValueError(f"a number question needs a float answer, not {answer!r}")
    return float(answer)


def _vector(answer: AnswerValue) -> tuple[float, ...]:
    if not isinstance(answer, tuple):
        raise ValueError(f"a vector question needs a tuple answer, not {answer!r}")
    return tuple(float(v) for v in answer)
