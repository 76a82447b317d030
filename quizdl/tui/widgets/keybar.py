"""The bar of keys at the bottom of a screen; each key is also clickable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.markup import escape
from textual.widgets import Static

from quizdl.kb.text import Lang
from quizdl.tui.fmt import markup
from quizdl.tui.i18n import tr


@dataclass(frozen=True)
class Key:
    """A key of a screen: what to press, the action it runs, and the words for it."""

    label: str
    action: str
    words: str
    """An i18n key: what the key does, for the help screen."""
    in_bar: bool = True
    short: str | None = None
    """An i18n key for the bar, when `words` is too long for it."""


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: auto; max-height: 3; padding: 0 1; background: $panel; }
    """

    def __init__(self, keys: Sequence[Key], lang: Lang, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(markup(bar_markup(keys, lang)), id=id)
        self.keys = list(keys)

    def show(self, keys: Sequence[Key], lang: Lang) -> None:
        if list(keys) == self.keys:
            return  # an update would lay the screen out again for nothing
        self.keys = list(keys)
        self.update(markup(bar_markup(keys, lang)))


def bar_markup(keys: Sequence[Key], lang: Lang) -> str:
    parts = [
        f"[@click=screen.{key.action}][b $accent]{escape(key.label)}[/] "
        f"{escape(tr(lang, key.short or key.words))}[/]"
        for key in keys
        if key.in_bar
    ]
    return "  ".join(parts)
