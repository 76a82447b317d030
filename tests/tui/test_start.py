"""The way to the first card: `r` on the dashboard starts the review before the dashboard's
figures are in, and the warm-up waits for a dashboard left alone and runs on the study
thread (on a thread of its own it slowed every database call of the study down)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import Maker, drive, press, settle

import quizdl.tui.app as app_module
import quizdl.tui.screens.dashboard as dashboard_module
from quizdl.stats import Stats, compute
from quizdl.tui.app import QuizdlApp, make_app
from quizdl.tui.config import AppSettings
from quizdl.tui.screens.dashboard import DashboardScreen
from quizdl.tui.screens.quiz import QuizScreen
from quizdl.tui.screens.review import ReviewScreen
from quizdl.tui.screens.session_end import SessionEndScreen
from quizdl.tui.widgets.card_text import pick_mode


def app_with_warm_up(
    maker: Maker, monkeypatch: pytest.MonkeyPatch, after_s: float
) -> tuple[QuizdlApp, list[str]]:
    """The app, with a warm-up that the dashboard asks for after `after_s` seconds; the
    list gets the name of the thread of each run of it."""
    monkeypatch.setattr(app_module, "WARM_UP_AFTER_S", after_s)
    threads: list[str] = []

    def warm_up() -> None:
        threads.append(threading.current_thread().name)

    app = make_app(
        AppSettings(), partial(maker.open), config_path=maker.config_path, warm_up=warm_up
    )
    return app, threads


def held_figures(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The dashboard's figures wait until the returned event is set."""
    release = threading.Event()

    def held(*args: Any, **kwargs: Any) -> Stats:
        assert release.wait(30), "the test never released the figures"
        return compute(*args, **kwargs)

    monkeypatch.setattr(dashboard_module, "compute", held)
    return release


async def dashboard_on_screen(pilot: Pilot[None]) -> DashboardScreen:
    for _ in range(1000):
        screen = pilot.app.screen
        if isinstance(screen, DashboardScreen):
            await pilot.pause()
            return screen
        await pilot.pause(0.01)
    raise AssertionError("the dashboard never came")


@drive
async def test_r_starts_the_review_and_its_first_card_before_the_figures_are_in(
    maker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The figures are read on a thread of their own: a review started at once is not
    # queued behind them on the study thread.
    release = held_figures(monkeypatch)
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = await dashboard_on_screen(pilot)
        assert dashboard.data is None
        await pilot.press("r")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        for _ in range(500):
            if review.face is not None:
                break
            await pilot.pause(0.01)
        assert review.face is not None, "the first card waited for the dashboard's figures"
        assert dashboard.data is None  # still held
        assert dashboard.figures is not None and dashboard.figures.cancelled  # not wanted now
        release.set()
        await settle(pilot)
        assert dashboard.data is None  # cancelled: nothing read, nothing drawn
        await press(pilot, "escape")  # the session ends
        for _ in range(3):  # and its summary is closed
            if app.screen is not dashboard:
                await press(pilot, "escape")
        await settle(pilot)
        assert dashboard.data is not None  # read again on return
        assert dashboard.figures is not None and not dashboard.figures.cancelled


@drive
async def test_the_warm_up_runs_once_on_the_study_thread(
    maker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, threads = app_with_warm_up(maker, monkeypatch, 0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert len(threads) == 1 and threads[0].startswith("quizdl-study")
        await press(pilot, "s", "escape")  # the dashboard is shown again: no second warm-up
        await pilot.pause(0.3)
        await settle(pilot)
    assert len(threads) == 1


@drive
async def test_the_warm_up_waits_while_the_learner_reviews(
    maker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, threads = app_with_warm_up(maker, monkeypatch, 0.05)
    release = held_figures(monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_on_screen(pilot)
        await pilot.press("r")  # before the figures: the warm-up is asked for meanwhile
        release.set()
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert threads == []
        await press(pilot, "escape")
        assert isinstance(app.screen, SessionEndScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.pause(0.3)
        await settle(pilot)
    assert len(threads) == 1 and threads[0].startswith("quizdl-study")


async def until_an_expression(
    screen: ReviewScreen | QuizScreen, threads: list[str], move_on: Callable[[], Awaitable[None]]
) -> list[str]:
    """The kinds of the questions `screen` shows until one is answered with an expression
    (`move_on` goes past the others), checking that the warm-up waits until then."""
    kinds: list[str] = []
    for _ in range(20):
        assert screen.is_current and screen.face is not None, kinds
        question = screen.face.item.question
        if question is not None:
            kinds.append(question.draft.kind)
            if question.draft.kind == "expression":
                return kinds
        assert threads == [], "the warm-up ran before any expression was asked for"
        await move_on()
    raise AssertionError(f"no question answered with an expression came: {kinds}")


@drive
async def test_a_question_answered_with_an_expression_runs_the_warm_up_at_once(
    maker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A review started at once leaves the dashboard's warm-up no time to run; the first
    # question whose answer is an expression asks for it while the learner types.
    app, threads = app_with_warm_up(maker, monkeypatch, 60)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_on_screen(pilot)
        await press(pilot, "r")
        review = app.screen
        assert isinstance(review, ReviewScreen)

        async def bury() -> None:
            if isinstance(app.focused, Input):
                await press(pilot, "escape")  # out of the answer line
            await press(pilot, "b")

        kinds = await until_an_expression(review, threads, bury)
        assert "number" in kinds  # a question with a numeric answer asked for nothing
        await settle(pilot)
        assert len(threads) == 1 and threads[0].startswith("quizdl-study")
        # out of the answer line, out of the session, back to the dashboard: no second run
        await press(pilot, "escape", "escape", "escape")
        assert isinstance(app.screen, DashboardScreen)
        await settle(pilot)
    assert len(threads) == 1


@drive
async def test_prepare_runs_once_on_the_study_thread_while_a_card_is_read(
    maker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "PREPARE_AFTER_S", 0.05)
    threads: list[str] = []

    def prepare() -> None:
        threads.append(threading.current_thread().name)

    app = make_app(
        AppSettings(), partial(maker.open), config_path=maker.config_path, prepare=prepare
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_on_screen(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert threads == []  # not for the dashboard: only while a card is read
        await press(pilot, "r")
        await pilot.pause(0.2)
        await settle(pilot)
        assert len(threads) == 1 and threads[0].startswith("quizdl-study")
        await press(pilot, "space", "3", "space", "3")
        await pilot.pause(0.2)
        await settle(pilot)
    assert len(threads) == 1


@drive
async def test_a_quiz_question_answered_with_an_expression_runs_the_warm_up_at_once(
    maker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, threads = app_with_warm_up(maker, monkeypatch, 60)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_on_screen(pilot)
        await press(pilot, "g")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        quiz.query_one("#quiz-count", Input).value = "6"
        await press(pilot, "ctrl+s")

        async def answer() -> None:
            assert quiz.face is not None
            if pick_mode(quiz.face.item) == "choice":
                await press(pilot, "1")
            else:
                await pilot.press(*"42")
                await press(pilot, "enter")
            await press(pilot, "enter")

        await until_an_expression(quiz, threads, answer)
        await settle(pilot)
        assert len(threads) == 1 and threads[0].startswith("quizdl-study")
