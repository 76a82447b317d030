"""A number typed for a card that lists its accepted answers (a typed card of the content,
such as "How long is the bilinear feature vector?" accepting 262144, 262,144, 512^2, ...).

Comparing the text only, as the card's list is written, turned down the same number written
otherwise: 512 ^ 2, 262 144, 0.50 for 0.5, −1.3863 for −ln 4. Here the answer and the
listed forms are read as numbers with the engine's reader (never evaluated by Python), and
the answer is right when

- it is the value of a listed form (to 1 part in 10⁹): 0.50 for 0.5, 512 ^ 2, 2^-1 for ½;
- or, when the card's number is not a whole number (a count is exact: 2.62e5 is not
  262,144), it is a plain decimal, a listed value rounded to the figures it gives, and it
  gives at least as many significant figures as the most rounded decimal the card lists (3
  when it lists none): −1.3863 for −ln 4 where the card lists −1.386; −1.39 is "close".

Answers that are not numbers, and cards that list no number, are left to the text match.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from quizdl.engine.answers.check import number_echo
from quizdl.engine.answers.errors import Unreadable
from quizdl.engine.answers.evaluate import number_value
from quizdl.engine.answers.nodes import Neg, Node, Num, Percent
from quizdl.engine.answers.parse import read_number

SAME = 1e-9  # relative: the same number written otherwise
DEFAULT_FIGURES = 3  # asked of a rounded answer when the card lists no plain decimal


@dataclass(frozen=True)
class ListedNumber:
    correct: bool
    echo: str
    """How the answer was read: "0.5", or "512^2 = 262,144"."""
    figures_wanted: int | None = None
    """Set when the answer is a listed value rounded to fewer figures than the card lists."""


def check_listed_number(raw: str, accepted: Sequence[str]) -> ListedNumber | None:
    """The verdict on `raw` as a number against the numbers among `accepted`; None when
    `raw` or every accepted form is not a number."""
    listed = [read for form in accepted if (read := _read(form)) is not None]
    answer = _read(raw)
    if not listed or answer is None:
        return None
    node, value = answer
    echo = number_echo(node, value)
    if any(math.isclose(value, v, rel_tol=SAME, abs_tol=1e-300) for _, v in listed):
        return ListedNumber(True, echo)
    given = _figures(node)
    if (
        given is None
        or all(v.is_integer() for _, v in listed)
        or not any(_rounds_to(v, given, value) for _, v in listed)
    ):
        return ListedNumber(False, echo)
    wanted = min(
        (f for n, _ in listed if (f := _figures(n)) is not None and not _integer(n)),
        default=DEFAULT_FIGURES,
    )
    if given >= wanted:
        return ListedNumber(True, echo)
    return ListedNumber(False, echo, figures_wanted=wanted)


def _read(text: str) -> tuple[Node, float] | None:
    try:
        node = read_number(text)
        return node, number_value(node)
    except Unreadable:
        return None


def _plain(node: Node) -> Num | None:
    """The decimal written, for a number such as 0.634, −1.386 or 63.4%."""
    while isinstance(node, Neg | Percent):
        node = node.operand
    return node if isinstance(node, Num) else None


def _figures(node: Node) -> int | None:
    """Significant figures of a plain decimal (trailing zeros count: 0.50 has 2)."""
    plain = _plain(node)
    if plain is None:
        return None
    mantissa = plain.text.lower().split("e")[0]
    return max(len(mantissa.replace(".", "").lstrip("0")), 1)


def _integer(node: Node) -> bool:
    """A listed whole number (64, 32,800) is exact, not a rounding."""
    plain = _plain(node)
    return plain is not None and not any(c in plain.text for c in ".eE")


def _rounds_to(exact: float, figures: int, value: float) -> bool:
    rounded = float(f"{exact:.{figures - 1}e}")
    return math.isclose(rounded, value, rel_tol=SAME, abs_tol=1e-300)
