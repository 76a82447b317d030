"""A whole review driven by key presses: every kind of card, answered right, and what the
database holds afterwards; undo, bury, suspend, unreadable answers, quitting mid-way."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from sqlalchemy import select
from textual import events
from textual.containers import VerticalScroll
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_helpers import Maker, drive, press, settle, text_of

import quizdl.store.db as db_module
from quizdl.kb.schema import ChoiceCard, OrderingCard, TypedCard
from quizdl.lang import Lang
from quizdl.store.models import Review, StudySession
from quizdl.study.items import Item
from quizdl.tui.screens.dashboard import DashboardScreen
from quizdl.tui.screens.review import ReviewScreen
from quizdl.tui.screens.session_end import SessionEndScreen
from quizdl.tui.widgets.card_text import pick_mode, right_labels
from quizdl.tui.widgets.keybar import KeyBar


def reviews(maker: Maker) -> list[Review]:
    opened = maker.open()
    with opened.study.db.sessions() as session:
        rows = list(session.scalars(select(Review).order_by(Review.id)))
    opened.study.db.dispose()
    return rows


def right_answer(item: Item) -> list[str]:
    """The keys that answer `item` correctly, worked out from the card itself."""
    card = item.card
    mode = pick_mode(item)
    if mode in ("choice", "choices"):
        right = right_labels(item)
        numbers = [str(n) for n, (label, _) in enumerate(item.choices, 1) if label in right]
        return numbers if mode == "choice" else [*numbers, "enter"]
    if isinstance(card, OrderingCard):
        # item.order[k] is the card index shown at position k+1; press positions by index
        return [str(item.order.index(i) + 1) for i in range(len(card.items))]
    if isinstance(card, TypedCard):
        return [*card.accept[0], "enter"]
    assert item.question is not None
    answer = item.question.draft.answer
    text = repr(answer) if isinstance(answer, float) else str(answer)
    return [*text, "enter"]


async def current(pilot: Pilot[None]) -> ReviewScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def first_card(pilot: Pilot[None]) -> ReviewScreen:
    """From the app's start: the dashboard, `r`, and the review with its first card."""
    await settle(pilot)
    await press(pilot, "r")
    screen = await current(pilot)
    assert screen.face is not None
    return screen


async def typed_card(pilot: Pilot[None]) -> ReviewScreen:
    """From the app's start: through the sample's basic, cloze, one-choice (1, then accept)
    and several-choice (1, check, accept) cards to its typed card, whose answer line waits."""
    await settle(pilot)
    await press(pilot, "r", "space", "3", "space", "3", "1", "enter", "1", "enter", "enter")
    screen = await current(pilot)
    assert screen.face is not None and pick_mode(screen.face.item) == "type"
    return screen


