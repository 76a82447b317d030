"""Generic diagnoses of a wrong answer when none of the question's own mistakes matched:
a wrong sign, a power of ten, the reciprocal, and for vectors a wrong length or order."""

from __future__ import annotations

import math
from collections.abc import Sequence

from quizdl.kb.text import Text

WRONG_SIGN = Text(
    en="Right size, wrong sign: check the sign of each term.",
    zh="大小对了，但符号反了：检查每一项的正负号。",
)
RECIPROCAL = Text(
    en="That is the reciprocal (1/x) of the right answer: something is upside down.",
    zh="这是正确答案的倒数（1/x）：某处分子分母颠倒了。",
)
WRONG_ORDER = Text(
    en="The right numbers, in the wrong order.",
    zh="数值都对，但顺序不对。",
)
MAX_POWER = 308  # beyond this no float is a power of ten away from another


def power_of_ten(power: int) -> Text:
    if power > 0:
        return Text(
            en=f"Your answer is $10^{{{power}}}$ times too large: off by a power of ten "
            "(check units, percentages and the decimal point).",
            zh=f"你的答案大了 $10^{{{power}}}$ 倍：差了 10 的整数次幂"
            "（检查单位、百分比和小数点位置）。",
        )
    return Text(
        en=f"Your answer is $10^{{{-power}}}$ times too small: off by a power of ten "
        "(check units, percentages and the decimal point).",
        zh=f"你的答案小了 $10^{{{-power}}}$ 倍：差了 10 的整数次幂"
        "（检查单位、百分比和小数点位置）。",
    )


def wrong_length(expected: int, got: int) -> Text:
    return Text(
        en=f"Expected {expected} numbers, got {got}.",
        zh=f"应有 {expected} 个数，你给了 {got} 个。",
    )


def number(value: float, answer: float, rel_tol: float, abs_tol: float) -> Text | None:
    """What the wrong `value` says about the mistake, if it says anything clear."""
    if answer == 0.0 or value == 0.0:
        return None
    if math.isclose(-value, answer, rel_tol=rel_tol, abs_tol=abs_tol):
        return WRONG_SIGN
    power = _power_of_ten(value, answer, rel_tol)
    if power is not None:
        return power_of_ten(power)
    if math.isclose(value, 1.0 / answer, rel_tol=rel_tol, abs_tol=abs_tol):
        return RECIPROCAL
    return None


def vector(
    values: Sequence[float], answer: Sequence[float], rel_tol: float, abs_tol: float
) -> Text | None:
    if len(values) != len(answer):
        return wrong_length(len(answer), len(values))
    pairs = [(v, a) for v, a in zip(values, answer, strict=True) if a != 0.0 or v != 0.0]
    if not pairs:
        return None

    if all(math.isclose(-v, a, rel_tol=rel_tol, abs_tol=abs_tol) for v, a in pairs):
        return WRONG_SIGN
    powers = {_power_of_ten(v, a, rel_tol) for v, a in pairs}
    if len(powers) == 1 and (power := powers.pop()) is not None:
        return power_of_ten(power)
    if all(
        a != 0.0 and math.isclose(v, 1.0 / a, rel_tol=rel_tol, abs_tol=abs_tol) for v, a in pairs
    ):
        return RECIPROCAL
    if all(
        math.isclose(v, a, rel_tol=rel_tol, abs_tol=abs_tol)
        for v, a in zip(sorted(values), sorted(answer), strict=True)
    ):
        return WRONG_ORDER
    return None


def _power_of_ten(value: float, answer: float, rel_tol: float) -> int | None:
    """k when value is answer·10^k for a whole k ≠ 0 (within the relative tolerance)."""
    if answer == 0.0:
        return None
    ratio = value / answer
    if not (math.isfinite(ratio) and ratio > 0.0):
        return None
    power = round(math.log10(ratio))
    if power == 0 or abs(power) > MAX_POWER:
        return None
    return power if math.isclose(value / 10.0**power, answer, rel_tol=rel_tol) else None
