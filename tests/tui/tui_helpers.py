"""Helpers of the app tests: a small content folder with every kind of card, a new
SQLite database per test, a fixed clock and seeds, and a way to wait until the app is
idle (every study call runs in a worker)."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import WorkerState

from quizdl.clock import Clock
from quizdl.kb.text import Lang
from quizdl.study.opening import Opened, open_study
from quizdl.tui.app import QuizdlApp, make_app
from quizdl.tui.config import AppSettings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
# a small content folder with every kind of card, shared with tests/study
CONTENT = Path(__file__).resolve().parent.parent / "data" / "sample_content"
SEED = 7


@dataclass
class Maker:
    """Builds the app (and plain Study handles) on one database in a test's folder."""

    folder: Path
    relative: bool = False
    """Show file names relative to the folder (the caller has made it the working
    directory), so that what the screen shows does not depend on where the test runs:
    config.toml always; the database only when `relative_db` (a relative database URL
    is not shared with code that caches engines by URL across tests)."""
    relative_db: bool = False

    @property
    def url(self) -> str:
        if self.relative and self.relative_db:
            return "sqlite:///quizdl.db"
        return f"sqlite:///{self.folder / 'quizdl.db'}"

    @property
    def config_path(self) -> Path:
        return Path("config.toml") if self.relative else self.folder / "config.toml"

    def clock(self, at: datetime = NOW) -> Clock:
        return Clock(zone=UTC, rollover_hour=4, fixed=at)

    def open(
        self, lang: Lang = "en", at: datetime = NOW, content: Sequence[Path] = (CONTENT,)
    ) -> Opened:
        return open_study(
            self.url,
            content=content,
            shipped=False,
            lang=lang,
            clock=self.clock(at),
            rng=random.Random(SEED),
        )

    def app(
        self,
        lang: Lang = "en",
        at: datetime = NOW,
        settings: AppSettings | None = None,
        content: Sequence[Path] = (CONTENT,),
    ) -> QuizdlApp:
        return make_app(
            settings or AppSettings(),
            partial(self.open, lang, at, tuple(content)),
            lang=lang,
            config_path=self.config_path,
        )

    def history(self, days: int = 12) -> None:
        """Reviews on each of the `days` days before NOW, rated by a fixed pattern, so
        that the dashboard and the statistics have something to show."""
        pattern = (3, 3, 1, 4, 3, 2, 3)
        k = 0
        for back in range(days, 0, -1):
            opened = self.open(at=NOW - timedelta(days=back))
            study = opened.study
            study.start()
            while (item := study.next_item()) is not None:
                study.rate(pattern[k % len(pattern)])
                k += 1
                del item
            study.end()
            study.db.dispose()


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no worker is pending or running (a finished worker may start others)."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            await pilot.pause()
            return
        await app.workers.wait_for_complete(busy)
    raise AssertionError("the app never became idle")


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press keys one by one, letting the app finish each before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def drive(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))  # type: ignore[arg-type]

    return run


def text_of(screen: Screen[Any], selector: str) -> str:
    """The text a Static of the screen shows."""
    return str(screen.query_one(selector, Static).render())


S = TypeVar("S", bound=Screen[Any])


async def screen_after(pilot: Pilot[None], key: str, kind: type[S]) -> S:
    """From the app's start: once it is idle, `key`, and the screen that opens."""
    await settle(pilot)
    await press(pilot, key)
    screen = pilot.app.screen
    assert isinstance(screen, kind), screen
    return screen
