"""Reading numbers: every accepted syntax, with its value computed independently by Python."""

from __future__ import annotations

import math

import pytest

from quizdl.engine.answers import Unreadable, parse_number

# (typed, value computed here with Python's own arithmetic)
ACCEPTED: list[tuple[str, float]] = [
    ("0.0039", 39 / 10_000),
    ("3.9e-3", 39 / 10_000),
    ("3.9E-3", 39 / 10_000),
    ("1.5e+2", 150.0),
    ("2e3", 2000.0),  # an exponent, not 2·e·3
    (".5", 0.5),
    ("1.", 1.0),  # numpy prints "1."
    ("1/256", 1 / 256),
    ("2^-8", 1 / 256),
    ("2^(-8)", 1 / 256),
    ("4**-4", 1 / 256),
    ("2**3**2", 2.0**9),  # right-associative, as in mathematics
    ("-2^2", -4.0),  # the power binds tighter than the sign
    ("(-2)^2", 4.0),
    ("25%", 0.25),
    ("12.5 %", 0.125),
    ("1,234,567", 1_234_567.0),
    ("1,234.5", 1234.5),
    ("1 234 567", 1_234_567.0),
    ("12 345.6", 12345.6),
    ("1\u00a0234", 1234.0),  # no-break space
    ("1\u2009234", 1234.0),  # thin space
    ("０．５", 0.5),  # full-width
    ("１／２", 0.5),
    ("（１＋２）×３", 9.0),
    ("−0.5", -0.5),  # U+2212 minus sign
    ("−3.9e−3", -39 / 10_000),
    ("2^−8", 1 / 256),
    ("3.9×10^-3", 3.9 * 10.0**-3),
    ("3.9 × 10^-3", 3.9 * 10.0**-3),
    ("3.9·10^-3", 3.9 * 10.0**-3),
    ("3.9*10**-3", 3.9 * 10.0**-3),
    ("10⁻³", 10.0**-3),  # superscripts are a power
    ("2⁸", 256.0),
    ("½", 0.5),
    ("6 ÷ 4", 1.5),
    ("e", math.e),
    ("E", math.e),
    ("pi", math.pi),
    ("π", math.pi),
    ("2pi", 2 * math.pi),
    ("2π", 2 * math.pi),
    ("2e", 2 * math.e),
    ("e^2", math.e**2),
    ("sqrt(2)", math.sqrt(2)),
    ("√2", math.sqrt(2)),
    ("√(9)", 3.0),
    ("2√2", 2 * math.sqrt(2)),
    ("ln 2", math.log(2)),
    ("ln2", math.log(2)),
    ("ln(2)", math.log(2)),
    ("log(2)", math.log(2)),  # log is the natural logarithm
    ("Log(2)", math.log(2)),
    ("exp(1)", math.e),
    ("exp(-1)", 1 / math.e),
    ("sigmoid(0)", 0.5),
    ("σ(0)", 0.5),
    ("sigma(2)", 1 / (1 + math.exp(-2))),
    ("tanh(1)", (math.e - 1 / math.e) / (math.e + 1 / math.e)),
    ("cosh(0)", 1.0),
    ("sin(pi/2)", 1.0),
    ("cos(0)", 1.0),
    ("abs(-3)", 3.0),
    ("max(1, 2)", 2.0),
    ("min(1, 2, -3)", -3.0),
    ("tanh^2(1) + 1", math.tanh(1) ** 2 + 1),
    ("-(2)", -2.0),
    ("--2", 2.0),
    ("+2", 2.0),
    ("2(3)", 6.0),  # implicit multiplication with a bracket
    ("(1/2)(4)", 2.0),
    ("[1+1]*2", 4.0),
    ("  0.5  ", 0.5),
]


@pytest.mark.parametrize(("typed", "value"), ACCEPTED)
def test_accepted_syntax(typed: str, value: float) -> None:
    assert parse_number(typed) == pytest.approx(value, rel=1e-15, abs=0)


# (typed, a fragment of the reason)
UNREADABLE: list[tuple[str, str]] = [
    ("", "empty answer"),
    ("   ", "empty answer"),
    ("0,5", "write decimals with '.'"),  # a decimal comma is not guessed
    ("1,23", "write decimals with '.'"),  # not a valid thousands group
    ("1,234,56", "unexpected ','"),
    ("2 3", "missing operator before '3' at position 3"),
    ("1 23", "missing operator"),  # a space separates thousands only in groups of three
    ("x2", "unknown name 'x2' at position 1"),
    ("(1+2", "missing ')' for the '(' at position 1"),
    ("（１＋２", "missing ')' for the '(' at position 1"),  # positions count what was typed
    ("1+2)", "unexpected ')' at position 4"),
    ("(1]", "expected ')' to close the '(' at position 1, found ']' at position 3"),
    ("1+", "stops too early"),
    ("2 *", "stops too early"),
    ("1/0", "division by zero"),
    ("0^-1", "division by zero"),
    ("sqrt(-1)", "not a real number"),
    ("ln(0)", "not a real number"),
    ("(-8)^(1/3)", "not a real number"),
    ("1e999", "too large"),
    ("10^400", "too large"),
    ("exp(1000)", "too large"),
    ("2½", "mixed number"),
    ("25%%", "unexpected '%'"),
    ("1.2.3", "missing operator"),
    ("foo", "unknown name 'foo'"),
    ("sqrt", "needs an argument"),
    ("max(1)", "takes at least 2 arguments"),
    ("exp(1, 2)", "takes one argument"),
    ("sin^-1(0.5)", "write a whole power"),
    ("1 = 1", "unexpected character '='"),
    ("٣", "unexpected character"),  # only ASCII (or full-width) digits
]


@pytest.mark.parametrize(("typed", "fragment"), UNREADABLE)
def test_unreadable_says_why(typed: str, fragment: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_number(typed)
    assert fragment in caught.value.reason


def test_unreadable_is_a_value_error_and_bad_input() -> None:
    from quizdl.errors import BadInput

    with pytest.raises(ValueError):
        parse_number("?")
    with pytest.raises(BadInput):
        parse_number("?")
