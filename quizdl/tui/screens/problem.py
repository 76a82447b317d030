"""The screens shown before the dashboard: while the study opens, and when it cannot."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from quizdl.tui.i18n import lang_of, tr
from quizdl.tui.widgets.prose import ProseStatic


class StartScreen(Screen[Any]):
    def compose(self) -> ComposeResult:
        lang = lang_of(self.app)
        with Middle(), Center():
            yield Static(tr(lang, "app.opening"), id="opening")


class ProblemScreen(Screen[Any]):
    """Why quizdl could not start, and what to do about it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "quit"),
        Binding("escape", "app.quit", "quit"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        lang = lang_of(self.app)
        text = Content("\n").join(
            [
                Content.styled(tr(lang, "app.problem"), "bold $error"),
                Content(""),
                Content(self.message),
                Content(""),
                Content.styled(tr(lang, "app.problem_hint"), "$text-muted"),
            ]
        )
        with Middle(), Center():
            yield ProseStatic(text, id="problem")
