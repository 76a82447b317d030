"""The dashboard: what is due today per topic with its mastery, the streak, the week's
reviews, a 30-day forecast and the last session; the keys to everything else."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from quizdl.stats import Cancel, Cancelled, Stats, compute
from quizdl.tui import fmt
from quizdl.tui.screens.base import QuizdlScreen
from quizdl.tui.widgets.charts import columns, fit
from quizdl.tui.widgets.keybar import Key, KeyBar
from quizdl.tui.widgets.prose import ProseStatic

TOPIC_WIDTH = 34
"""The topic column at 80 columns; a wider terminal gives it the rest, up to the longest
title."""


class DashboardScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [
        Key("r", "review", "key.review", short="bar.review"),
        Key("t", "review_topic", "key.review_topic", short="bar.topic"),
        Key("g", "quiz", "key.quiz"),
        Key("b", "browse", "key.browse"),
        Key("s", "stats", "key.stats"),
        Key("c", "settings", "key.settings"),
        Key("?", "help", "key.help"),
        Key("q", "quit", "key.quit"),
        Key("↑↓", "noop", "key.move", in_bar=False),
        Key("enter", "review_topic", "key.review_topic", in_bar=False),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", show=False),
        Binding("t", "review_topic", show=False),
        Binding("g", "quiz", show=False),
        Binding("b", "browse", show=False),
        Binding("s", "stats", show=False),
        Binding("c", "settings", show=False),
        Binding("question_mark", "help", show=False),
        Binding("q", "quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Stats | None = None
        self.figures: Cancel | None = None
        """The figures being read (or last read), to cancel when the screen is covered."""
        self.topic_ids: list[str] = []
        self.topic_width = TOPIC_WIDTH

    def compose(self) -> ComposeResult:
        with Vertical(id="dash"):
            with Horizontal(id="dash-head"):
                yield Static(id="dash-due")
                yield Static(id="dash-streak")
            yield ProseStatic(id="dash-note")
            yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
            yield Static(id="dash-forecast")
        yield KeyBar(self.KEYS, self.lang)

    def on_mount(self) -> None:
        self._add_columns(self._topic_width_for(self.app.size.width))
        self.refresh_data()

    def on_resize(self) -> None:
        width = self._topic_width_for(self.app.size.width)
        if width != self.topic_width:
            table = self.query_one("#topics", DataTable)
            row = table.cursor_row
            table.clear(columns=True)
            self._add_columns(width)
            if self.data is not None:
                self.show(self.data)
                table.move_cursor(row=row)

    def _topic_width_for(self, screen_width: int) -> int:
        """TOPIC_WIDTH at 80 columns and below; the extra columns of a wider terminal, up to
        the longest title (its titles were cut at 34 cells on a 120-column terminal)."""
        return max(TOPIC_WIDTH, min(TOPIC_WIDTH + screen_width - 80, self.longest_title()))

    def _add_columns(self, topic_width: int) -> None:
        # Fixed widths: drawn at once, never re-measured after the first frame.
        table = self.query_one("#topics", DataTable)
        self.topic_width = topic_width
        table.add_column(self.t("dash.topic"), key="topic", width=topic_width)
        for key in ("new", "learn", "review"):
            label = self.t(f"dash.{key}")
            table.add_column(label, key=key, width=max(cell_len(label), 5))
        label = self.t("dash.mastery")
        table.add_column(label, key="mastery", width=max(cell_len(label), 13))

    def on_screen_resume(self) -> None:
        figures = self.figures
        if self.data is not None or (figures is not None and figures.cancelled):
            self.refresh_data()

    def on_screen_suspend(self) -> None:
        """Covered (a review started at once): the figures still being read are not wanted
        now, and they would hold up its first card (tui_start.py, the dashboard to the first
        card: 250 ms with them, 110 ms without any; cancelled, 148-238 ms against 256-363 in
        interleaved runs). They are read again on return."""
        if self.figures is not None:
            self.figures.cancel()

    def refresh_data(self) -> None:
        study = self.study
        profile = self.qapp.opened.profile if self.qapp.opened is not None else "default"
        figures = self.figures = Cancel()

        def read() -> Stats | None:
            try:
                return compute(study.db, profile, study.clock, cancel=figures)
            except Cancelled:
                return None

        self.study_call(read, self._read, reading=True)

    def _read(self, data: Stats | None) -> None:
        if data is not None:
            self.show(data)

    def show(self, data: Stats) -> None:
        self.data = data
        self.qapp.warm_up_when_idle()
        lang = self.lang
        due = data.due
        head = [Content.styled(self.t("dash.due"), "bold")]
        if due.total:
            counts = self.t("dash.counts", new=due.new, learning=due.learning, review=due.review)
            head.append(Content.styled(counts, "bold $accent"))
        else:
            head.append(Content.styled(self.t("dash.nothing_due"), "$success"))
        self.query_one("#dash-due", Static).update(Content("\n").join(head))
        streak = [
            self.t("dash.streak", days=data.streak.days),
            self.t("dash.week", count=data.week.reviews),
            self.t("dash.today_done", count=data.today.reviews),
        ]
        self.query_one("#dash-streak", Static).update("\n".join(streak))
        self.query_one("#dash-note", Static).update(self._note(data))
        table = self.query_one("#topics", DataTable)
        row = table.cursor_row
        table.clear()
        self.topic_ids = []
        kb = self.study.kb
        order = {t.id: (t.order, t.id) for t in kb.topics.values()}
        topics = sorted(data.topics, key=lambda t: order.get(t.topic, (1 << 30, t.topic)))
        for topic in topics:
            self.topic_ids.append(topic.topic)
            meta = kb.topics.get(topic.topic)
            title = meta.title.get(lang) if meta is not None else topic.topic
            mastery = topic.mastery or 0.0
            table.add_row(
                Text(fit(title, self.topic_width).plain),
                _count(topic.due.new),
                _count(topic.due.learning),
                _count(topic.due.review),
                Text.assemble((fmt.bar(mastery, 8), "green"), f" {fmt.percent(topic.mastery):>4}"),
                key=topic.topic,
            )
        if topics:
            table.move_cursor(row=min(row, len(topics) - 1))
        due_days = [day.count for day in data.forecast]
        forecast = columns(due_days, height=3, labels=_day_ruler(len(due_days)))
        self.query_one("#dash-forecast", Static).update(
            Content("\n").join([Content.styled(self.t("dash.forecast"), "bold"), forecast])
        )

    def _note(self, data: Stats) -> Content:
        if data.cards.new == data.cards.total:  # nothing seen yet: a first run
            kb = self.study.kb
            text = self.t("dash.welcome", cards=len(kb.cards), topics=len(kb.topics))
            from quizdl.study.quiz import GENERATED

            generated = len(kb.cards.ids_of_kind(GENERATED))
            if generated:  # the quiz is what no flashcard app offers: say so on day one
                text += self.t("dash.welcome_quiz", count=generated)
            return Content.styled(text, "$accent")
        last = data.last_session
        if last is None:
            return Content.styled(self.t("dash.last_none"), "$text-muted")
        now = self.study.clock.now()
        when = fmt.when(last.started_at, self.study.clock.zone, now)
        answered = (last.correct or 0) + (last.incorrect or 0)
        text = self.t("dash.last", when=when, reviewed=last.reviews)
        if answered:
            text += self.t("dash.last_answers", correct=last.correct or 0, answered=answered)
        return Content.styled(text, "$text-muted")

    # -- actions -------------------------------------------------------------------------
    def action_review(self) -> None:
        from quizdl.tui.screens.review import ReviewScreen

        # The review needs none of the figures: it starts at once, even before they are
        # drawn (its first call waits on the study thread behind the figures' query: run
        # side by side, the two threads slowed each other down more than that).
        self.app.push_screen(ReviewScreen(()))

    def action_review_topic(self) -> None:
        from quizdl.tui.screens.review import ReviewScreen

        table = self.query_one("#topics", DataTable)
        if self.data is not None and self.topic_ids:
            self.app.push_screen(ReviewScreen((self.topic_ids[table.cursor_row],)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review_topic()

    def action_quiz(self) -> None:
        from quizdl.tui.screens.quiz import QuizScreen

        table = self.query_one("#topics", DataTable)
        chosen = self.topic_ids[table.cursor_row] if self.topic_ids else None
        if self.data is not None:
            self.app.push_screen(QuizScreen(chosen))

    def action_browse(self) -> None:
        from quizdl.tui.screens.browse import BrowseScreen

        if self.data is not None:
            self.app.push_screen(BrowseScreen())

    def action_stats(self) -> None:
        from quizdl.tui.screens.stats import StatsScreen

        if self.data is not None:
            self.app.push_screen(StatsScreen())

    def action_settings(self) -> None:
        from quizdl.tui.screens.settings import SettingsScreen

        if self.data is not None:
            self.app.push_screen(SettingsScreen())

    async def action_quit(self) -> None:
        await self.qapp.action_quit()

    def action_noop(self) -> None:
        """A key listed for help only (the table moves its own cursor)."""


def _count(n: int) -> Text:
    # DataTable cells are Rich text (a plain string would be read as markup)
    return (
        Text(str(n), style="bold", justify="right")
        if n
        else Text("·", style="dim", justify="right")
    )


def _day_ruler(days: int) -> str:
    """Tick marks under the forecast: today, then every seventh day."""
    marks = [" "] * days
    for k in range(0, days, 7):
        label = str(k)
        for i, char in enumerate(label):
            if k + i < days:
                marks[k + i] = char
    return "".join(marks)
