"""The quizdl app: a thin shell that opens the study off the interface thread and shows
the dashboard. Screens live in quizdl/tui/screens, one per module; styles in app.tcss.

`make_app` is the one way to build it: the command line and the tests both call it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.timer import Timer

from quizdl.errors import QuizdlError
from quizdl.lang import Lang
from quizdl.tui import config
from quizdl.tui.collector import CHECK_EVERY_S, IdleCollector
from quizdl.tui.config import AppSettings
from quizdl.tui.i18n import tr
from quizdl.tui.runner import StudyRunner

if TYPE_CHECKING:  # the study (SQLAlchemy, the engine) is imported by the factory, off screen
    from quizdl.study.items import Item
    from quizdl.study.opening import Opened
    from quizdl.study.service import Study

StudyFactory = Callable[[], "Opened"]
WARM_UP_AFTER_S = 1.0
"""The warm-up waits until the dashboard has been on screen this long, so that it never
delays a review started at once."""
PREPARE_AFTER_S = 0.3
"""`prepare` waits until a card of the review has been on screen this long: the learner is
reading it, and a key pressed in the next tenth of a second is unlikely."""


class QuizdlApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "quizdl"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "quit", show=False)]

    def __init__(
        self,
        settings: AppSettings,
        study_factory: StudyFactory,
        *,
        lang: Lang,
        config_path: Path | None = None,
        warm_up: Callable[[], None] | None = None,
        prepare: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.lang: Lang = lang
        self.config_path = config_path
        self.runner = StudyRunner()
        self.readers = StudyRunner("quizdl-stats")
        """Statistics read on a thread of their own (they only read, in a snapshot), so
        that a review started from the dashboard never waits behind its figures."""
        self.opened: Opened | None = None
        self.session_open = False
        """True while a review session is on screen: quitting ends it first."""
        self._factory = study_factory
        self._warm_up = warm_up
        self._warm_up_timer: Timer | None = None
        self._prepare = prepare
        self._prepare_timer: Timer | None = None
        self.collector = IdleCollector()

    @property
    def study(self) -> Study:
        assert self.opened is not None, "the study is opened before any screen uses it"
        return self.opened.study

    def t(self, key: str, **values: object) -> str:
        return tr(self.lang, key, **values)

    def on_mount(self) -> None:
        self._handle_signals()
        self.collector.install()
        self.set_interval(CHECK_EVERY_S, self._collect_when_idle)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        from quizdl.tui.screens.problem import StartScreen

        self.push_screen(StartScreen())
        # Once "opening" is drawn: opening imports the study's modules first, which would hold
        # the interpreter against the drawing (it came 0.2 s later, for no gain after it).
        self.call_after_refresh(self._start_opening)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.collector.touched()
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        # Not while any worker runs: the opening, a study call, the dashboard's figures.
        busy = any(not w.is_finished for w in self.workers)
        self.collector.collect_if_due(busy=busy)

    def _start_opening(self) -> None:
        self.run_worker(self._open(), name="open", exit_on_error=False)

    async def _open(self) -> None:
        from quizdl.tui.screens.dashboard import DashboardScreen
        from quizdl.tui.screens.problem import ProblemScreen

        try:
            self.opened = await self.runner.call(self._factory)
        except QuizdlError as exc:
            await self.switch_screen(ProblemScreen(exc.said(self.lang)))
            return
        except Exception as exc:  # the database or the disk failed: say so, never a traceback
            from quizdl.study.opening import explain_failure

            await self.switch_screen(ProblemScreen(explain_failure(exc, self.lang)))
            return
        self.opened.study.lang = self.lang
        await self.switch_screen(DashboardScreen())
        self.tell_notices()
        if self.opened.problems:
            self.notify(
                self.t("app.content_problems", count=len(self.opened.problems)),
                severity="warning",
                timeout=10,
            )

    def warm_up_when_idle(self) -> None:
        """Run the warm-up (once) when the dashboard has stayed on screen for a moment: the
        dashboard calls this each time it shows its figures."""
        if self._warm_up is not None and self._warm_up_timer is None:
            self._warm_up_timer = self.set_timer(WARM_UP_AFTER_S, self._start_warm_up)

    def _start_warm_up(self) -> None:
        from quizdl.tui.screens.dashboard import DashboardScreen

        self._warm_up_timer = None
        warm_up = self._warm_up
        if warm_up is None or self._study_busy() or not isinstance(self.screen, DashboardScreen):
            return  # the learner moved on; the dashboard asks again when it is back
        self._run_warm_up(warm_up)

    def _study_busy(self) -> bool:
        return any(w.group == "study" and not w.is_finished for w in self.workers)

    def prepare_while_reading(self) -> None:
        """Run `prepare` (once) when the card on screen has been read for a moment: the
        review calls this for each card it shows."""
        if self._prepare is not None and self._prepare_timer is None:
            self._prepare_timer = self.set_timer(PREPARE_AFTER_S, self._start_prepare)

    def _start_prepare(self) -> None:
        self._prepare_timer = None
        prepare = self._prepare
        if prepare is None or self._study_busy():
            return  # a key was pressed meanwhile: the next card shown asks again
        self._prepare = None
        self._run_ahead(prepare, "prepare")

    def warm_up_for(self, item: Item) -> None:
        """Run the warm-up (once) now if `item` is a question answered with an expression:
        its check is what the warm-up prepares, and the learner types for seconds first. A
        review started at once from the dashboard never let the dashboard's warm-up run, and
        the first expression checked waited for sympy (0.3 to 0.5 s)."""
        question = item.question
        warm_up = self._warm_up
        if warm_up is None or question is None or question.draft.kind != "expression":
            return
        if self._warm_up_timer is not None:
            self._warm_up_timer.stop()
            self._warm_up_timer = None
        self._run_warm_up(warm_up)

    def _run_warm_up(self, warm_up: Callable[[], None]) -> None:
        self._warm_up = None
        self._run_ahead(warm_up, "warm-up")

    def _run_ahead(self, work: Callable[[], None], name: str) -> None:
        # On the study thread, so that a study call asked meanwhile waits for it (a fraction
        # of a second). On a thread of its own it would hold the interpreter lock against the
        # study thread, each database call of which then waits up to a switch interval to get
        # it back: a first card asked for during the warm-up took seconds, not a tenth of one.
        self.run_worker(self.runner.call(work), name=name, exit_on_error=False)

    def tell_notices(self) -> None:
        """Show what the study has to tell (a backup made before an upgrade, a daily backup
        that failed), once each."""
        if self.opened is not None:
            for notice in self.opened.take_notices():
                self.notify(notice.said(self.lang), timeout=10, markup=False)

    def change_settings(self, settings: AppSettings, lang: Lang) -> None:
        """Apply and keep the app's own settings; a new language redraws every screen."""
        relabel = lang != self.lang
        self.settings = settings
        self.lang = lang
        if self.opened is not None:
            self.opened.study.lang = lang
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        if self.config_path is not None:
            config.save_settings(self.config_path, settings)
        if relabel:
            self.refresh_bindings()

    async def reset_screens(self) -> None:
        """Back to a freshly drawn dashboard (after the language changed)."""
        from quizdl.tui.screens.dashboard import DashboardScreen

        while len(self.screen_stack) > 2:
            await self.pop_screen()
        await self.switch_screen(DashboardScreen())

    async def action_quit(self) -> None:
        """Quit at any moment: every answer is already committed; an open session is
        ended (its summary stored) first."""
        # A key handled just before quitting (ctrl+q is not a priority binding, so it waits
        # its turn behind them) may have put an answer in a worker: let it be committed.
        pending = [w for w in self.workers if w.group == "study" and not w.is_finished]
        if pending:
            await self.workers.wait_for_complete(pending)
        if self.session_open and self.opened is not None:
            self.session_open = False
            try:
                await self.runner.call(self.opened.study.end)
            except Exception:  # quitting must not fail; the answers are stored already
                pass
        self.exit()

    def _handle_signals(self) -> None:
        """SIGTERM (a shutdown, `kill`) quits as ctrl+q does; SIGHUP (the terminal's window
        closed, the connection dropped) ends the session without the terminal. Where the
        loop cannot take signals (Windows, a thread other than the main one) the default
        stays: every answer is committed already, only the session's summary is lost."""
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGTERM, self.call_later, self.action_quit)
            loop.add_signal_handler(signal.SIGHUP, self._hung_up)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass

    def _hung_up(self) -> None:
        """The terminal is gone: nothing can be drawn, and Textual's exit would stall writing
        to it (a write to a closed terminal fails, and its writer stops taking output). The
        answers asked for are committed, the open session is ended as quitting does, the day's
        backup is finished, and the process leaves at once."""
        opened = self.opened
        end = opened.study.end if self.session_open and opened is not None else None
        self.runner.close(then=end)
        if opened is not None and opened.day_backup is not None:
            with contextlib.suppress(QuizdlError):
                opened.day_backup.wait()
        os._exit(128 + signal.SIGHUP)

    def on_unmount(self) -> None:
        self.runner.close()
        self.readers.close()
        self.collector.uninstall()


def make_app(
    settings: AppSettings,
    study_factory: StudyFactory,
    *,
    lang: Lang = "en",
    config_path: Path | None = None,
    warm_up: Callable[[], None] | None = None,
    prepare: Callable[[], None] | None = None,
) -> QuizdlApp:
    """The app, given its settings, a function that opens the study (called in a worker
    thread), the language, where config.toml is, and two optional things to do once ahead
    of time on the study thread: `warm_up` (long: when the dashboard is left alone, or when
    a question answered with an expression is shown) and `prepare` (short: while the
    learner reads a card of the review)."""
    return QuizdlApp(
        settings,
        study_factory,
        lang=lang,
        config_path=config_path,
        warm_up=warm_up,
        prepare=prepare,
    )
