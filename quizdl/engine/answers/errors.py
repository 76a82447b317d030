"""The one error of answer reading: the learner's text could not be read."""

from __future__ import annotations

from quizdl.errors import BadInput


class Unreadable(BadInput, ValueError):
    """The answer could not be read; the message says why, in plain words.

    An unreadable answer is not a wrong answer: the learner is asked to type it again.
    """

    @property
    def reason(self) -> str:
        return str(self)
