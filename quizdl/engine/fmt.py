"""Number formatting for prompts and solutions: deterministic on every machine."""

from __future__ import annotations

import math
from collections.abc import Iterable


def num(x: float, sig: int = 4) -> str:
    """`x` with at most `sig` significant figures, no trailing zeros; integers exactly
    with thousands separators; scientific notation outside [1e-4, 1e9)."""
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
    return f"{mantissa}×10^{int(exponent)}"


def plain(x: float, sig: int = 6) -> str:
    """`x` in a form the answer parser reads back (no thousands separators, e-notation)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{sig}g}"


def vec(values: Iterable[float], sig: int = 4) -> str:
    return "(" + ", ".join(num(v, sig) for v in values) + ")"
