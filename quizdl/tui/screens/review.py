"""The review: one card at a time, answered or revealed, rated with the interval each
rating would give. Every study call runs on the study thread; a key pressed while one
is running is ignored, so a rating never lands on the wrong card."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from quizdl.kb.schema import ChoiceCard
from quizdl.study.items import AnswerResult, Counts, Summary
from quizdl.tui.editor import run_editor
from quizdl.tui.fmt import markup
from quizdl.tui.screens.base import K_SCROLL, SCROLL_BINDINGS, QuizdlScreen
from quizdl.tui.screens.review_phase import (
    ALL_KEYS,
    K_END,
    K_HELP,
    Next,
    fetch_next,
    head_content,
    keys_for,
    phase_of,
    rating_line,
)
from quizdl.tui.widgets.card_text import CardFace, pick_mode
from quizdl.tui.widgets.keybar import Key, KeyBar
from quizdl.tui.widgets.ordered_input import OrderedInput
from quizdl.tui.widgets.prose import ProseStatic


class ReviewScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [*ALL_KEYS, K_SCROLL]
    CARD_SCROLL = "#card-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        *SCROLL_BINDINGS,
        Binding("space", "reveal", show=False),
        Binding("enter", "enter", show=False),
        Binding("backspace", "unpick", show=False),
        Binding("u", "undo", show=False),
        Binding("b", "bury", show=False),
        Binding("s", "suspend", show=False),
        Binding("e", "edit", show=False),
        Binding("question_mark", "help", show=False),
        Binding("escape", "escape", show=False),
        *(Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)),
    ]

    # Textual repaints the whole screen when its focus changes; the answer line takes and
    # gives back the focus on every question, and its own look follows by its styles. The
    # full repaint doubled the frame after a key press (61 lines drawn against 8).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, topics: tuple[str, ...]) -> None:
        super().__init__()
        self.topics = topics
        self.face: CardFace | None = None
        self.counts = Counts(0, 0, 0)
        self.intervals: dict[int, timedelta] = {}
        self.done = 0
        self.busy = True

    def compose(self) -> ComposeResult:
        yield Static(id="review-head")
        with VerticalScroll(id="card-scroll"):
            yield ProseStatic(id="card")
        yield OrderedInput(id="answer", placeholder=self.t("review.type_here"))
        yield Static(id="rating")
        yield KeyBar([K_END, K_HELP], self.lang, id="review-keys")

    def on_mount(self) -> None:
        # Hidden, not removed from the layout: showing and hiding it for each card kind
        # would lay the whole screen out again and draw every line of it.
        self.query_one("#answer", Input).visible = False
        opened = self.qapp.opened
        assert opened is not None
        topics = self.topics
        self.qapp.session_open = True

        def begin() -> Next | None:
            study = opened.new_session()
            study.start(topics)
            return fetch_next(study)

        self.study_call(begin, self._show, failed=lambda _: self._leave())

    def _leave(self) -> None:
        self.qapp.session_open = False
        self.dismiss()

    # -- showing -------------------------------------------------------------------------
    def _show(self, nxt: Next | None) -> None:
        if nxt is None:
            self._finish()
            return
        self.busy = False
        self.face = CardFace(nxt.item)
        self.counts = nxt.counts
        self.intervals = nxt.intervals
        item = nxt.item
        topic = self.study.kb.topics.get(item.topic)
        title = topic.title.get(self.lang) if topic is not None else item.topic
        head = head_content(item, title, nxt.counts, self.done, self.lang)
        self.query_one("#review-head", Static).update(head)
        answer = self.query_one("#answer", Input)
        typing = pick_mode(item) == "type"
        if answer.visible != typing:
            answer.visible = typing
        if typing:
            answer.can_focus = True  # (not `disabled`: each change restyles the screen)
            answer.value = ""
            answer.focus()
        else:
            self.set_focus(None)
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)
        self._redraw(typing=typing)
        self.qapp.warm_up_for(item)
        self.qapp.prepare_while_reading()

    def _redraw(self, typing: bool | None = None) -> None:
        """Draw the card, its rating line and key bar; `typing`: the answer line is taking
        the focus (Widget.focus gives it a turn later; setting it at once instead doubled
        tui_speed.py's p99, 32 to 64 ms)."""
        face = self.face
        if face is None:
            return
        self.query_one("#card", Static).update(face.content(self.lang))
        self.query_one("#rating", Static).update(markup(self._rating_line()))
        self.query_one("#review-keys", KeyBar).show(self.keys_now(typing), self.lang)

    def _phase(self) -> str:
        return phase_of(self.face)

    def _rating_line(self) -> str:
        return rating_line(self.face, self.intervals, self.lang)

    def keys_now(self, typing: bool | None = None) -> list[Key]:
        return keys_for(self._phase(), self._typing() if typing is None else typing)

    def _typing(self) -> bool:
        """Does the answer line have the focus? (The screen's `focused` changes when focus
        is set; a widget's has_focus only when its Focus event arrives.)"""
        return self.focused is self.query_one("#answer", Input)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._keys_follow_focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._keys_follow_focus()

    def _keys_follow_focus(self) -> None:
        """A click in or out of the answer line changes which keys work."""
        if self.face is not None:
            self.query_one("#review-keys", KeyBar).show(self.keys_now(), self.lang)

    # -- keys ----------------------------------------------------------------------------
    def action_reveal(self) -> None:
        if not self.busy and self._phase() == "front" and self.face is not None:
            self.face.revealed = True
            self._redraw()

    def action_digit(self, n: int) -> None:
        phase = self._phase()
        if self.busy or self.face is None:
            return
        if phase in ("back", "result") and n <= 4:
            self.action_rate(n)
            return
        options = len(self.face.item.choices) or len(self.face.item.order)
        if phase not in ("choice", "choices", "order") or n > options:
            return
        picks = self.face.picks
        if phase == "choice":
            self.face.picks = [n]
            self._submit_picks()
        elif phase == "choices":
            self.face.picks = [p for p in picks if p != n] if n in picks else [*picks, n]
            self._redraw()
        elif n not in picks:
            picks.append(n)
            if len(picks) == options:
                self._submit_picks()
            else:
                self._redraw()

    def action_unpick(self) -> None:
        if not self.busy and self.face is not None and self._phase() in ("choices", "order"):
            self.face.picks = self.face.picks[:-1]
            self._redraw()

    def action_enter(self) -> None:
        phase = self._phase()
        if self.busy or self.face is None:
            return
        if phase == "back":
            self.action_rate(3)
        elif phase == "result":
            self._record(lambda study: study.accept())
        elif phase in ("choices", "order") and self.face.picks:
            self._submit_picks()
        elif phase == "type" and not self._typing():  # back from the keys to the answer line
            self.query_one("#answer", Input).focus()
            self._redraw(typing=True)

    def _submit_picks(self) -> None:
        face = self.face
        assert face is not None
        item = face.item
        if isinstance(item.card, ChoiceCard) or pick_mode(item) == "choice":
            raw = " ".join(item.choices[n - 1][0] for n in face.picks)
        else:
            raw = " ".join(str(n) for n in face.picks)
        self._submit(raw)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.busy and self._phase() == "type" and event.value.strip():
            self._submit(event.value)

    def _submit(self, raw: str) -> None:
        study = self.study
        self.busy = True
        self.study_call(lambda: study.submit_answer(raw), self._answered, self._unblock)

    def _answered(self, result: AnswerResult) -> None:
        self.busy = False
        face = self.face
        if face is None:
            return
        if result.correct is None:
            face.unreadable = result.reason
            if pick_mode(face.item) in ("choices", "order"):
                face.picks = []
        else:
            face.unreadable = ""
            face.result = result
        # The verdict first, then the answer line's focus: the line's own refresh, if it
        # reached the screen first, took a frame of its own, and the verdict waited for the
        # next one (10 ms later).
        self._redraw()
        if result.correct is not None:
            answer = self.query_one("#answer", Input)
            answer.can_focus = False  # checked: the line keeps the answer, keys rate
            self.set_focus(None)

    def action_rate(self, rating: int) -> None:
        if not self.busy and self._phase() in ("back", "result"):
            self._record(lambda study: study.rate(rating))

    def _record(self, act: object) -> None:
        study = self.study
        self.busy = True

        def job() -> Next | None:
            act(study)  # type: ignore[operator]
            return fetch_next(study)

        def recorded(nxt: Next | None) -> None:
            self.done += 1
            self._show(nxt)

        self.study_call(job, recorded, self._unblock)

    def _unblock(self, _message: str) -> None:
        self.busy = False

    def action_undo(self) -> None:
        if self.busy:
            return
        study = self.study
        self.busy = True

        def job() -> tuple[str | None, Next | None]:
            undone = study.undo()
            return undone, fetch_next(study)

        def undone(result: tuple[str | None, Next | None]) -> None:
            card_id, nxt = result
            if card_id is None:
                self.notify(self.t("review.nothing_to_undo"))
            else:
                self.done = max(0, self.done - 1)
                self.notify(self.t("review.undone", card=card_id))
            self._show(nxt)

        self.study_call(job, undone, self._unblock)

    def action_bury(self) -> None:
        self._set_aside("bury", "review.buried")

    def action_suspend(self) -> None:
        self._set_aside("suspend", "review.suspended")

    def _set_aside(self, how: str, words: str) -> None:
        if self.busy or self.face is None:
            return
        study = self.study
        self.busy = True

        def job() -> tuple[str, Next | None]:
            card_id = study.bury() if how == "bury" else study.suspend()
            return card_id, fetch_next(study)

        def done(result: tuple[str, Next | None]) -> None:
            self.notify(self.t(words, card=result[0]))
            self._show(result[1])

        self.study_call(job, done, self._unblock)

    def action_edit(self) -> None:
        if self.busy or self.face is None:
            return
        card_id = self.face.item.card_id
        where = self.study.kb.where.get(card_id)
        if where is None:
            return
        try:
            if self.app.is_headless:
                run_editor(where.path, where.line)
            else:
                with self.app.suspend():
                    run_editor(where.path, where.line)
        except OSError as exc:
            self.notify(self.t("app.editor_failed", reason=exc), severity="error")
            return
        except Exception:  # the terminal cannot hand over (e.g. a web terminal)
            self.notify(self.t("app.no_editor_here"), severity="warning")
            return
        opened = self.qapp.opened
        assert opened is not None
        study = self.study
        self.busy = True

        def job() -> Next | None:
            opened.reload_content()
            if card_id in study.kb.cards:
                study.show(card_id)
            return fetch_next(study)

        def reloaded(nxt: Next | None) -> None:
            self.notify(self.t("review.reloaded"))
            self._show(nxt)

        self.study_call(job, reloaded, self._unblock)

    def action_escape(self) -> None:
        if self._typing():
            self.set_focus(None)
            self._redraw()
        else:
            self.action_end()

    def action_leave_input(self) -> None:
        self.set_focus(None)
        self._redraw()

    def action_end(self) -> None:
        if not self.busy:
            self.busy = True
            self._finish()

    def action_noop(self) -> None:
        """Listed for help only."""

    def _finish(self) -> None:
        self.busy = True
        study = self.study

        def ended(summary: Summary) -> None:
            from quizdl.tui.screens.session_end import SessionEndScreen

            self.qapp.session_open = False
            self.qapp.tell_notices()  # the day's backup, made meanwhile, may have failed
            self.app.switch_screen(SessionEndScreen(summary, self.topics))

        self.study_call(study.end, ended, lambda _: self._leave())
