"""The review: one card at a time, answered or revealed, rated with the interval each
rating would give. Every study call runs on the study thread; a key pressed while one
is running is ignored, so a rating never lands on the wrong card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.markup import escape
from textual.widgets import Input, ProgressBar, Static

from quizdl.kb.schema import ChoiceCard
from quizdl.study.items import AnswerResult, Counts, Item, Summary
from quizdl.study.service import Study
from quizdl.tui import fmt
from quizdl.tui.editor import run_editor
from quizdl.tui.i18n import rating_name
from quizdl.tui.screens.base import QuizdlScreen
from quizdl.tui.widgets.card_text import CardFace, pick_mode
from quizdl.tui.widgets.keybar import Key, KeyBar


@dataclass(frozen=True)
class Next:
    item: Item
    counts: Counts
    intervals: dict[int, timedelta]


def fetch_next(study: Study) -> Next | None:
    """The next card with its counts and rating previews (runs on the study thread)."""
    item = study.next_item()
    if item is None:
        return None
    return Next(item, study.counts(), study.preview())


K_REVEAL = Key("space", "reveal", "key.reveal", short="bar.reveal")
K_RATE = Key("1-4", "rate(3)", "key.rate", short="bar.rate")
K_ACCEPT = Key("enter", "enter", "key.accept", short="bar.accept")
K_CHECK = Key("enter", "enter", "key.check")
K_PICK = Key("1-9", "noop", "key.pick")
K_ORDER = Key("1-9", "noop", "key.order", short="bar.order")
K_UNPICK = Key("backspace", "unpick", "key.unpick", short="bar.unpick")
K_KEYS = Key("esc", "leave_input", "key.keys", short="bar.keys")
K_UNDO = Key("u", "undo", "key.undo", short="bar.undo")
K_BURY = Key("b", "bury", "key.bury", short="bar.bury")
K_SUSPEND = Key("s", "suspend", "key.suspend", short="bar.suspend")
K_EDIT = Key("e", "edit", "key.edit", short="bar.edit")
K_HELP = Key("?", "help", "key.help")
K_END = Key("esc", "end", "key.end", short="bar.end")


class ReviewScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [
        K_REVEAL,
        K_RATE,
        K_ACCEPT,
        K_CHECK,
        K_PICK,
        K_ORDER,
        K_UNPICK,
        K_KEYS,
        K_UNDO,
        K_BURY,
        K_SUSPEND,
        K_EDIT,
        K_HELP,
        K_END,
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
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
        yield ProgressBar(id="review-progress", show_eta=False)
        with VerticalScroll(id="card-scroll"):
            yield Static(id="card")
        yield Input(id="answer", placeholder=self.t("review.type_here"))
        yield Static(id="rating")
        yield KeyBar([K_END, K_HELP], self.lang, id="review-keys")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).display = False
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
        head = Content.assemble(
            (title, "bold"),
            (f" › {item.section}", ""),
            (f"  · {self.t('kind.' + item.card.kind)}", "$text-muted"),
        )
        if item.changed:
            head = head.append(Content.styled(f"  ✎ {self.t('review.changed')}", "$warning"))
        counts = Content.styled(
            "  "
            + self.t(
                "dash.counts",
                new=nxt.counts.new,
                learning=nxt.counts.learning,
                review=nxt.counts.review,
            ),
            "$text-muted",
        )
        self.query_one("#review-head", Static).update(Content("\n").join([head, counts]))
        bar = self.query_one("#review-progress", ProgressBar)
        bar.update(total=max(1, self.done + nxt.counts.total), progress=self.done)
        answer = self.query_one("#answer", Input)
        typing = pick_mode(item) == "type"
        if answer.display != typing:  # each change lays the screen out again
            answer.display = typing
        if typing:
            answer.disabled = False
            answer.value = ""
        if typing:
            answer.focus()
        else:
            self.set_focus(None)
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)
        self._redraw()

    def _redraw(self) -> None:
        face = self.face
        if face is None:
            return
        self.query_one("#card", Static).update(face.content(self.lang))
        self.query_one("#rating", Static).update(self._rating_line())
        self.query_one("#review-keys", KeyBar).show(self.keys_now(), self.lang)

    def _phase(self) -> str:
        face = self.face
        if face is None:
            return "none"
        mode = pick_mode(face.item)
        if mode == "reveal":
            return "back" if face.revealed else "front"
        return "result" if face.result is not None else mode

    def _rating_line(self) -> str:
        phase = self._phase()
        face = self.face
        if face is None:
            return ""
        if phase == "front":
            return escape(self.t("review.space"))
        if phase in ("choice", "choices", "order"):
            words = {"choice": "review.pick_one", "choices": "review.pick_many"}
            return escape(self.t(words.get(phase, "review.pick_order")))
        if phase == "type":
            return ""
        suggested = face.result.suggested_rating if face.result is not None else None
        parts = []
        for rating in (1, 2, 3, 4):
            style = "reverse $accent" if rating == suggested else "bold $accent"
            interval = fmt.interval(self.intervals.get(rating))
            label = f"{rating} {rating_name(self.lang, rating)} {interval}"
            parts.append(f"[@click=screen.rate({rating})][{style}] {escape(label)} [/][/]")
        line = "  ".join(parts)
        if suggested:
            hint = self.t("review.suggested", rating=rating_name(self.lang, suggested))
            line += "\n" + f"[$text-muted]{escape(hint)}[/]"
        return line

    def keys_now(self) -> list[Key]:
        phase = self._phase()
        keys = {
            "front": [K_REVEAL],
            "back": [K_RATE],
            "result": [K_ACCEPT, K_RATE],
            "choice": [K_PICK],
            "choices": [K_PICK, K_CHECK],
            "order": [K_ORDER, K_UNPICK, K_CHECK],
            "type": [K_CHECK, K_KEYS],
        }.get(phase, [])
        if phase == "type" and self.query_one("#answer", Input).has_focus:
            return [*keys, K_HELP]
        return [*keys, K_UNDO, K_BURY, K_SUSPEND, K_EDIT, K_HELP, K_END]

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
            answer = self.query_one("#answer", Input)
            answer.disabled = True
            self.set_focus(None)
        self._redraw()

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
        answer = self.query_one("#answer", Input)
        if answer.has_focus:
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
            self.app.switch_screen(SessionEndScreen(summary, self.topics))

        self.study_call(study.end, ended, lambda _: self._leave())
