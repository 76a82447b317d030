"""Statistics as charts in the terminal: a calendar heatmap of answers per day, the
forecast, true retention by week, the interval distribution and mastery per topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from quizdl.study.history import History, history
from quizdl.study.overview import Overview, overview
from quizdl.tui import fmt
from quizdl.tui.screens.base import QuizdlScreen
from quizdl.tui.widgets.charts import HEAT, bars, columns, heatmap
from quizdl.tui.widgets.keybar import Key, KeyBar

WEEKS = 26


@dataclass(frozen=True)
class StatsData:
    overview: Overview
    history: History


class StatsScreen(QuizdlScreen):
    KEYS: ClassVar[list[Key]] = [
        Key("↑↓", "noop", "key.scroll"),
        Key("?", "help", "key.help"),
        Key("esc", "back", "key.back"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", show=False),
        Binding("q", "back", show=False),
        Binding("question_mark", "help", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats"):
            yield Static(self.t("app.opening"), id="stats-body")
        yield KeyBar(self.KEYS, self.lang)

    def on_mount(self) -> None:
        study = self.study
        self.query_one("#stats").focus()
        self.study_call(lambda: StatsData(overview(study), history(study, WEEKS)), self.show)

    def show(self, data: StatsData) -> None:
        h = data.history
        t = self.t
        legend = Content.assemble(
            (t("stats.less") + " ", "$text-muted"),
            *((("■ ", style)) for style in HEAT),
            (t("stats.more"), "$text-muted"),
        )
        parts: list[Content] = [
            Content.styled(t("stats.heatmap", weeks=WEEKS), "bold"),
            heatmap(h.per_day, h.last_day, WEEKS) if h.per_day else Content(t("stats.no_data")),
            legend,
            Content(""),
            Content.styled(t("stats.forecast"), "bold"),
            columns(data.overview.forecast, height=4),
            Content.styled(
                " ".join(f"{n}" for n in data.overview.forecast[:10]) + " …", "$text-muted"
            ),
            Content(""),
            Content.styled(t("stats.retention"), "bold"),
        ]
        weeks = [w for w in h.retention if w.total]
        if weeks:
            parts.append(
                bars(
                    [
                        (
                            w.week_start.strftime("%m-%d"),
                            w.rate or 0.0,
                            f"{fmt.percent(w.rate)} ({w.total})",
                        )
                        for w in weeks[-8:]
                    ],
                    label_width=7,
                )
            )
        else:
            parts.append(Content.styled(t("stats.no_data"), "$text-muted"))
        top = max((n for _, n in h.intervals), default=0)
        parts += [Content(""), Content.styled(t("stats.intervals"), "bold")]
        if top:
            parts.append(
                bars([(label, n / top, str(n)) for label, n in h.intervals], label_width=7)
            )
        else:
            parts.append(Content.styled(t("stats.no_data"), "$text-muted"))
        parts += [Content(""), Content.styled(t("stats.mastery"), "bold")]
        parts.append(
            bars(
                [
                    (topic.title.get(self.lang), topic.mastery, fmt.percent(topic.mastery))
                    for topic in data.overview.topics
                ],
                width=20,
            )
        )
        self.query_one("#stats-body", Static).update(Content("\n").join(parts))

    def action_noop(self) -> None:
        """Listed for help only."""
