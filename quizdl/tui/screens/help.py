"""Every key of the screen beneath, in the app's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quizdl.tui.i18n import lang_of, tr
from quizdl.tui.widgets.keybar import Key


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "close"),
        Binding("question_mark", "dismiss", "close"),
        Binding("q", "dismiss", "close", show=False),
    ]

    def __init__(self, keys: Sequence[Key]) -> None:
        super().__init__()
        self.keys = list(keys)

    def compose(self) -> ComposeResult:
        lang = lang_of(self.app)
        width = max((len(k.label) for k in self.keys), default=4) + 2
        lines = [Content.styled(tr(lang, "help.title"), "bold"), Content("")]
        lines += [
            Content.assemble((k.label.ljust(width), "bold $accent"), tr(lang, k.words))
            for k in self.keys
        ]
        lines += [
            Content(""),
            Content.styled(tr(lang, "help.mouse"), "$text-muted"),
            Content.styled(tr(lang, "help.close"), "$text-muted"),
        ]
        with VerticalScroll(id="help-box"):
            yield Static(Content("\n").join(lines))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
