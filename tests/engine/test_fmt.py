"""fmt: `num` (its short path included) against a reference that rounds the exact binary
value with decimal arithmetic, and the helpers built on it."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pytest

from quizdl.engine.answers import parse_number, parse_vector
from quizdl.engine.fmt import (
    factor,
    num,
    right_answer,
    shown_sig,
    signed,
    subscript,
    superscript,
    tenths,
    typed,
    vec,
)


def reference_num(x: float, sig: int) -> str:
    """`sig` significant figures of the exact value of x (ties to even, as printf rounds),
    trailing zeros dropped; integers below 1000 as they are; the minus sign for negatives."""
    if x < 0:
        return "\u2212" + reference_num(-x, sig)
    if float(x).is_integer():
        return str(int(x))
    exact = Decimal(x)
    step = Decimal(1).scaleb(exact.adjusted() - sig + 1)
    text = format(exact.quantize(step, rounding=ROUND_HALF_EVEN), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def values_in_the_short_range() -> list[float]:
    rng = np.random.default_rng(0)
    values = [1e-4, -1e-4, 0.5, 2.0, -3.25, 999.0, 999.96, 999.99996, 99.995, 0.000123456]
    values += rng.uniform(-999.9, 999.9, 3000).tolist()
    values += (10 ** rng.uniform(-4, 2.999, 3000)).tolist()
    values += [round(v, 2) for v in rng.uniform(-50, 50, 1000).tolist()]
    return [v for v in values if 1e-4 <= abs(v) < 1000]


@pytest.mark.parametrize("sig", [4, 6, 10])
def test_num_rounds_like_decimal_arithmetic(sig: int) -> None:
    for x in values_in_the_short_range():
        assert num(x, sig) == reference_num(x, sig), (x, sig)


def test_num_outside_the_short_range() -> None:
    assert num(0.0) == num(-0.0) == "0"
    assert num(1234) == "1,234" and num(1234.0) == "1,234" and num(-56789) == "−56,789"
    assert num(12345.678) == "12346"
    assert num(1234.5678, 6) == "1234.57"
    assert num(5e-5) == "5×10⁻⁵" and num(-3.14159e-7) == "−3.142×10⁻⁷"
    assert num(2.5e12) == "2,500,000,000,000" and num(2.5e15) == "2.5×10¹⁵"
    assert num(math.inf) == "inf" and num(math.nan) == "nan"


def test_num_of_ints_and_floats_agree() -> None:
    for n in [-999, -5, 0, 7, 999, 1000, 123456]:
        assert num(n) == num(float(n))


def test_vec_factor_signed() -> None:
    assert vec([0.5, -2.0, 1234.0]) == "(0.5, −2, 1,234)"
    assert factor(-0.25) == "(−0.25)" and factor(0.25) == "0.25" and factor(-0.0) == "0"
    assert signed(-1.5) == "− 1.5" and signed(2.0) == "+ 2"


def test_tenths_writes_what_num_writes() -> None:
    for count in range(-300, 301):
        assert tenths(count) == num(count / 10)


def test_sub_and_superscripts() -> None:
    assert subscript(120) == "₁₂₀"
    assert superscript(-34) == "⁻³⁴"


@pytest.mark.parametrize("value", [0.1, 1 / 3, -2.5e-12, 123456789.123, 0.0])
def test_typed_numbers_read_back_exactly(value: float) -> None:
    assert parse_number(typed(value)) == value


def test_typed_vectors_and_text() -> None:
    assert parse_vector(typed((1 / 7, -2.0, 1e-9))) == (1 / 7, -2.0, 1e-9)
    assert typed("sigma(x)*(1 - sigma(x))") == "sigma(x)*(1 - sigma(x))"


@pytest.mark.parametrize("x", [9.405e-5, -3.14159e-7, 2.5e15, 1.234e-12, 6.02214076e23, -1e-30])
def test_scientific_notation_is_drawn_in_superscripts_and_reads_back(x: float) -> None:
    text = num(x)
    assert "^" not in text and "e" not in text
    assert parse_number(text) == pytest.approx(x, rel=5e-4)  # four significant figures


def test_integers_are_written_with_the_minus_sign() -> None:
    assert num(-2) == "−2" and num(0) == "0" and num(17) == "17"
    assert vec([6, -1, 0]) == "(6, −1, 0)" and parse_vector(vec([6, -1, 0])) == (6, -1, 0)


def test_a_negative_number_is_written_with_the_minus_sign_and_reads_back() -> None:
    for x in [-0.5, -3.25, -999.0, -1234.0, -5e-5, -2.5e15]:
        text = num(x)
        assert text.startswith("\u2212") and "-" not in text
        assert parse_number(text) == pytest.approx(x, rel=5e-4)


@pytest.mark.parametrize(
    ("rel_tol", "sig"), [(5e-3, 3), (1e-3, 4), (1e-2, 3), (0.05, 2), (0.5, 1), (1e-6, 7), (0.0, 15)]
)
def test_shown_sig_is_the_fewest_figures_within_the_tolerance(rel_tol: float, sig: int) -> None:
    assert shown_sig(rel_tol) == sig
    # rounding to `sig` figures stays within the tolerance for any mantissa; one fewer may not
    assert 0.5 * 10.0 ** (1 - sig) <= rel_tol or sig == 15
    assert sig == 1 or 0.5 * 10.0 ** (2 - sig) > rel_tol


def test_right_answer_as_the_learner_is_shown_it() -> None:
    assert right_answer(0.122456, 5e-3) == "0.122"
    assert right_answer(-0.122456, 5e-3) == "\u22120.122"
    assert right_answer(-5, 0.0) == "\u22125"
    assert right_answer(1024, 0.0) == "1,024"
    assert right_answer((512, 1024, -5, 5), 0.0) == "(512, 1024, \u22125, 5)"
    assert right_answer("b", 0.0) == "b"
    assert right_answer("1 - tanh(x)^2", 0.0) == "1 - tanh(x)^2"  # typed as written
