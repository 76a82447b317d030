"""The card browser: a table of every card, a search line, a card's details, and
suspend or unsuspend."""

from __future__ import annotations

import random
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from quizdl.kb.text import Lang
from quizdl.schedule.queue import Entry
from quizdl.study import render
from quizdl.study.browse import CardBrowser, CardRow, Found
from quizdl.study.present import make_item
from quizdl.study.service import Study
from quizdl.tui import fmt
from quizdl.tui.screens.base import QuizdlScreen
from quizdl.tui.widgets.keybar import Key, KeyBar
from quizdl.tui.widgets.ordered_input import OrderedInput
from quizdl.tui.widgets.prose import ProseStatic

SHOWN = 2000  # rows drawn at most; the count says how many matched
ID_WIDTH = 24
TOPIC_WIDTH = 18
COLUMNS = (
    ("id", ID_WIDTH),
    ("topic", TOPIC_WIDTH),
    ("kind", 9),
    ("state", 12),
    ("due", 5),
    ("s", 5),
    ("d", 4),
    ("r", 4),
    ("lapses", 6),
)


class BrowseScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [
        Key("/", "search", "key.search"),
        Key("enter", "open", "key.open"),
        Key("space", "toggle_suspend", "key.toggle_suspend"),
        Key("?", "help", "key.help"),
        Key("esc", "back", "key.back"),
        Key("↑↓", "noop", "key.move", in_bar=False),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", show=False),
        Binding("space", "toggle_suspend", show=False),
        Binding("question_mark", "help", show=False),
        Binding("escape", "escape", show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.rows: list[CardRow] = []
        self.browser: CardBrowser | None = None

    def compose(self) -> ComposeResult:
        yield OrderedInput(self.query_text, id="search", placeholder=self.t("browse.placeholder"))
        yield ProseStatic(id="browse-count")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield KeyBar(self.KEYS, self.lang)

    def on_mount(self) -> None:
        self.browser = CardBrowser(self.study)
        table = self.query_one("#cards", DataTable)
        # Fixed widths: drawn at once, never re-measured after the first frame.
        for key, width in COLUMNS:
            label = self.t(f"browse.{key}")
            table.add_column(label, key=key, width=max(cell_len(label), width))
        table.focus()
        self.search(self.query_text)

    def search(self, text: str) -> None:
        browser = self.browser
        assert browser is not None
        self.query_text = text
        self.study_call(
            lambda: browser.search(text, limit=SHOWN),
            self.show,
            lambda message: self.query_one("#browse-count", Static).update(
                Content.styled(message, "$error")
            ),
            said_in_place=True,
        )

    def show(self, found: Found) -> None:
        self.rows = found.rows
        table = self.query_one("#cards", DataTable)
        row = table.cursor_row
        table.clear()
        clock = self.study.clock
        now = clock.now()
        for card in found.rows:
            state = self.t(f"state.{card.state}")
            marks = []
            if card.suspended:
                marks.append(self.t("browse.suspended_mark"))
            if card.leech:
                marks.append(self.t("browse.leech_mark"))
            if card.changed:
                marks.append(self.t("browse.changed_mark"))
            state_cell = Text(state)
            if marks:
                state_cell.append(" " + ",".join(marks), style="yellow")
            # DataTable cells are Rich text (a plain string would be read as markup)
            cells = [
                fmt.middle(card.card_id.split("/", 1)[1], ID_WIDTH),
                fmt.middle(card.topic, TOPIC_WIDTH),
                self.t(f"kind.{card.kind}"),
                fmt.when(card.due, clock.zone, now) if card.state else "—",
                fmt.number(card.stability),
                fmt.number(card.difficulty),
                fmt.percent(card.retrievability),
                str(card.lapses),
            ]
            texts = [Text(cell) for cell in cells]
            texts.insert(3, state_cell)
            table.add_row(*texts, key=card.card_id)
        if found.rows:
            table.move_cursor(row=min(row, len(found.rows) - 1))
        words = "browse.found" if found.total == len(found.rows) else "browse.shown"
        self.query_one("#browse-count", Static).update(
            Content.styled(self.t(words, total=found.total, shown=len(found.rows)), "$text-muted")
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)
        self.query_one("#cards", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_escape(self) -> None:
        if self.query_one("#search", Input).has_focus:
            self.query_one("#cards", DataTable).focus()
        else:
            self.dismiss()

    def _current(self) -> CardRow | None:
        table = self.query_one("#cards", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        card = self._current()
        if card is not None and card.card_id in self.study.kb.cards:
            self.app.push_screen(CardScreen(card, self.study, self.lang))

    def action_toggle_suspend(self) -> None:
        card = self._current()
        browser = self.browser
        if card is None or browser is None:
            return
        flag = not card.suspended

        def done(_: int) -> None:
            words = "browse.suspended" if flag else "browse.unsuspended"
            self.notify(self.t(words, card=card.card_id))
            self.search(self.query_text)

        self.study_call(lambda: browser.set_suspended([card.card_id], flag), done)

    def action_noop(self) -> None:
        """Listed for help only."""


class CardScreen(ModalScreen[None]):
    """One card from the browser: its text, its answer and its memory."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "close"),
        Binding("enter", "dismiss", "close", show=False),
        Binding("q", "dismiss", "close", show=False),
    ]

    def __init__(self, row: CardRow, study: Study, lang: Lang) -> None:
        super().__init__()
        self.row = row
        self.study = study
        self.lang = lang

    def compose(self) -> ComposeResult:
        from quizdl.tui.i18n import tr

        lang = self.lang
        study = self.study
        row = self.row
        entry = Entry(row.card_id, row.topic, "", row.state, row.due)
        # As written (options in their order, under their letters), and a generated card's
        # example drawn from a generator of its own: the study's, which the review draws
        # from, is left alone.
        item = make_item(entry, study.kb, random.Random(row.card_id), shuffle=False)
        clock = study.clock
        details = tr(
            lang,
            "browse.details",
            state=tr(lang, f"state.{row.state}"),
            due=fmt.when(row.due, clock.zone, clock.now()),
            s=fmt.number(row.stability),
            d=fmt.number(row.difficulty),
            r=fmt.percent(row.retrievability),
            reps=row.reps,
            lapses=row.lapses,
        )
        lines = [
            Content.styled(tr(lang, "browse.card", card=row.card_id), "bold $accent"),
            Content(""),
            Content.styled(render.prompt(item, lang), "bold"),
            *(Content(f"  {label}) {text}") for label, text in render.choices(item, lang)),
            Content.styled("─" * 24, "$text-muted"),
            Content(render.back(item, lang)),
            Content(""),
            Content.styled(details, "$text-muted"),
        ]
        with VerticalScroll(id="card-box"):
            yield ProseStatic(Content("\n").join(lines))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
