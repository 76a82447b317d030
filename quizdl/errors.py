"""The one error hierarchy of quizdl. Each error knows the exit code it maps to."""

from __future__ import annotations


class QuizdlError(Exception):
    """Base class. `exit_code` follows the CLI contract: 1 run-time failure, 2 bad input."""

    exit_code = 1


class BadInput(QuizdlError):
    """Input from a person or a file was wrong: usage, content, files."""

    exit_code = 2


class ContentError(BadInput):
    """Content files failed validation; `problems` holds every problem found."""

    def __init__(self, problems: list[object]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems
