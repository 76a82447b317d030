"""Hostile and arbitrary answers: always a verdict, never an exception, nothing executed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quizdl.engine.answers as answers_package
from quizdl.engine.answers import Unreadable, Verdict, check, parse_number, parse_vector
from quizdl.engine.question import Draft, Question
from quizdl.kb.text import Text


def question(kind: str) -> Question:
    drafts = {
        "number": Draft(Text.same("?"), "number", 0.5, {}, ()),
        "vector": Draft(Text.same("?"), "vector", (1.0, 2.0), {}, ()),
        "expression": Draft(
            Text.same("?"), "expression", "sigma(x)*(1-sigma(x))", {}, (), variables=("x",)
        ),
        "choice": Draft(
            Text.same("?"),
            "choice",
            "a",
            {},
            (),
            choices=(("a", Text.same("ReLU")), ("b", Text.same("GELU"))),
        ),
    }
    return Question("test-hostile", 1, 0, drafts[kind])


KINDS = ("number", "vector", "expression", "choice")

# (answer, a fragment of the reason when it is read as a number)
HOSTILE: list[tuple[str, str]] = [
    ("9" * 100_000, "answer too long"),
    ("x" * 100_000, "answer too long"),
    ("(" * 3000 + "1" + ")" * 3000, "answer too long"),
    ("(" * 400 + "1" + ")" * 400, "nested too deeply (more than 50 levels) at position 51"),
    ("-" * 900 + "1", "nested too deeply"),
    ("√" * 900 + "2", "nested too deeply"),
    ("2^" * 450 + "2", "nested too deeply"),
    ("-" * 1999 + "1", "answer too long (more than 1,000 symbols)"),
    ("1+" * 999 + "1", "answer too long (more than 1,000 symbols)"),
    ("e" * 1999, "answer too long (more than 1,000 symbols)"),
    ("__import__('os')", "unknown name '__import__' at position 1"),
    ("__import__('os').system('ls')", "unknown name '__import__'"),
    ("().__class__.__bases__", "unexpected character '.' at position 3"),
    ("exec('1')", "unknown name 'exec'"),
    ("eval", "unknown name 'eval'"),
    ("lambda: 0", "unknown name 'lambda'"),
    ("open('/etc/passwd')", "unknown name 'open'"),
    ("x.real", "unknown name 'x'"),
    ("1 if 1 else 2", "unknown name 'if'"),
    ("10**10**10", "too large"),
    ("9^9^9^9", "too large"),
    ("2^2^2^2^2^2^2", "too large"),
    ("1e999999", "too large"),
    ("exp(exp(exp(10)))", "too large"),
    ("\x00", "unexpected character '\\x00'"),
    ("'; DROP TABLE reviews; --", "unexpected character"),
    ("{}", "unexpected character '{'"),
]


@pytest.mark.parametrize(("raw", "fragment"), HOSTILE)
def test_hostile_number_is_unreadable_with_reason(raw: str, fragment: str) -> None:
    verdict = check(question("number"), raw)
    assert verdict.correct is None
    assert fragment in verdict.reason
    assert verdict.suggested_rating == 0


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("raw", [raw for raw, _ in HOSTILE])
def test_hostile_answer_gets_a_verdict_of_every_kind(kind: str, raw: str) -> None:
    verdict = check(question(kind), raw)
    assert verdict.correct is None
    assert verdict.reason


@pytest.mark.parametrize(
    "raw",
    [
        "x^(10^10^10)",
        "(x+1)^1000000",
        "x" + "^x" * 49,
        "exp(" * 49 + "x" + ")" * 49,
        "sigma(" * 49 + "x" + ")" * 49,
        "(((1.0000001^64)^64)^64)^64*x",
        "x*" + "*".join(f"(x+{k})" for k in range(1, 60)),
        "+".join(f"sigma(sigma({k}x)^2)" for k in range(1, 40)),
        "max(" + ",".join(["x"] * 400) + ")",
        "1e-999999*x",
    ],
)
def test_hostile_expression_gets_a_verdict(raw: str) -> None:
    """Legal but monstrous expressions: readable or not, they get a verdict (within the
    limits on nodes and depth that keep sympy away from them)."""
    verdict = check(question("expression"), raw)
    assert isinstance(verdict, Verdict)
    assert (verdict.correct is None) == bool(verdict.reason)


def test_equivalent_but_heavy_expression_is_still_accepted() -> None:
    """Numerically equal, too heavy for the symbolic confirmation: accepted, and said so."""
    heavy = "sigma(x)*(1-sigma(x))*(sigma(x)+sigma(-x))^30"
    verdict = check(question("expression"), heavy)
    assert verdict.correct is True
    assert verdict.unconfirmed > 0
    assert "sympy could not confirm" in verdict.interpreted_in("en")


ARITHMETIC = st.text(alphabet="0123456789.,;()[]+-*/^%√ eExπσ²⁻½，－", max_size=40)
NAMES = st.text(alphabet="abcdeilmnopqrstxσ_ (),.1", max_size=30)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), ARITHMETIC, NAMES))
def test_parsers_raise_only_unreadable(raw: str) -> None:
    for parse in (parse_number, parse_vector):
        try:
            parse(raw)
        except Unreadable as error:
            assert str(error)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(st.sampled_from(KINDS), st.one_of(st.text(max_size=60), ARITHMETIC, NAMES))
def test_check_never_raises(kind: str, raw: str) -> None:
    verdict = check(question(kind), raw)
    assert (verdict.correct is None) == bool(verdict.reason)
    assert (verdict.correct is None) == (verdict.suggested_rating == 0)


def test_importing_the_package_does_not_import_sympy() -> None:
    code = (
        "import sys\n"
        "import quizdl.engine.answers as answers\n"
        "assert 'sympy' not in sys.modules, 'imported sympy'\n"
        "from quizdl.engine.answers.symbolic import warm_up\n"
        "warm_up()\n"
        "assert 'sympy' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "sympify", "parse_expr", "S"}


def test_no_dynamic_evaluation_in_the_package() -> None:
    """No eval/exec/sympify/parse_expr anywhere in the answer package, and no attribute of
    sympy is looked up by a name that comes from the learner (getattr only on our names)."""
    package = Path(answers_package.__file__).parent
    for source in sorted(package.glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                assert name not in FORBIDDEN_CALLS, f"{source.name}:{node.lineno} calls {name}"