@drive
async def test_a_whole_review_of_every_kind_is_stored(maker: Maker) -> None:
    app = maker.app()
    seen: list[tuple[str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "r")
        while isinstance(app.screen, ReviewScreen):
            screen = await current(pilot)
            assert screen.face is not None
            item = screen.face.item
            if item.card_id in {card for card, _ in seen}:
                break  # learning cards come back: every card has been seen once
            mode = pick_mode(item)
            seen.append((item.card_id, mode))
            if mode == "reveal":
                await press(pilot, "space")
                assert screen.face.revealed
                await press(pilot, "3")
                continue
            if mode == "type":
                assert isinstance(app.focused, Input)
                await pilot.press(*right_answer(item)[:-1])
                await press(pilot, "enter")
            else:
                await press(pilot, *right_answer(item))
            assert screen.face.result is not None, item.card_id
            assert screen.face.result.correct, (item.card_id, screen.face.result)
            await press(pilot, "enter")  # accepts the suggested rating (good)
        await press(pilot, "escape")
        assert isinstance(app.screen, SessionEndScreen)
    kinds = {mode for _, mode in seen}
    assert {"reveal", "choice", "choices", "order", "type"} <= kinds
    assert len(seen) == 9
    stored = reviews(maker)
    assert [r.card_id for r in stored] == [card for card, _ in seen]
    assert all(r.rating == 3 for r in stored)
    answered = [r for r in stored if r.raw_answer is not None]
    assert len(answered) == 7  # all but the basic and the cloze card
    assert all(r.verdict is not None and r.verdict["correct"] for r in answered)
    generated = [r for r in stored if r.generator is not None]
    assert {r.generator for r in generated} == {
        "dense-params",
        "sigmoid-derivative-symbolic",
        "gradient-vanish-explode",
    }


@drive
async def test_a_wrong_answer_suggests_again_and_a_number_overrides(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "r", "space", "3", "space", "3")  # the basic and the cloze card
        screen = await current(pilot)
        assert screen.face is not None
        item = screen.face.item
        assert isinstance(item.card, ChoiceCard)
        wrong = next(
            str(n) for n, (lbl, _) in enumerate(item.choices, 1) if lbl not in right_labels(item)
        )
        await press(pilot, wrong)
        assert screen.face.result is not None
        assert screen.face.result.correct is False
        assert screen.face.result.suggested_rating == 1
        card_text = str(screen.query_one("#card", Static).render())
        assert "✗" in card_text
        await press(pilot, "2")  # hard, overriding the suggestion
    assert [r.rating for r in reviews(maker)] == [3, 3, 2]


@drive
async def test_a_checked_answer_line_is_kept_and_no_longer_takes_keys(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_card(pilot)
        assert screen.face is not None
        while pick_mode(screen.face.item) != "type":  # answer the others until a typed one
            item = screen.face.item
            if pick_mode(item) == "reveal":
                await press(pilot, "space", "3")
            else:
                await press(pilot, *right_answer(item))
                await press(pilot, "enter")
            assert screen.face is not None
        typed_card = screen.face.item.card_id
        await pilot.press("0")
        await press(pilot, "enter")
        assert screen.face.result is not None
        answer = screen.query_one("#answer", Input)
        await pilot.click("#answer")
        assert app.focused is None  # the checked line cannot be edited any more
        await press(pilot, "2")  # so the digit rates (hard) instead of being typed
        assert not answer.visible or answer.value == ""  # hidden, or a clean line
    assert [(r.card_id, r.rating, r.raw_answer) for r in reviews(maker)][-1] == (
        typed_card,
        2,
        "0",
    )


@drive
async def test_undo_brings_the_card_back_and_removes_its_review(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_card(pilot)
        assert screen.face is not None
        first = screen.face.item.card_id
        await press(pilot, "space", "4")
        assert screen.face.item.card_id != first
        assert screen.done == 1
        await press(pilot, "u")
        assert screen.face.item.card_id == first
        assert screen.done == 0
        await press(pilot, "u")  # nothing left to undo: the card stays
        assert screen.face.item.card_id == first
    assert reviews(maker) == []


async def click_text(pilot: Pilot[None], selector: str, text: str) -> None:
    """Click on the first cell of `text` where the widget shows it."""
    widget = pilot.app.screen.query_one(selector, Static)
    content = widget.visual
    assert isinstance(content, Content)
    for y, line in enumerate(content.plain.splitlines()):
        if text in line:
            x = cell_len(line[: line.index(text)])
            await pilot.click(selector, offset=(widget.gutter.left + x, widget.gutter.top + y))
            await settle(pilot)
            return
    raise AssertionError(f"{text!r} is not in {selector}: {content.plain!r}")


@drive
async def test_the_mouse_reveals_and_rates_with_the_key_bar_and_the_ratings(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await first_card(pilot)
        assert screen.face is not None and not screen.face.revealed
        first = screen.face.item.card_id
        await click_text(pilot, "#review-keys", "space")
        assert screen.face.revealed
        await click_text(pilot, "#rating", "2 hard")
        assert screen.face.item.card_id != first and screen.done == 1
    assert [(r.card_id, r.rating) for r in reviews(maker)] == [(first, 2)]


@drive
async def test_bury_and_suspend_take_the_card_out_of_today(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_card(pilot)
        assert screen.face is not None
        buried = screen.face.item.card_id
        await press(pilot, "b")
        suspended = screen.face.item.card_id
        await press(pilot, "s")
        assert screen.face.item.card_id not in (buried, suspended)
    opened = maker.open()
    from quizdl.study.browse import CardBrowser

    found = {row.card_id: row for row in CardBrowser(opened.study).search("").rows}
    assert found[buried].buried and not found[buried].suspended
    assert found[suspended].suspended
    assert reviews(maker) == []


@drive
async def test_a_typed_card_checks_what_is_typed(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await typed_card(pilot)
        await press(pilot, "enter")  # an empty line is not an answer
        assert screen.face.result is None
        await pilot.press(*"half")
        await press(pilot, "enter")  # typed cards accept what is listed; "half" is not
        assert screen.face.result is not None and screen.face.result.correct is False


@drive
async def test_keys_read_in_one_burst_edit_the_answer_in_the_order_typed(maker: Maker) -> None:
    """A learner who types faster than the app reads (it is drawing a frame): "half",
    backspace twice, "lf" is "half", not "halflf" less two letters (Textual #6605)."""
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await typed_card(pilot)
        answer = screen.query_one("#answer", Input)
        await pilot.pause()
        assert app.focused is answer
        burst = [*"half", "backspace", "backspace", *"lf", "home", "x", "end", "!"]
        for key in burst:  # posted at once, none handled before the next is queued
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert answer.value == "xhalf!"


@drive
async def test_the_key_bar_follows_the_answer_line_and_enter_goes_back_to_it(
    maker: Maker,
) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await typed_card(pilot)
        keys = screen.query_one("#review-keys", KeyBar)
        bar = text_of(screen, "#review-keys")
        assert isinstance(app.focused, Input)  # on a new typed card, letters go to the line
        assert bar == "enter check the answer  esc keys  ? help", bar  # and u, b, s, e are not keys
        await press(pilot, "escape")
        assert app.focused is None
        bar = text_of(screen, "#review-keys")
        assert bar.startswith("enter type  u undo  b bury") and bar.count("esc") == 1, bar
        assert keys.keys[-1].action == "end"
        await press(pilot, "enter")  # back to the line, which takes letters again
        assert isinstance(app.focused, Input)
        assert text_of(screen, "#review-keys") == "enter check the answer  esc keys  ? help"
        await pilot.press(*"42")
        assert app.focused.value == "42" and screen.face.result is None


def sessions_ended(maker: Maker) -> list[Any]:
    opened = maker.open()
    with opened.study.db.sessions() as session:
        ended: list[Any] = list(session.scalars(select(StudySession.ended_at)))
    opened.study.db.dispose()
    return ended


@drive
async def test_quitting_mid_session_keeps_every_answer(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "r", "space", "3", "space")
        await pilot.press("1", "ctrl+q")  # quit at once: the rating is still stored
    stored = reviews(maker)
    assert [r.rating for r in stored] == [3, 1]
    ended = sessions_ended(maker)
    assert ended and all(moment is not None for moment in ended)


@drive
async def test_sigterm_quits_as_ctrl_q_does(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "r", "space")
        await pilot.press("3")
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # it would end the tests
            pytest.skip("the app's loop takes no signals here (not the main thread)")
        os.kill(os.getpid(), signal.SIGTERM)  # a shutdown: the rating just given is stored
        for _ in range(500):
            if not app.is_running:
                break
            await pilot.pause(0.01)
        assert not app.is_running
    assert [r.rating for r in reviews(maker)] == [3]
    ended = sessions_ended(maker)
    assert len(ended) == 1 and ended[0] is not None


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Could not read this: unknown name 'apples' at position 4"),
        ("zh", "无法读取：第 4 个字符处的名称 'apples' 无法识别"),
    ],
)
@drive
async def test_a_topic_review_and_an_unreadable_number(maker: Maker, lang: Lang, said: str) -> None:
    app = maker.app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "down", "t")  # the second topic: generated questions only
        screen = await current(pilot)
        assert screen.face is not None
        assert screen.face.item.topic == "sample-numbers"
        assert screen.face.item.card_id == "sample-numbers/dense-params"
        await pilot.press(*"12 apples")
        await press(pilot, "enter")
        assert screen.face.result is None
        assert screen.face.unreadable
        shown = str(screen.query_one("#card", Static).render())
        assert said in shown
        assert isinstance(app.focused, Input)  # the learner corrects the line
    assert reviews(maker) == []


def long_content(folder: Path) -> Path:
    """A topic of two long cards (two sections, so that neither buries the other): a basic
    card with a long back, a typed card with a long prompt (60 lines each: more than an
    80x24 screen shows)."""
    lines = "\n".join(f"        Line {n} of a long card." for n in range(1, 61))
    folder.mkdir()
    (folder / "long.yaml").write_text(
        f"""topic:
  id: long
  title: {{en: Long cards, zh: 长卡片}}
  source: {{note: long.md, section: Long}}
cards:
  - id: long/basic
    kind: basic
    source: {{note: long.md, section: Long}}
    front: {{en: A card with a long back?, zh: 背面很长？}}
    back:
      en: |
{lines}
      zh: 很长。
  - id: long/typed
    kind: typed
    source: {{note: long.md, section: Longer}}
    prompt:
      en: |
{lines}
      zh: 很长？
    accept: ["42"]
""",
        encoding="utf-8",
    )
    return folder


@drive
async def test_a_long_card_scrolls_with_the_arrow_and_page_keys(
    maker: Maker, tmp_path: Path
) -> None:
    app = maker.app(content=(long_content(tmp_path / "long"),))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_card(pilot)
        scroll = screen.query_one("#card-scroll", VerticalScroll)
        await press(pilot, "space")  # the long back
        assert scroll.max_scroll_y > 30
        await press(pilot, "down")
        assert scroll.scroll_y == 1
        await press(pilot, "pagedown", "pagedown", "pagedown", "pagedown")
        assert scroll.scroll_y == scroll.max_scroll_y  # the end of the card is on screen
        await press(pilot, "pageup", "up")
        assert 0 < scroll.scroll_y < scroll.max_scroll_y
        await press(pilot, "3")  # the typed card: the answer line has the focus
        assert screen.face is not None and screen.face.item.card_id == "long/typed"
        assert scroll.scroll_y == 0  # a new card starts at its top
        assert isinstance(app.focused, Input)
        await pilot.press("4")
        await press(pilot, "pagedown", "down")
        assert scroll.scroll_y > 1
        await pilot.press("2")
        assert app.focused.value == "42"  # the keys scrolled, they typed nothing
        await press(pilot, "enter")
        assert screen.face.result is not None and screen.face.result.correct


@pytest.mark.parametrize(("lang", "said"), [("en", "locked by another program"), ("zh", "锁住")])
@drive
async def test_a_locked_database_is_a_message_and_the_rating_is_not_taken_until_stored(
    maker: Maker, monkeypatch: pytest.MonkeyPatch, lang: Lang, said: str
) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)  # wait 0.2 s for the lock
    app = maker.app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_card(pilot)
        await press(pilot, "space")
        assert screen.face is not None
        first = screen.face.item.card_id
        writer = sqlite3.connect(maker.folder / "quizdl.db", isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # another program holds the write lock
            await press(pilot, "3")
            messages = [n.message for n in app._notifications]
            assert any(said in m for m in messages), messages
            assert not any("Traceback" in m for m in messages)
            assert screen.face.item.card_id == first and screen.done == 0  # not taken
            writer.execute("ROLLBACK")
        finally:
            writer.close()
        await press(pilot, "3")  # the same rating again, now stored
        assert screen.face.item.card_id != first and screen.done == 1
    assert [(r.card_id, r.rating) for r in reviews(maker)] == [(first, 3)]
