"""What checking an answer tells the learner and the scheduler."""

from __future__ import annotations

from dataclasses import dataclass

from quizdl.engine.answers.errors import Unreadable
from quizdl.engine.question import Mistake
from quizdl.kb.text import Lang, Text

NO_RATING, AGAIN, HARD, GOOD = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Verdict:
    correct: bool | None
    """None: the answer could not be read; it is not counted as wrong."""
    interpreted: str
    """How the answer was read: "0.0039", "2^-8 = 0.00390625", "(1.5, 2, 0.25)", or a 2-D
    Unicode drawing of an expression. Empty when unreadable."""
    reason: str
    """Why the answer could not be read, in plain words; empty otherwise."""
    diagnosis: Mistake | None
    """The question's own mistake that the wrong answer matches."""
    generic: Text | None
    """A generic diagnosis when no declared mistake matched (power of ten, sign, ...)."""
    suggested_rating: int
    """1 Again if wrong, 3 Good if right, 2 Hard if right after a hint, 0 if unreadable."""
    reason_zh: str = ""
    """`reason` in Chinese."""
    unconfirmed: int = 0
    """An expression accepted at this many test points that sympy could not confirm equal
    (0: confirmed, or not an expression); `interpreted_in` says so."""

    @classmethod
    def unreadable(cls, error: Unreadable) -> Verdict:
        return cls(None, "", str(error), None, None, NO_RATING, error.said("zh"))

    def reason_in(self, lang: Lang) -> str:
        """Why the answer could not be read, in `lang`; empty when it was read."""
        return self.reason_zh if lang == "zh" and self.reason_zh else self.reason

    def interpreted_in(self, lang: Lang) -> str:
        """How the answer was read, with, in `lang`, the note that sympy could not confirm
        an expression accepted at the test points."""
        if not self.unconfirmed:
            return self.interpreted
        points = self.unconfirmed
        note = (
            f"（在 {points} 个测试点上相等，sympy 未能符号验证）"
            if lang == "zh"
            else f"(equal at {points} test points; sympy could not confirm it)"
        )
        return f"{self.interpreted}\n{note}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A readable answer, judged; `verdict` adds the rating."""

    correct: bool
    interpreted: str
    diagnosis: Mistake | None = None
    generic: Text | None = None
    unconfirmed: int = 0

    def verdict(self, *, hinted: bool) -> Verdict:
        rating = (HARD if hinted else GOOD) if self.correct else AGAIN
        diagnosis, generic = (None, None) if self.correct else (self.diagnosis, self.generic)
        return Verdict(
            self.correct,
            self.interpreted,
            "",
            diagnosis,
            generic,
            rating,
            unconfirmed=self.unconfirmed,
        )
