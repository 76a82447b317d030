"""The other screens driven by keys: first run, quiz, browse search and suspend, settings,
help, editing a card, and the problems that must show as messages."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Static
from tui_helpers import CONTENT, Maker, drive, press, screen_after, settle, text_of

from quizdl.lang import Lang
from quizdl.store.models import Review
from quizdl.tui.screens.browse import BrowseScreen, CardScreen
from quizdl.tui.screens.dashboard import DashboardScreen
from quizdl.tui.screens.help import HelpScreen
from quizdl.tui.screens.problem import ProblemScreen
from quizdl.tui.screens.quiz import QuizScreen
from quizdl.tui.screens.review import ReviewScreen
from quizdl.tui.screens.settings import SettingsScreen
from quizdl.tui.screens.stats import StatsScreen
from quizdl.tui.widgets.card_text import pick_mode, right_labels
from quizdl.tui.widgets.keybar import KeyBar


def review_count(maker: Maker) -> int:
    opened = maker.open()
    with opened.study.db.sessions() as session:
        count = int(session.execute(select(func.count()).select_from(Review)).scalar_one())
    opened.study.db.dispose()
    return count


@drive
async def test_first_run_creates_the_database_and_greets(maker: Maker) -> None:
    assert not (maker.folder / "quizdl.db").exists()
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        note = text_of(screen, "#dash-note")
        assert "Welcome to quizdl! 9 cards in 2 topics" in note
        generated = (CONTENT / "sample-numbers.yaml").read_text(encoding="utf-8")
        count = generated.count("kind: generated")
        assert f"Press g for a quiz of the {count} cards whose questions are made afresh" in note
        assert "9 new · 0 learning · 0 review" in text_of(screen, "#dash-due")
        table = screen.query_one("#topics", DataTable)
        assert table.row_count == 2
    assert (maker.folder / "quizdl.db").is_file()


@drive
async def test_a_quiz_scores_and_walks_through_the_mistakes(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await screen_after(pilot, "g", QuizScreen)
        count = screen.query_one("#quiz-count", Input)
        count.value = "3"
        await press(pilot, "ctrl+s")
        assert screen.quiz is not None and len(screen.quiz.items) == 3
        answered_right = 0
        for _ in range(3):
            face = screen.face
            assert face is not None
            item = face.item
            mode = pick_mode(item)
            if mode == "choice":  # answer the choice questions right, the others wrong
                right = right_labels(item)
                n = next(k for k, (lbl, _) in enumerate(item.choices, 1) if lbl in right)
                await press(pilot, str(n))
                answered_right += 1
            else:
                await pilot.press(*"84/2")  # read as 42
                await press(pilot, "enter")
            assert face.result is not None
            await press(pilot, "enter")
        result = screen.quiz.result()
        assert result.total == 3
        assert result.right == answered_right
        assert len(result.mistakes) == 3 - answered_right
        head = text_of(screen, "#quiz-head")
        assert f"Score: {answered_right} of 3" in head
        if result.mistakes:
            card = text_of(screen, "#quiz-card")
            assert "Your mistakes" in card and "Solution" in card
            assert "Your answer: 84/2" in card and "Interpreted as: 42" in card
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
    assert review_count(maker) == 0  # a quiz is outside the schedule


@drive
async def test_the_mistakes_show_options_by_the_numbers_picked_on_screen(maker: Maker) -> None:
    """Options are picked by number; the walk through the mistakes names them the same way
    (the study takes their letters, which the learner never saw)."""
    app = maker.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await screen_after(pilot, "g", QuizScreen)
        screen.query_one("#quiz-count", Input).value = "12"
        await press(pilot, "ctrl+s")
        assert screen.quiz is not None
        expected: list[tuple[str, str]] = []
        for _ in screen.quiz.items:
            face = screen.face
            assert face is not None
            item = face.item
            if pick_mode(item) == "choice":  # a wrong option, by its number on screen
                right = right_labels(item)
                n, (_, key) = next(
                    (k, c) for k, c in enumerate(item.choices, 1) if c[0] not in right
                )
                m = next(k for k, (lbl, _) in enumerate(item.choices, 1) if lbl in right)
                assert item.question is not None
                texts = {k: t.render("en") for k, t in item.question.draft.choices}
                wrong_text, right_text = texts[key], texts[item.choices[m - 1][1]]
                expected.append((f"Your answer: {n}) {wrong_text}", f"{m}) {right_text}"))
                await press(pilot, str(n))
            else:
                await pilot.press(*"84/2")
                await press(pilot, "enter")
            await press(pilot, "enter")
        assert expected, "the sample content gives choice questions"
        card = text_of(screen, "#quiz-card")
        for yours, right in expected:
            assert yours in card
            assert f"Right answer: {right}" in card
        assert "Your answer: a" not in card and "Right answer: a)" not in card


LONG_TITLE = "Autoregressive versus autoencoding language models, compared"  # 61 cells


def long_titled_content(folder: Path) -> Path:
    """A topic whose title is longer than any column of titles at 80 columns."""
    folder.mkdir()
    (folder / "long.yaml").write_text(
        "topic:\n  id: long\n"
        f'  title: {{en: "{LONG_TITLE}", zh: 自回归与自编码语言模型}}\n'
        "  source: {note: n.md, section: s}\n"
        "cards:\n  - id: long/one\n    kind: basic\n    source: {note: n.md, section: s}\n"
        "    front: {en: Q, zh: 问}\n    back: {en: A, zh: 答}\n",
        encoding="utf-8",
    )
    return folder


@drive
async def test_a_wide_terminal_shows_long_topic_titles_whole(maker: Maker, tmp_path: Path) -> None:
    app = maker.app(content=(long_titled_content(tmp_path / "long"),))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one("#topics", DataTable)
        assert str(table.get_cell_at(Coordinate(0, 0))) == LONG_TITLE[:33] + "…"
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert str(table.get_cell_at(Coordinate(0, 0))) == LONG_TITLE  # whole: 61 ≤ 34 + 40
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert str(table.get_cell_at(Coordinate(0, 0))) == LONG_TITLE[:53] + "…"  # 34 + 20
        # mastery per topic: the title beside a 20-cell bar, its percentage and the margins
        stats = await screen_after(pilot, "s", StatsScreen)
        assert f"{LONG_TITLE} " in text_of(stats, "#stats-body")  # 61 ≤ 100 − 32 cells
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert LONG_TITLE[:47] + "…" in text_of(stats, "#stats-body")  # 80 − 32 cells
        await pilot.resize_terminal(50, 24)
        await settle(pilot)
        assert LONG_TITLE[:23] + "…" in text_of(stats, "#stats-body")  # never below 24


@drive
async def test_browse_searches_opens_and_suspends(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await screen_after(pilot, "b", BrowseScreen)
        table = screen.query_one("#cards", DataTable)
        assert table.row_count == 9
        await press(pilot, "slash")
        await pilot.press(*"kind:choice")
        await press(pilot, "enter")
        assert [row.card_id for row in screen.rows] == [
            "sample-basics/adam-author",
            "sample-basics/gan-difficulties",
        ]
        await press(pilot, "space")  # suspend the highlighted card
        assert screen.rows[0].suspended
        await press(pilot, "slash", "ctrl+a")
        search = screen.query_one("#search", Input)
        search.value = "is:suspended"
        await press(pilot, "enter")
        assert [row.card_id for row in screen.rows] == ["sample-basics/adam-author"]
        drawn_before = app.study.rng.getstate()
        await press(pilot, "enter")
        assert isinstance(app.screen, CardScreen)
        # looked at, not answered: the options as written, and the review's draws untouched
        shown = str(app.screen.query_one(Static).render())
        assert "a) Plain SGD\n  b) Adam\n  c) Newton's method" in shown
        assert app.study.rng.getstate() == drawn_before
        await press(pilot, "escape")
        await press(pilot, "space")  # unsuspend it
        assert screen.rows == []
        search.value = "prop:r<"
        await press(pilot, "slash", "enter")
        assert "prop:r<" in text_of(screen, "#browse-count")
        search.value = "sigmoid"  # free text, either language
        await press(pilot, "slash", "enter")
        assert {row.card_id for row in screen.rows} == {
            "sample-basics/sigmoid-range",
            "sample-numbers/sigmoid-derivative",
        }
        table = screen.query_one("#cards", DataTable)
        at = [row.card_id for row in screen.rows].index("sample-numbers/sigmoid-derivative")
        table.move_cursor(row=at)
        table.focus()
        await press(pilot, "enter")  # a generated card: an example question is drawn
        assert isinstance(app.screen, CardScreen)
        assert app.study.rng.getstate() == drawn_before  # from a generator of its own


@drive
async def test_a_search_that_cannot_be_read_is_explained_whole_in_chinese(maker: Maker) -> None:
    app = maker.app(lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await screen_after(pilot, "b", BrowseScreen)
        screen.query_one("#search", Input).value = "prop:x<y"
        await press(pilot, "slash", "enter")
        said = text_of(screen, "#browse-count")
        assert said.startswith("'prop:x<y'：写一个属性") and said.endswith("例如 prop:r<0.8")
        # said under the search line, where the learner looks, and not again in a toast
        # ("操作失败：..." stayed on the next screens for eight seconds)
        assert not app._notifications
        box = screen.query_one("#browse-count")
        assert box.size.height > 1  # the message wraps: none of it is cut off
        drawn = "".join(
            "".join(segment.text for segment in box.render_line(y)) for y in range(box.size.height)
        )
        assert "prop:r<0.8" in drawn


@drive
async def test_settings_are_saved_and_the_language_changes(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await screen_after(pilot, "c", SettingsScreen)
        screen.query_one("#new-per-day", Input).value = "5"
        screen.query_one("#retention", Input).value = "1.5"
        await press(pilot, "ctrl+s")
        said = text_of(screen, "#settings-message")
        assert said == "Desired retention (0.70–0.99): at most 0.99", said
        screen.query_one("#retention", Input).value = "0.85"
        from textual.widgets import Select

        screen.query_one("#language", Select).value = "zh"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, DashboardScreen)
        assert app.lang == "zh"
        assert "今日待复习" in text_of(app.screen, "#dash-due")
        assert "新 5" in text_of(app.screen, "#dash-due")
        await press(pilot, "c")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#rollover", Input).value = "-1"
        await press(pilot, "ctrl+s")
        said = text_of(screen, "#settings-message")
        assert said == "每天开始于（小时，0–23）：不能小于 0", said
    saved = tomllib.loads(maker.config_path.read_text(encoding="utf-8"))
    assert saved["app"]["lang"] == "zh"
    settings = maker.open().study.settings
    assert settings.new_per_day == 5
    assert settings.desired_retention == 0.85


@drive
async def test_sibling_burying_is_a_setting_of_the_app(maker: Maker) -> None:
    """The queue shows one card of a note section a day unless asked: the app asks here (it
    could only be asked with `quizdl review --no-bury`)."""
    from textual.widgets import Select

    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await screen_after(pilot, "c", SettingsScreen)
        bury = screen.query_one("#bury", Select)
        assert bury.value == "on"
        bury.value = "off"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.settings.bury_siblings is False  # the running study uses it
        screen = await screen_after(pilot, "c", SettingsScreen)
        assert screen.query_one("#bury", Select).value == "off"
    assert maker.open().study.settings.bury_siblings is False


@drive
async def test_leaving_settings_with_changes_not_saved_asks_for_a_second_esc(
    maker: Maker,
) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await screen_after(pilot, "c", SettingsScreen)
        await press(pilot, "escape")  # nothing changed: leaves at once
        assert isinstance(app.screen, DashboardScreen)
        screen = await screen_after(pilot, "c", SettingsScreen)
        screen.query_one("#new-per-day", Input).value = "7"
        await press(pilot, "escape")
        assert app.screen is screen
        said = text_of(screen, "#settings-message")
        assert said == "Not saved yet: ctrl+s saves, esc again leaves without saving."
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
    assert maker.open().study.settings.new_per_day == 20  # left unsaved, as said


@drive
async def test_help_lists_every_key_of_the_screen(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "r", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one(Static).render())
        for key in ReviewScreen.KEYS:
            assert key.label in shown
        assert "bury until tomorrow" in shown
        await press(pilot, "escape")
        assert isinstance(app.screen, ReviewScreen)


@drive
async def test_stats_draw_after_some_history(maker: Maker) -> None:
    maker.history(days=5)
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Streak: 5 day(s)" in text_of(app.screen, "#dash-streak")
        await press(pilot, "s")
        assert isinstance(app.screen, StatsScreen)
        body = text_of(app.screen, "#stats-body")
        assert "True retention by week" in body
        assert "No reviews yet" not in body  # heatmap, retention and intervals all drawn
        assert "No card in review has been answered yet" not in body
        assert body.count("■") > 7 * 4  # more than the legend: the calendar


@drive
async def test_stats_before_any_review_say_what_is_missing(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        assert isinstance(app.screen, StatsScreen)
        body = text_of(app.screen, "#stats-body")
        assert "No reviews yet" in body  # the calendar
        # True retention counts only cards in review: the message says so, not "no reviews".
        assert "No card in review has been answered yet" in body
        assert "No card is in review yet" in body  # the intervals


@drive
async def test_stats_after_a_first_answer_say_no_card_is_in_review_yet(maker: Maker) -> None:
    """A first day's answers put cards in learning: the calendar has them, and the interval
    distribution (of cards in review) says why it is empty, not that there are no reviews."""
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "r", "space", "3", "escape", "escape", "s")
        assert isinstance(app.screen, StatsScreen)
        body = text_of(app.screen, "#stats-body")
        assert "No reviews yet" not in body
        assert "No card is in review yet: the distribution counts only those" in body


@drive
async def test_editing_a_card_reloads_it(
    maker: Maker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    source = (CONTENT / "sample-basics.yaml").read_text(encoding="utf-8")
    topic = content / "sample-basics.yaml"
    topic.write_text(source, encoding="utf-8")
    # an "editor" that rewrites the ReLU answer, as a learner would
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "assert sys.argv[-2].startswith('+')\n"
        "path.write_text(path.read_text().replace('applied element-wise', 'per element'))\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = maker.app(content=[content, CONTENT / "sample-numbers.yaml"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await screen_after(pilot, "r", ReviewScreen)
        assert screen.face is not None
        assert screen.face.item.card_id == "sample-basics/relu"
        await press(pilot, "e", "space")
        assert "per element" in text_of(screen, "#card")
    assert "per element" in topic.read_text(encoding="utf-8")


@drive
async def test_esc_ends_a_quiz_with_the_score_so_far_or_leaves_before_an_answer(
    maker: Maker,
) -> None:
    app = maker.app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "g", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.face is not None
        assert text_of(screen, "#quiz-keys").endswith("esc 结束")
        await press(pilot, "escape")  # nothing answered yet: back to the dashboard
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "g", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.face is not None
        item = screen.face.item
        if pick_mode(item) == "choice":
            right = right_labels(item)
            await press(
                pilot,
                next(str(k) for k, (lbl, _) in enumerate(item.choices, 1) if lbl not in right),
            )
        else:
            await pilot.press(*"12345.678")
            await press(pilot, "enter")
        assert screen.face.result is not None and not screen.face.result.correct
        await press(pilot, "escape")
        assert app.screen is screen and screen.quiz is not None
        head = text_of(screen, "#quiz-head")
        assert head.startswith("得分：已答 1 题，答对 0 题（共 10 题，提前结束）"), head
        assert "错题与解答" in text_of(screen, "#quiz-card")
        assert text_of(screen, "#quiz-keys").endswith("esc 返回")
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)


@drive
async def test_the_greeting_offers_the_quiz_only_with_generated_questions(maker: Maker) -> None:
    app = maker.app(content=[CONTENT / "sample-basics.yaml"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note = text_of(app.screen, "#dash-note")
        assert note.startswith("Welcome to quizdl!") and "press g" not in note.lower()


@drive
async def test_a_damaged_database_is_a_message_not_a_traceback(maker: Maker) -> None:
    (maker.folder / "quizdl.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProblemScreen)
        shown = text_of(app.screen, "#problem")
        assert "damaged" in shown or "not a" in shown
        assert "Traceback" not in shown
        await press(pilot, "q")
    assert app.return_code in (0, None)


@drive
async def test_a_damaged_database_is_explained_in_the_apps_language(maker: Maker) -> None:
    path = maker.folder / "quizdl.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    app = maker.app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProblemScreen)
        shown = "".join(text_of(app.screen, "#problem").split())  # lines joined, no spaces
        assert "SQLite数据库已损坏" in shown and "quizdldoctor--restore备份" in shown, shown
        assert "untouched" not in shown
        await press(pilot, "q")


@drive
async def test_content_problems_are_reported_and_the_rest_loads(
    maker: Maker, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("topic: {id: Bad Id}\ncards: []\n", encoding="utf-8")
    app = maker.app(content=[CONTENT, broken])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        messages = [n.message for n in app._notifications]
        assert any("problem(s) in the content" in m for m in messages)


@drive
@pytest.mark.parametrize(("lang", "words"), [("en", "before upgrading its schema"), ("zh", "升级")])
async def test_a_backup_before_an_upgrade_is_told_on_the_dashboard(
    maker: Maker, lang: Lang, words: str
) -> None:
    from quizdl.store import migrate
    from quizdl.store.db import Database

    maker.open().study.db.dispose()
    database = Database(maker.url)
    migrate.downgrade(database, migrate.KNOWN_REVISIONS[-2])  # a database of an older quizdl
    database.dispose()
    app = maker.app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        messages = [n.message for n in app._notifications]
        assert any(words in m and "quizdl.db" in m for m in messages), messages
        await press(pilot, "q")


@pytest.mark.parametrize(
    ("keys", "screen_type"),
    [
        ((), DashboardScreen),
        (("r", "space"), ReviewScreen),
        (("g",), QuizScreen),
        (("b",), BrowseScreen),
        (("s",), StatsScreen),
        (("c",), SettingsScreen),
    ],
    ids=["dashboard", "review", "quiz", "browse", "stats", "settings"],
)
@drive
async def test_every_screen_is_laid_out_again_when_the_terminal_is_resized(
    maker: Maker, keys: tuple[str, ...], screen_type: type
) -> None:
    maker.history(days=3)
    app = maker.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, *keys)
        screen = app.screen
        assert isinstance(screen, screen_type)
        for width, height in ((80, 24), (60, 16), (120, 40), (80, 24)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            assert app.screen is screen
            bar = screen.query_one(KeyBar)
            # the key bar stays on the last lines, across the whole width
            assert bar.region.bottom == height and bar.region.width == width
            for widget in screen.children:  # (what is inside a scrolling part may be below)
                if widget.display and widget.region.area:
                    assert widget.region.right <= width and widget.region.bottom <= height
        if isinstance(screen, ReviewScreen):  # still answers after the resizes
            assert screen.face is not None
            first = screen.face.item.card_id
            await press(pilot, "b")
            assert screen.face.item.card_id != first
