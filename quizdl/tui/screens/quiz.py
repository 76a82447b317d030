"""The quiz: choose topics and a number, answer freshly generated questions, then see
the score, the time and every mistake with its worked solution. Outside the schedule unless
the learner ticks "count in my schedule": then each counted answer is recorded as a review
(committed before its verdict shows) and the head says, for each question, whether it
counts. Every study call, asking included, runs on the study thread."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static

from quizdl.study.items import AnswerResult, Item, Recorded
from quizdl.study.quiz import Quiz, QuizResult, quiz_topics
from quizdl.study.quiz_record import ScheduleRecorder
from quizdl.tui import fmt
from quizdl.tui.i18n import label, rating_name
from quizdl.tui.screens.base import K_SCROLL, SCROLL_BINDINGS, QuizdlScreen
from quizdl.tui.widgets.card_text import (
    CardFace,
    answer_as_seen,
    expected_as_seen,
    pick_mode,
    result_lines,
)
from quizdl.tui.widgets.keybar import Key, KeyBar
from quizdl.tui.widgets.ordered_input import OrderedInput
from quizdl.tui.widgets.prose import ProseStatic

DEFAULT_COUNT = 10
K_TOGGLE = Key("space", "noop", "key.toggle_topic")
K_MOVE = Key("tab", "noop", "key.move")
K_START = Key("ctrl+s", "start", "key.start")
K_PICK = Key("1-9", "noop", "key.pick")
K_CHECK = Key("enter", "enter", "key.check")
K_NEXT = Key("enter", "enter", "key.next")
K_HELP = Key("?", "help", "key.help")
K_BACK = Key("esc", "back", "key.back")
K_END = Key("esc", "back", "key.end_quiz", short="bar.end")


class QuizScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [
        K_TOGGLE,
        K_MOVE,
        K_START,
        K_PICK,
        K_CHECK,
        K_NEXT,
        K_SCROLL,
        K_HELP,
        K_END,
        K_BACK,
    ]
    CARD_SCROLL = "#quiz-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        *SCROLL_BINDINGS,
        Binding("ctrl+s", "start", show=False),
        Binding("enter", "enter", show=False),
        Binding("escape", "back", show=False),
        Binding("question_mark", "help", show=False),
        *(Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, topic: str | None = None) -> None:
        super().__init__()
        self.preselected = topic
        self.quiz: Quiz | None = None
        self.face: CardFace | None = None
        self.recorded: Recorded | None = None
        """The review the last answer recorded (a counted quiz)."""
        self.busy = False
        self.ended = False
        """The score is shown (the quiz is over, or was ended early)."""

    def compose(self) -> ComposeResult:
        kb = self.study.kb
        topics = quiz_topics(kb)
        with Vertical(id="quiz-setup"):
            yield ProseStatic(self.t("quiz.setup_choice"), id="quiz-help")
            yield SelectionList[str](
                *((kb.topics[t].title.get(self.lang), t, t == self.preselected) for t in topics),
                id="quiz-topics",
            )
            with Horizontal(id="quiz-count-row"):
                yield Label(self.t("quiz.count"))
                yield OrderedInput(str(DEFAULT_COUNT), id="quiz-count", type="integer")
                yield Checkbox(self.t("quiz.count_in_schedule"), False, id="quiz-counted")
                yield Button(self.t("quiz.start"), id="quiz-start", variant="primary")
        yield Static(id="quiz-head")
        with VerticalScroll(id="quiz-scroll"):
            yield ProseStatic(id="quiz-card")
        yield OrderedInput(id="quiz-answer", placeholder=self.t("review.type_here"))
        yield KeyBar([K_TOGGLE, K_MOVE, K_START, K_HELP, K_BACK], self.lang, id="quiz-keys")

    def on_mount(self) -> None:
        for selector in ("#quiz-head", "#quiz-scroll", "#quiz-answer"):
            self.query_one(selector).display = False

    # -- setup ---------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "quiz-count":
            self.action_start()
        elif not self.busy and self.face is not None and self.face.result is None:
            if event.value.strip():
                self._answer(event.value)

    def action_start(self) -> None:
        if self.quiz is not None or self.busy:
            return
        topics = tuple(self.query_one("#quiz-topics", SelectionList).selected)
        text = self.query_one("#quiz-count", Input).value.strip()
        count = int(text) if text.lstrip("-").isdigit() else DEFAULT_COUNT
        counted = self.query_one("#quiz-counted", Checkbox).value
        opened = self.qapp.opened
        assert opened is not None
        lang = self.lang
        self.busy = True

        def make() -> Quiz:
            # a counted quiz gets a Study, and so a session and an undo history, of its own
            study = opened.new_session() if counted else opened.study
            recorder = ScheduleRecorder(study) if counted else None
            return Quiz(study.kb, study.rng, topics, count, lang, recorder=recorder)

        self.study_call(make, self._started, self._unblock)

    def _started(self, quiz: Quiz) -> None:
        self.quiz = quiz
        self.qapp.session_open = quiz.counted  # quitting now ends the quiz's session first
        self.query_one("#quiz-setup").display = False
        for selector in ("#quiz-head", "#quiz-scroll"):
            self.query_one(selector).display = True
        self._ask()

    def _unblock(self, _message: str) -> None:
        self.busy = False

    # -- questions -----------------------------------------------------------------------
    def _ask(self) -> None:
        quiz = self.quiz
        assert quiz is not None
        self.busy = True
        self.study_call(quiz.ask, self._show_question, self._unblock)

    def _show_question(self, item: Item | None) -> None:
        quiz = self.quiz
        assert quiz is not None
        self.busy = False
        if item is None:
            self.qapp.session_open = False
            self._show_result(quiz.result())
            return
        self.face = CardFace(item)
        self.recorded = None
        head = Content.styled(
            self.t("quiz.question", n=quiz.position + 1, total=len(quiz.items)), "bold"
        )
        if quiz.not_counted is not None:
            note = self.t(f"quiz.not_counted.{quiz.not_counted.value}")
            head = Content.assemble(head, (" · " + note, "$text-warning"))
        elif quiz.counted:
            head = Content.assemble(head, (" · " + self.t("quiz.counts"), "$text-success"))
        self.query_one("#quiz-head", Static).update(head)
        answer = self.query_one("#quiz-answer", Input)
        typing = pick_mode(item) == "type"
        answer.display = typing
        answer.disabled = False
        answer.value = ""
        if typing:
            answer.focus()
        else:
            self.set_focus(None)
        self._redraw()
        self.qapp.warm_up_for(item)

    def keys_now(self) -> list[Key]:
        if self.quiz is None:
            return [K_TOGGLE, K_MOVE, K_START, K_HELP, K_BACK]
        face = self.face
        if face is None:
            return [K_HELP, K_BACK]
        if face.result is not None:
            return [K_NEXT, K_HELP, K_END]
        if pick_mode(face.item) == "type":
            return [K_CHECK, K_HELP, K_END]
        return [K_PICK, K_CHECK, K_HELP, K_END]

    def _redraw(self) -> None:
        self.query_one("#quiz-keys", KeyBar).show(self.keys_now(), self.lang)
        if self.face is None:
            return
        body = self.face.content(self.lang)
        if self.face.result is not None:
            lines = [body]
            if self.recorded is not None:
                recorded = self.t(
                    "quiz.recorded",
                    rating=rating_name(self.lang, self.recorded.rating),
                    interval=fmt.interval(self.recorded.interval),
                )
                lines.append(Content.styled(recorded, "$text-success"))
            lines.append(Content.styled(self.t("quiz.next"), "$text-muted"))
            body = Content("\n").join(lines)
        self.query_one("#quiz-card", Static).update(body)

    def action_digit(self, n: int) -> None:
        face = self.face
        if self.busy or face is None or face.result is not None:
            return
        mode = pick_mode(face.item)
        options = len(face.item.choices) or len(face.item.order)
        if mode not in ("choice", "choices", "order") or n > options:
            return
        if mode == "choice":
            face.picks = [n]
        elif mode == "choices":
            face.picks = [p for p in face.picks if p != n] if n in face.picks else [*face.picks, n]
        elif n not in face.picks:
            face.picks.append(n)
        if mode == "choice" or (mode == "order" and len(face.picks) == options):
            self._answer_picks()
        else:
            self._redraw()

    def action_enter(self) -> None:
        face = self.face
        if self.busy:
            return
        if face is None:  # asking failed (the error was shown): ask again
            if self.quiz is not None and self.quiz.current() is not None:
                self._ask()
            return
        if face.result is not None:
            self._ask()
        elif pick_mode(face.item) in ("choices", "order") and face.picks:
            self._answer_picks()

    def _answer_picks(self) -> None:
        face = self.face
        assert face is not None
        if pick_mode(face.item) == "order":
            self._answer(" ".join(str(n) for n in face.picks))
        else:
            self._answer(" ".join(face.item.choices[n - 1][0] for n in face.picks))

    def _answer(self, raw: str) -> None:
        quiz = self.quiz
        assert quiz is not None
        self.busy = True
        self.study_call(lambda: quiz.answer(raw), self._answered, self._unblock)

    def _answered(self, result: AnswerResult) -> None:
        self.busy = False
        face = self.face
        if face is None:
            return
        if result.correct is None:
            face.unreadable = result.reason
            face.picks = []
        else:
            face.unreadable = ""
            face.result = result
            quiz = self.quiz
            self.recorded = quiz.answers[-1].recorded if quiz is not None else None
            self.query_one("#quiz-answer", Input).disabled = True
            self.set_focus(None)
        self._redraw()

    # -- the end -------------------------------------------------------------------------
    def _show_result(self, result: QuizResult) -> None:
        self.face = None
        self.ended = True
        self.query_one("#quiz-answer").display = False
        score = self.t(
            "quiz.score" if result.answered == result.total else "quiz.score_partial",
            right=result.right,
            answered=result.answered,
            total=result.total,
            time=fmt.duration(self.lang, result.seconds),
        )
        head = [Content.styled(score, "bold")]
        if result.recorded is not None:
            counted = self.t("quiz.recorded_total", count=result.recorded, total=result.answered)
            head.append(Content.styled(counted, "$text-success"))
        self.query_one("#quiz-head", Static).update(Content("\n").join(head))
        lines: list[Content] = []
        if not result.mistakes:
            lines.append(Content.styled(self.t("quiz.perfect"), "$success"))
        else:
            lines.append(Content.styled(self.t("quiz.mistakes"), "bold"))
        from quizdl.study import render

        yours = label(self.lang, "quiz.your_answer")
        for n, mistake in enumerate(result.mistakes, 1):
            lines += [
                Content(""),
                Content.assemble(
                    (f"{n}. ", "bold $accent"), (render.prompt(mistake.item, self.lang), "bold")
                ),
                Content.assemble(
                    (yours, "$text-muted"), answer_as_seen(mistake.item, mistake.raw, self.lang)
                ),
                # "Interpreted as" only when it reads the answer otherwise than typed
                *result_lines(
                    mistake.result,
                    self.lang,
                    show_read_as=pick_mode(mistake.item) == "type"
                    and _plain(mistake.result.interpreted) != _plain(mistake.raw),
                    expected=expected_as_seen(mistake.item, self.lang),
                ),
            ]
        self.query_one("#quiz-card", Static).update(Content("\n").join(lines))
        self.set_focus(self.query_one("#quiz-scroll"))
        self._redraw()

    def action_back(self) -> None:
        """During the questions, once one is answered: end the quiz and show the score so
        far. Otherwise leave. A counted quiz's session is ended first either way (its
        answers are stored already)."""
        quiz = self.quiz
        if quiz is None:
            self.dismiss()
            return
        if self.busy:
            return
        early = not self.ended and quiz.position > 0
        if not early and not quiz.counted:
            self.dismiss()
            return
        self.busy = True

        def stopped(_: object) -> None:
            self.busy = False
            self.qapp.session_open = False
            if early:
                self._show_result(quiz.result())
            else:
                self.dismiss()

        self.study_call(quiz.stop, stopped, stopped)

    def action_noop(self) -> None:
        """Listed for help only."""


def _plain(answer: str) -> str:
    """An answer as compared with how it was read: "-3" is read as "−3"."""
    return answer.strip().replace("\u2212", "-")
