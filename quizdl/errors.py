"""The one error hierarchy of quizdl. Each error knows the exit code it maps to."""

from __future__ import annotations


class QuizdlError(Exception):
    """Base class. `exit_code` follows the CLI contract: 1 run-time failure, 2 bad input.

    The message is English; `zh`, when given, says the same in Chinese (the messages a
    learner meets on opening the app or during a session: the database, config.toml).
    `said(lang)` is the one to show."""

    exit_code = 1

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    def said(self, lang: str) -> str:
        """The message in `lang`: Chinese when asked for and written, else English."""
        return self.zh if lang == "zh" and self.zh else str(self)


class BadInput(QuizdlError):
    """Input from a person or a file was wrong: usage, content, files."""

    exit_code = 2


class ContentError(BadInput):
    """Content files failed validation; `problems` holds every problem found."""

    def __init__(self, problems: list[object]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems
