"""distinct_mistakes and its comparison: a mistake is kept only when it is more than three
tolerances away from the answer and from every mistake kept before it. Negative numbers in
what a question shows are written with the minus sign."""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys

from quizdl.engine import registry
from quizdl.engine.question import (
    AnswerValue,
    Draft,
    Mistake,
    distinct_mistakes,
    json_list,
    make_draft,
)
from quizdl.kb.text import Text

LABEL = Text.same("?")


def reference_close(a: AnswerValue, b: AnswerValue, rel_tol: float, abs_tol: float) -> bool:
    """Three times the tolerance, elementwise; text compares equal."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    va = a if isinstance(a, tuple) else (a,)
    vb = b if isinstance(b, tuple) else (b,)
    return len(va) == len(vb) and all(
        math.isclose(x, y, rel_tol=3 * rel_tol, abs_tol=3 * abs_tol)
        for x, y in zip(va, vb, strict=True)
    )


def reference_distinct(
    answer: AnswerValue, mistakes: list[Mistake], rel_tol: float, abs_tol: float
) -> tuple[Mistake, ...]:
    kept: list[Mistake] = []
    for m in mistakes:
        if not any(
            reference_close(m.value, o, rel_tol, abs_tol) for o in [answer, *kept_values(kept)]
        ):
            kept.append(m)
    return tuple(kept)


def kept_values(kept: list[Mistake]) -> list[AnswerValue]:
    return [m.value for m in kept]


def test_mistakes_within_three_tolerances_are_left_out() -> None:
    mistakes = [
        Mistake("near", LABEL, 1.0 + 2.9e-3),  # inside 3 × 1e-3 of the answer 1.0
        Mistake("far", LABEL, 1.0 + 3.1e-3),
        Mistake("twin", LABEL, 1.0031),  # a repeat of "far"
        Mistake("other", LABEL, 2.0),
    ]
    kept = distinct_mistakes(1.0, mistakes, rel_tol=1e-3, abs_tol=0.0)
    assert [m.id for m in kept] == ["far", "other"]


def test_vectors_text_and_mixed_values() -> None:
    mistakes = [
        Mistake("shorter", LABEL, (1.0,)),
        Mistake("same", LABEL, (1.0, 2.0)),
        Mistake("swapped", LABEL, (2.0, 1.0)),
        Mistake("text", LABEL, "b"),
        Mistake("text-again", LABEL, "b"),
    ]
    kept = distinct_mistakes((1.0, 2.0), mistakes, rel_tol=1e-3)
    assert [m.id for m in kept] == ["shorter", "swapped", "text"]
    # A number and a one-element vector are compared as vectors.
    assert distinct_mistakes(0.5, [Mistake("one", LABEL, (0.5,))], rel_tol=1e-3) == ()


def random_value(rng: random.Random, length: int) -> AnswerValue:
    """A number (length 0) or a vector, near one of a few values so that some coincide."""
    values = [rng.choice([0.0, 1.0, -2.0, 1e-5, 3.0]) * (1 + rng.gauss(0, 0.003)) for _ in "ab"]
    return tuple(values[: rng.randint(1, 2)] * length) if length else values[0]


def test_agrees_with_the_reference_on_random_values() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        rel, tol = rng.choice([(5e-3, 1e-9), (0.0, 0.25), (1e-3, 5e-4)])
        length = rng.choice([0, 0, 1, 2])
        answer = random_value(rng, length)
        mistakes = [Mistake(f"m{k}", LABEL, random_value(rng, length)) for k in range(4)]
        assert distinct_mistakes(answer, mistakes, rel, tol) == reference_distinct(
            answer, mistakes, rel, tol
        )


def test_make_draft_filters_with_its_own_tolerances() -> None:
    mistakes = [Mistake("a", LABEL, 10.2), Mistake("b", LABEL, 13.0)]
    draft = make_draft(LABEL, "number", 10.0, {}, (LABEL,), mistakes, rel_tol=0.0, abs_tol=0.25)
    assert draft == Draft(
        LABEL,
        "number",
        10.0,
        {},
        (LABEL,),
        distinct_mistakes(10.0, mistakes, 0.0, 0.25),
        rel_tol=0.0,
        abs_tol=0.25,
    )
    assert [m.id for m in draft.mistakes] == ["b"]


def test_json_list_passes_lists_on_and_copies_other_sequences() -> None:
    values = [1, 2, 3]
    assert json_list(values) is values
    assert json_list((1.5, 2.5)) == [1.5, 2.5]


def test_numpy_is_loaded_with_the_first_question_not_with_the_engine() -> None:
    # A start that shows only basic cards imports the engine (through the study's grading)
    # and must not pay for numpy; prepare() (or the first question drawn) loads it, and the
    # question drawn is what a process that had numpy from the start draws.
    code = (
        "import sys\n"
        "import quizdl.engine.answers, quizdl.engine.answers.expression\n"
        "import quizdl.engine.draw, quizdl.engine.question, quizdl.engine.registry\n"
        "print('numpy' in sys.modules)\n"
        "quizdl.engine.question.prepare()  # what the app does while a card is read\n"
        "print('numpy' in sys.modules)\n"
        "from quizdl.engine.answers import check\n"
        "question = quizdl.engine.registry.families()['sigmoid-derivative-symbolic'].generate(7)\n"
        "print('numpy' in sys.modules)\n"
        "print(repr(question.draft.answer))\n"
        "print(check(question, str(question.draft.answer)).correct)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = registry.families()["sigmoid-derivative-symbolic"].generate(7).draft.answer
    assert out.stdout.split("\n")[:5] == ["False", "True", "True", repr(expected), "True"]


def test_no_question_shows_a_hyphen_for_a_negative_number() -> None:
    """Every family, 40 seeds, both languages: prompt, solution, mistakes, choices, hint."""
    hyphen = re.compile(r"(?<![\w)\]\-])-\d")
    found = []
    for family in registry.families().values():
        for seed in range(40):
            draft = family.generate(seed).draft
            texts = [draft.prompt, *draft.solution, *(m.label for m in draft.mistakes)]
            texts += [text for _, text in draft.choices] + ([draft.hint] if draft.hint else [])
            found += [(family.id, seed, t.en) for t in texts if hyphen.search(t.en + t.zh)]
    assert found == []
