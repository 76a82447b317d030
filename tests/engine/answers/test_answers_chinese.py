"""Why an answer could not be read, in Chinese: every reason the readers give has its Chinese,
which says the same (the same positions, names and numbers), and English is unchanged."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdl.engine.answers import check
from quizdl.engine.question import Draft, Question
from quizdl.kb.text import Text
from tests.engine.answers.test_answers_hostile import ARITHMETIC, HOSTILE, KINDS, NAMES, question

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBERS = re.compile(r"\d+(?:,\d{3})*")

# (kind, answer, a fragment of the English reason, a fragment of the Chinese one): one case
# for each reason the readers can give.
REASONS: list[tuple[str, str, str, str]] = [
    ("number", "", "empty answer", "答案为空"),
    ("number", "0,5", "write decimals with '.'", "第 2 个字符处不应出现 ','（小数请用 '.'"),
    ("number", "2½", "mixed number at position 2", "第 2 个字符处是带分数"),
    ("number", "{}", "unexpected character '{' at position 1", "第 1 个字符 '{' 无法识别"),
    ("number", "abc", "unknown name 'abc' at position 1", "第 1 个字符处的名称 'abc' 无法识别"),
    ("number", "1+", "something is missing after '+'", "'+' 之后还缺少内容"),
    ("number", "(1", "missing ')' for the '(' at position 1", "'(' 缺少对应的 ')'"),
    ("number", "(1]", "expected ')' to close", "但第 3 个字符处是 ']'"),
    ("number", "1)", "(nothing to close)", "前面没有要闭合的括号"),
    ("number", "2 3", "missing operator before '3' at position 3", "'3' 前面缺少运算符"),
    ("number", "ln", "'ln' at position 1 needs an argument", "需要参数，例如 ln(x)"),
    ("number", "max(1)", "takes at least 2 arguments", "'max' 需要至少 2 个参数"),
    ("expression", "tanh^x(x)", "write a whole power", "后面请写一个整数次幂"),
    ("number", "1e999999", "number too large at position 1", "第 1 个字符处的数太大"),
    ("number", "(" * 60 + "1", "nested too deeply (more than 50 levels)", "嵌套太深（超过 50 层）"),
    ("number", "-" * 1999 + "1", "more than 1,000 symbols", "超过 1,000 个符号"),
    ("number", "9" * 3000, "3,000 characters; at most 2,000", "3,000 个字符；最多 2,000 个"),
    ("number", "ln(-1)", "ln of -1 is not a real number", "ln(-1) 不是实数"),
    ("number", "sqrt(-4)", "the square root of -4", "-4 的平方根不是实数"),
    ("number", "exp(710)", "exp of more than 709 overflows", "exp 的参数超过 709 会溢出"),
    ("number", "1/0", "division by zero", "除以零"),
    ("number", "0^-1", "0 to a negative power", "0 的负数次幂"),
    ("number", "(-8)^0.5", "(-8)^0.5 is not a real number", "(-8)^0.5 不是实数"),
    ("number", "10^400", "too large to be a number", "数值太大"),
    ("number", "exp(709)*exp(709)*0", "not a number (an undefined operation", "不是数"),
    ("vector", "", "no numbers found", "没有找到数字"),
    ("vector", "1,,2", "missing number before ',' at position 3", "',' 前面缺少数字"),
    ("expression", "x + 1/0", "division by zero (in 1/0)", "除以零（在 1/0 中）"),
    ("expression", "ln(-x^2 - 1)", "at any test point", "在所有测试点上都无法计算"),
    ("expression", "y", "(the variables here: x)", "（这里的变量：x）"),
    ("choice", "", "empty answer", "答案为空"),
    ("choice", "z", "not one of the choices (a, b)", "不是选项之一（a, b）"),
    ("choice", "z" * 3000, "answer too long", "答案太长"),
]


@pytest.mark.parametrize(("kind", "raw", "english", "chinese"), REASONS)
def test_each_reason_is_said_in_both_languages(
    kind: str, raw: str, english: str, chinese: str
) -> None:
    verdict = check(question(kind), raw)
    assert verdict.correct is None
    assert english in verdict.reason_in("en")
    assert english in verdict.reason  # the English stays where it was
    assert chinese in verdict.reason_in("zh")


def _same_numbers(verdict_en: str, verdict_zh: str) -> None:
    assert sorted(NUMBERS.findall(verdict_en)) == sorted(NUMBERS.findall(verdict_zh))


@pytest.mark.parametrize(("kind", "raw", "english", "chinese"), REASONS)
def test_chinese_names_the_same_positions_and_numbers(
    kind: str, raw: str, english: str, chinese: str
) -> None:
    verdict = check(question(kind), raw)
    _same_numbers(verdict.reason, verdict.reason_zh)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("raw", [raw for raw, _ in HOSTILE])
def test_hostile_answers_are_explained_in_chinese(kind: str, raw: str) -> None:
    verdict = check(question(kind), raw)
    assert CJK.search(verdict.reason_in("zh")), verdict.reason
    _same_numbers(verdict.reason, verdict.reason_zh)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.sampled_from(KINDS), st.one_of(st.text(max_size=60), ARITHMETIC, NAMES))
def test_every_unreadable_answer_has_its_chinese(kind: str, raw: str) -> None:
    verdict = check(question(kind), raw)
    if verdict.correct is None:
        assert CJK.search(verdict.reason_zh), (raw, verdict.reason)
    else:
        assert verdict.reason_in("zh") == verdict.reason == ""


def test_a_read_answer_has_no_reason_in_either_language() -> None:
    draft = Draft(Text.same("?"), "number", 0.5, {}, ())
    verdict = check(Question("test-read", 1, 0, draft), "1/2")
    assert verdict.correct is True
    assert verdict.reason_in("en") == verdict.reason_in("zh") == ""
