"""SVG snapshots of a quiz counted in the schedule, in English and Chinese, at 80×24 and
120×40 (fixed clock, seeds and content): a question answered and recorded, and the end
with the number of answers recorded. Review a changed snapshot (pytest --snapshot-report)
before accepting it with `pytest tests/tui --snapshot-update -k quiz`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input
from tui_helpers import Maker, press, settle

from quizdl.kb.text import Lang
from quizdl.tui.screens.quiz import QuizScreen

Steps = Callable[[Pilot[None]], Awaitable[None]]
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
LANGS: tuple[Lang, ...] = ("en", "zh")


async def steady(pilot: Pilot[None]) -> None:
    """Idle, no blinking cursor and no toast (either would make the picture timing)."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


async def start_counted(pilot: Pilot[None], count: int) -> None:
    await press(pilot, "g")
    screen = pilot.app.screen
    assert isinstance(screen, QuizScreen)
    screen.query_one("#quiz-count", Input).value = str(count)
    await press(pilot, "tab", "tab", "space")
    assert screen.query_one("#quiz-counted", Checkbox).value
    await press(pilot, "ctrl+s")


async def counted_answer(pilot: Pilot[None]) -> None:
    await start_counted(pilot, 2)
    await pilot.press(*"42")
    await press(pilot, "1", "enter")  # "1" picks an option of a choice question
    await steady(pilot)


async def counted_end(pilot: Pilot[None]) -> None:
    await start_counted(pilot, 2)
    for _ in range(2):
        await pilot.press(*"42")
        await press(pilot, "1", "enter", "enter")
    await steady(pilot)


SCENES: dict[str, Steps] = {
    "quiz-counted-answer": counted_answer,
    "quiz-counted-end": counted_end,
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("scene", list(SCENES))
def test_counted_quiz(
    scene: str,
    lang: Lang,
    size: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    snap_compare: Callable[..., bool],
) -> None:
    monkeypatch.chdir(tmp_path)
    app = Maker(tmp_path, relative=True).app(lang)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)  # the study opens in a worker before the dashboard shows
        await SCENES[scene](pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
