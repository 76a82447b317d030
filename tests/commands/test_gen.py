"""`quizdl gen` as text: the right answer as the app shows it (to the figures the question
checks, with the minus sign), the learner's answer read back, the worked solution."""

from __future__ import annotations

import pytest

from quizdl.cli import main
from quizdl.engine import registry
from quizdl.engine.fmt import right_answer


def gen_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--lang", "en", "gen", *args]) == 0
    return capsys.readouterr().out


def test_the_answer_is_shown_to_the_figures_the_question_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    question = registry.families()["activation-derivative"].generate(3)
    draft = question.draft
    assert "(3 significant figures)" in draft.prompt.en and isinstance(draft.answer, float)
    out = gen_text(capsys, "activation-derivative", "--seed", "3")
    assert f"\nAnswer: {right_answer(draft.answer, draft.rel_tol)}\n" in out
    assert "\nAnswer: 0.122\n" in out  # ELU′(−2.1) = e^−2.1 = 0.12245..., asked to 3 figures
    out = gen_text(capsys, "activation-derivative", "--seed", "3", "--answer", "exp(-2.1)")
    assert "Your answer, read as: exp(−2.1) = 0.1224564283" in out and "\nCorrect\n" in out


def test_a_negative_answer_is_written_with_the_minus_sign(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, family in registry.families().items():
        for seed in range(40):
            draft = family.generate(seed).draft
            if isinstance(draft.answer, float) and draft.answer < 0:
                out = gen_text(capsys, name, "--seed", str(seed))
                shown = right_answer(draft.answer, draft.rel_tol)
                assert shown.startswith("\u2212") and f"\nAnswer: {shown}\n" in out
                return
    pytest.fail("no family gave a negative answer in 40 seeds")
