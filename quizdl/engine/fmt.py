"""Number formatting for prompts and solutions: deterministic on every machine.

Formatting is the costliest step of most builds, so `num` takes a short path for the
values most questions show (1e-4 ≤ |x| < 1000) and the helpers here build on it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

_SUBSCRIPT = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def num(x: float, sig: int = 4) -> str:
    """`x` with at most `sig` significant figures, no trailing zeros; integers exactly
    with thousands separators; outside [1e-4, 1e9) in scientific notation drawn as the
    app draws math, 9.405×10⁻⁵ (the answer parser reads it back, as it reads 9.405e-5);
    a negative number with the minus sign, −0.5, as formulas write it (the parser reads
    both signs)."""
    if 1e-4 <= x < 1000.0 and sig >= 4:
        # Below 1000 an integer needs no separator and, with 4 or more significant
        # figures, .g never switches to an exponent: one format does it all.
        return f"{x:.4g}" if sig == 4 else f"{x:.{sig}g}"
    if x < 0:
        return "\u2212" + num(-x, sig)
    if isinstance(x, int) or (math.isfinite(x) and float(x).is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    if 1e-4 <= abs(x) < 1e9:
        text = f"{x:.{sig}g}"
        if "e" in text:  # .g switches to exponent for large values
            text = f"{x:.{max(sig - 1 - math.floor(math.log10(abs(x))), 0)}f}"
        return text
    mantissa, exponent = f"{x:.{sig - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}×10{superscript(int(exponent))}"


def plain(x: float, sig: int = 6) -> str:
    """`x` in a form the answer parser reads back (no thousands separators, e-notation)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{sig}g}"


def vec(values: Iterable[float], sig: int = 4) -> str:
    return "(" + ", ".join([num(v, sig) for v in values]) + ")"


def factor(x: float) -> str:
    """`x` ready to be substituted into a formula: a negative number in parentheses."""
    return f"({num(x)})" if x < 0 else num(x)


def signed(x: float) -> str:
    """`x` as a term added in a formula: "+ 1.5" or "− 1.5"."""
    return f"− {num(-x)}" if x < 0 else f"+ {num(x)}"


def tenths(count: int) -> str:
    """The number count/10 as `num` writes it ("0.3", "−1.2", "2"), without float formatting."""
    sign = "\u2212" if count < 0 else ""
    if count % 10 == 0:
        return f"{sign}{abs(count) // 10}"
    return f"{sign}{abs(count) // 10}.{abs(count) % 10}"


def subscript(n: int) -> str:
    """`n` in subscript digits: 12 → ₁₂."""
    return str(n).translate(_SUBSCRIPT)


def superscript(n: int) -> str:
    """`n` in superscript digits: −3 → ⁻³."""
    return str(n).translate(_SUPERSCRIPT)


def typed(value: float | tuple[float, ...] | str) -> str:
    """An answer value as a learner would type it in the answer syntax, at full precision:
    what the self-test and the benchmarks feed the checker."""
    if isinstance(value, tuple):
        return "(" + ", ".join([repr(v) for v in value]) + ")"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def shown_sig(rel_tol: float) -> int:
    """The significant figures a right answer is shown to: the fewest whose rounding stays
    within the question's relative tolerance (3 for a question that asks for 3 significant
    figures, whose tolerance is 5×10⁻³; 4 for 10⁻³; 7 for 10⁻⁶), at most 15. Whole numbers
    are shown in full, very small or large ones as questions write them (6.4×10⁻⁵)."""
    for sig in range(1, 15):
        if 0.5 * 10.0 ** (1 - sig) <= rel_tol:
            return sig
    return 15


def right_answer(value: float | tuple[float, ...] | str, rel_tol: float) -> str:
    """A question's right answer as the learner is shown it: numbers to the figures its
    tolerance checks (shown_sig), with the minus sign; a vector without thousands separators,
    (512, 1024, 5, 5), not (512, 1,024, 5, 5); a choice's key or an expression as it is."""
    sig = shown_sig(rel_tol)
    if isinstance(value, tuple):
        return "(" + ", ".join(num(v, sig).replace(",", "") for v in value) + ")"
    if isinstance(value, str):
        return value
    return num(value, sig)
