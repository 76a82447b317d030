"""The one error of answer reading: the learner's text could not be read."""

from __future__ import annotations

from quizdl.errors import BadInput


class Unreadable(BadInput, ValueError):
    """The answer could not be read; the message says why, in plain words.

    An unreadable answer is not a wrong answer: the learner is asked to type it again.
    Every reason is written in both languages: `str()` is the English, `said("zh")` the
    Chinese.
    """

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en, zh=zh)

    @property
    def reason(self) -> str:
        return str(self)
