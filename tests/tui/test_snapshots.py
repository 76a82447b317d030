"""SVG snapshots of every screen, in English and Chinese, at 80×24 and 120×40, with a
fixed clock, seeds and content. Review a changed snapshot (pytest --snapshot-report)
before accepting it with `pytest tests/tui --snapshot-update`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import Maker, press, settle

from quizdl.kb.text import Lang
from quizdl.tui.screens.quiz import QuizScreen

Steps = Callable[[Pilot[None]], Awaitable[None]]
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
LANGS: tuple[Lang, ...] = ("en", "zh")


async def steady(pilot: Pilot[None]) -> None:
    """Idle, and no blinking cursor (it would make the picture depend on the moment)."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()  # a toast lasts seconds: whether it shows is timing
    await pilot.pause()


async def dashboard(pilot: Pilot[None]) -> None:
    await steady(pilot)


async def review_front(pilot: Pilot[None]) -> None:
    await press(pilot, "r")
    await steady(pilot)


async def review_back(pilot: Pilot[None]) -> None:
    await press(pilot, "r", "space")
    await steady(pilot)


async def review_choice_wrong(pilot: Pilot[None]) -> None:
    # basic, cloze, then the one-answer choice card (not shuffled: 1 is wrong)
    await press(pilot, "r", "space", "3", "space", "3", "1")
    await steady(pilot)


async def review_ordering(pilot: Pilot[None]) -> None:
    await press(pilot, "r", "space", "3", "space", "3", "2", "enter", "1", "2", "enter", "enter")
    await pilot.press(*"0.5")
    await press(pilot, "enter", "enter", "2", "1")
    await steady(pilot)


async def review_number_wrong(pilot: Pilot[None]) -> None:
    await press(pilot, "down", "t")
    await pilot.press(*"1000")
    await press(pilot, "enter")
    await steady(pilot)


async def review_expression(pilot: Pilot[None]) -> None:
    await press(pilot, "down", "t", "escape", "b")  # bury the number card
    await pilot.press(*"3(1-tanh(3x)^2)")
    await press(pilot, "enter")
    await steady(pilot)


async def session_end(pilot: Pilot[None]) -> None:
    await press(pilot, "r", "space", "3", "space", "1", "escape")
    await steady(pilot)


async def quiz_setup(pilot: Pilot[None]) -> None:
    await press(pilot, "g")
    await steady(pilot)


async def quiz_end(pilot: Pilot[None]) -> None:
    await press(pilot, "g")
    screen = pilot.app.screen
    assert isinstance(screen, QuizScreen)
    screen.query_one("#quiz-count", Input).value = "2"
    await press(pilot, "ctrl+s")
    for _ in range(2):
        await pilot.press(*"42")
        await press(pilot, "1", "enter", "enter")
    await steady(pilot)


async def browse(pilot: Pilot[None]) -> None:
    await press(pilot, "b")
    await steady(pilot)


async def browse_card(pilot: Pilot[None]) -> None:
    await press(pilot, "b", "enter")
    await steady(pilot)


async def stats(pilot: Pilot[None]) -> None:
    await press(pilot, "s")
    await steady(pilot)


async def settings(pilot: Pilot[None]) -> None:
    await press(pilot, "c")
    await steady(pilot)


async def help_screen(pilot: Pilot[None]) -> None:
    await press(pilot, "r", "question_mark")
    await steady(pilot)


@dataclass(frozen=True)
class Scene:
    steps: Steps
    history: bool = False
    damaged: bool = False


SCENES = {
    "dashboard-first-run": Scene(dashboard),
    "dashboard": Scene(dashboard, history=True),
    "review-front": Scene(review_front),
    "review-back": Scene(review_back),
    "review-choice-wrong": Scene(review_choice_wrong),
    "review-ordering": Scene(review_ordering),
    "review-number-wrong": Scene(review_number_wrong),
    "review-expression": Scene(review_expression),
    "session-end": Scene(session_end),
    "quiz-setup": Scene(quiz_setup),
    "quiz-end": Scene(quiz_end),
    "browse": Scene(browse, history=True),
    "browse-card": Scene(browse_card),
    "stats": Scene(stats, history=True),
    "settings": Scene(settings),
    "help": Scene(help_screen),
    "problem": Scene(dashboard, damaged=True),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("scene", list(SCENES))
def test_screen(
    scene: str,
    lang: Lang,
    size: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    snap_compare: Callable[..., bool],
) -> None:
    monkeypatch.chdir(tmp_path)
    chosen = SCENES[scene]
    maker = Maker(tmp_path, relative=True, relative_db=chosen.damaged)
    if chosen.history:
        maker.history()
    if chosen.damaged:
        (maker.folder / "quizdl.db").write_bytes(b"not a database at all")
    app = maker.app(lang)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)  # the study opens in a worker before the dashboard shows
        await chosen.steps(pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
