"""What every screen shares: the app's language, the study, study calls in a worker,
and the keys listed in its key bar and on its help screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen

from quizdl.errors import QuizdlError
from quizdl.kb.text import Lang
from quizdl.study.opening import explain_failure
from quizdl.study.service import Study
from quizdl.tui.i18n import tr
from quizdl.tui.widgets.keybar import Key

if TYPE_CHECKING:
    from quizdl.tui.app import QuizdlApp

T = TypeVar("T")

SCROLL_BINDINGS: list[BindingType] = [
    Binding("up", "scroll_card('up')", show=False),
    Binding("down", "scroll_card('down')", show=False),
    Binding("pageup", "scroll_card('page_up')", show=False),
    Binding("pagedown", "scroll_card('page_down')", show=False),
]
"""The keys that scroll a long card on a screen with a CARD_SCROLL. They are the screen's,
so they work whatever has the focus: no widget (the card is rated with keys) or the answer
line (which takes no arrow up or down, nor page keys)."""
K_SCROLL = Key("↑↓ PgUp PgDn", "noop", "key.scroll_card", in_bar=False)


class QuizdlScreen(Screen[Any]):
    KEYS: ClassVar[list[Key]] = []
    """The keys of this screen, for its key bar and the help screen."""
    CARD_SCROLL: ClassVar[str] = ""
    """The selector of the VerticalScroll that holds the screen's card, if it has one
    (with SCROLL_BINDINGS)."""

    @property
    def qapp(self) -> QuizdlApp:
        return cast("QuizdlApp", self.app)

    @property
    def lang(self) -> Lang:
        return self.qapp.lang

    @property
    def study(self) -> Study:
        return self.qapp.study

    def t(self, key: str, **values: object) -> str:
        return tr(self.lang, key, **values)

    def longest_title(self) -> int:
        """The cells of the longest topic title in the session's language: how wide a
        column of titles need be on a terminal wide enough."""
        titles = self.study.kb.topics.values()
        return max((cell_len(topic.title.get(self.lang)) for topic in titles), default=0)

    def keys_now(self) -> list[Key]:
        """The keys that work at this moment (a screen with phases narrows them)."""
        return list(self.KEYS)

    def study_call(
        self,
        fn: Callable[[], T],
        done: Callable[[T], object],
        failed: Callable[[str], object] | None = None,
        *,
        reading: bool = False,
        said_in_place: bool = False,
    ) -> None:
        """Run `fn` on the study thread (`reading`: on the statistics thread, for reads
        that need no order with the study's writes); `done(result)` back on the interface.
        A failure is reported in plain words (and handed to `failed`), never as a
        traceback; `said_in_place`: `failed` shows it where the learner looks (a search's
        mistake under its line), so it is not told a second time in a notification."""
        runner = self.qapp.readers if reading else self.qapp.runner

        async def job() -> None:
            try:
                result = await runner.call(fn)
            except QuizdlError as exc:
                message = exc.said(self.qapp.lang)
            except Exception as exc:
                message = explain_failure(exc, self.qapp.lang)
            else:
                done(result)
                return
            if not (said_in_place and failed is not None):
                self.notify(self.t("app.failed", reason=message), severity="error", timeout=8)
            if failed is not None:
                failed(message)

        self.run_worker(job(), group="study", exit_on_error=False)

    def action_scroll_card(self, how: str) -> None:
        if not self.CARD_SCROLL:
            return
        scroll = self.query_one(self.CARD_SCROLL, VerticalScroll)
        moves = {
            "up": scroll.scroll_up,
            "down": scroll.scroll_down,
            "page_up": scroll.scroll_page_up,
            "page_down": scroll.scroll_page_down,
        }
        moves[how](animate=False)

    def action_help(self) -> None:
        from quizdl.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.KEYS))

    def action_back(self) -> None:
        self.dismiss()
