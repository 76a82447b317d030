"""The quiz with "count in my schedule" ticked, driven by keys: each counted answer becomes
the review of its card (read back through the study), the screen says what counted and
what did not, the summary says how many were recorded, and the review's undo has none."""

from __future__ import annotations

from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input
from tui_helpers import Maker, drive, press, screen_after, settle, text_of

from quizdl.engine import registry
from quizdl.store.models import Review, StudySession
from quizdl.study.browse import CardBrowser
from quizdl.study.items import Item
from quizdl.tui.screens.dashboard import DashboardScreen
from quizdl.tui.screens.quiz import QuizScreen
from quizdl.tui.screens.review import ReviewScreen
from quizdl.tui.widgets.card_text import pick_mode, right_labels

SUSPENDED = "sample-numbers/vanish-or-explode"


def stored(maker: Maker) -> tuple[list[Review], list[StudySession]]:
    opened = maker.open()
    with opened.study.db.sessions() as session:
        reviews = list(session.scalars(select(Review).order_by(Review.id)))
        sessions = list(session.scalars(select(StudySession).order_by(StudySession.id)))
    opened.study.db.dispose()
    return reviews, sessions


async def answer(pilot: Pilot[None], item: Item, right: bool) -> str:
    """Answer the question on screen by keys; returns the raw answer the screen sends."""
    if pick_mode(item) == "choice":
        labels = right_labels(item)
        n = next(k for k, (label, _) in enumerate(item.choices, 1) if (label in labels) == right)
        await press(pilot, str(n))
        return item.choices[n - 1][0]
    assert item.question is not None
    draft = item.question.draft
    typed = repr(draft.answer) if isinstance(draft.answer, float) else str(draft.answer)
    typed = typed if right else "12345.678"
    await pilot.press(*typed)
    await press(pilot, "enter")
    return typed


@drive
async def test_the_option_is_off_until_ticked(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "g")
        box = app.screen.query_one("#quiz-counted", Checkbox)
        assert box.value is False
        await press(pilot, "tab", "tab")  # topics, the number, then the option
        assert box.has_focus
        await press(pilot, "space")
        assert box.value is True


@drive
async def test_a_counted_quiz_records_reviews_and_says_so(maker: Maker) -> None:
    setup = maker.open()
    setup.study.show(SUSPENDED)
    setup.study.suspend()
    setup.study.db.dispose()
    app = maker.app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await screen_after(pilot, "g", QuizScreen)
        screen.query_one("#quiz-count", Input).value = "5"  # the three skills, then repeats
        await press(pilot, "tab", "tab", "space", "ctrl+s")
        quiz = screen.quiz
        assert quiz is not None and quiz.counted and app.session_open
        sent: list[str] = []
        counted_cards: set[str] = set()
        repeats = 0
        for n in range(5):
            face = screen.face
            assert face is not None
            card_id = face.item.card_id
            head = text_of(screen, "#quiz-head")
            assert f"Question {n + 1} of 5" in head
            counts = False
            if card_id == SUSPENDED:
                assert "not counted: the card is suspended" in head
            elif card_id in counted_cards:
                assert "not counted again" in head
                repeats += 1
            else:
                assert "counts in your schedule" in head
                counted_cards.add(card_id)
                counts = True
            sent.append(await answer(pilot, face.item, right=n % 2 == 0))
            assert face.result is not None
            assert ("Recorded in your schedule" in text_of(screen, "#quiz-card")) == counts
            await press(pilot, "enter")
        assert repeats >= 1 and len(counted_cards) == 2
        assert "2 of 5 answers recorded in your schedule." in text_of(screen, "#quiz-head")
        assert not app.session_open  # the quiz's session is ended already
        answers = quiz.answers
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        # The review screen's undo starts empty: the quiz's answers are not its own.
        await press(pilot, "r")
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "u")
        await press(pilot, "escape")
    reviews, sessions = stored(maker)
    counted = [a for a in answers if a.recorded is not None]
    assert [a.raw for a in answers] == sent
    assert [r.id for r in reviews] == [a.recorded.review_id for a in counted if a.recorded]
    for review, counted_answer in zip(reviews, counted, strict=True):
        question = counted_answer.item.question
        assert question is not None
        assert review.card_id == counted_answer.item.card_id
        assert review.raw_answer == counted_answer.raw
        assert review.rating == counted_answer.result.suggested_rating
        assert review.verdict is not None
        assert review.verdict["correct"] is counted_answer.result.correct
        assert review.generator == question.generator and review.seed == question.seed
        assert registry.families()[question.generator].generate(question.seed) == question
        assert review.duration_ms is not None and review.duration_ms >= 0
    quiz_session = sessions[0]
    assert quiz_session.filters.get("quiz") is True and quiz_session.ended_at is not None
    assert {r.session_id for r in reviews} == {quiz_session.id}
    # the cards, seen through the study: counted ones introduced, the suspended one untouched
    opened = maker.open()
    found = {row.card_id: row for row in CardBrowser(opened.study).search("").rows}
    opened.study.db.dispose()
    for a in counted:
        assert found[a.item.card_id].reps == 1
    assert found[SUSPENDED].reps == 0 and found[SUSPENDED].suspended


@drive
async def test_leaving_a_counted_quiz_early_ends_its_session(maker: Maker) -> None:
    app = maker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await screen_after(pilot, "g", QuizScreen)
        await press(pilot, "tab", "tab", "space", "ctrl+s")
        assert screen.face is not None
        await answer(pilot, screen.face.item, right=False)
        await press(pilot, "escape")  # ends the quiz: the score so far, the session ended
        assert app.screen is screen and not app.session_open
        head = text_of(screen, "#quiz-head")
        assert head.startswith("Score: 0 of 1 answered (the quiz was ended after 1 of "), head
        assert "1 of 1 answers recorded in your schedule." in head
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
    reviews, sessions = stored(maker)
    assert len(reviews) == 1 and reviews[0].rating == 1  # wrong: again
    (quiz_session,) = sessions
    assert quiz_session.ended_at is not None and quiz_session.summary is not None
    assert quiz_session.summary["reviewed"] == 1 and quiz_session.summary["incorrect"] == 1
