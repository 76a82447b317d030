"""The summary at the end of a review session."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.content import Content

from quizdl.study.items import Summary
from quizdl.tui import fmt
from quizdl.tui.screens.base import QuizdlScreen
from quizdl.tui.widgets.keybar import Key, KeyBar
from quizdl.tui.widgets.prose import ProseStatic


class SessionEndScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [
        Key("enter", "back", "key.back"),
        Key("r", "again", "key.review"),
        Key("?", "help", "key.help"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "back", show=False),
        Binding("escape", "back", show=False),
        Binding("r", "again", show=False),
        Binding("question_mark", "help", show=False),
    ]

    def __init__(self, summary: Summary, topics: tuple[str, ...]) -> None:
        super().__init__()
        self.summary = summary
        self.topics = topics

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield ProseStatic(self._text(), id="session-end")
        yield KeyBar(self.KEYS, self.lang)

    def _text(self) -> Content:
        s = self.summary
        ratings = {name: s.by_rating.get(n, 0) for n, name in enumerate(_NAMES, 1)}
        lines = [
            Content.styled(self.t("end.title"), "bold"),
            Content(""),
            Content(
                self.t("end.reviewed", count=s.reviewed, time=fmt.duration(self.lang, s.seconds))
            ),
            Content(self.t("end.ratings", **ratings)),
        ]
        if s.correct or s.incorrect:
            lines.append(Content(self.t("end.answers", correct=s.correct, incorrect=s.incorrect)))
        lines.append(Content(""))
        if s.remaining.total:
            lines.append(Content(self.t("end.remaining", count=s.remaining.total)))
        if s.learning_later_today:
            clock = self.study.clock
            at = fmt.when(s.next_learning_due, clock.zone, clock.now())
            lines.append(Content(self.t("end.later", count=s.learning_later_today, time=at)))
        if not s.remaining.total and not s.learning_later_today:
            lines.append(Content.styled(self.t("end.done"), "$success"))
        return Content("\n").join(lines)

    def action_again(self) -> None:
        from quizdl.tui.screens.review import ReviewScreen

        self.app.switch_screen(ReviewScreen(self.topics))


_NAMES = ("again", "hard", "good", "easy")
