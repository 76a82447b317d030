"""Statistics as charts in the terminal: a calendar heatmap of answers per day, the
forecast, true retention by week, the interval distribution and mastery per topic."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from quizdl.stats import Stats, compute
from quizdl.stats.model import IntervalBucket
from quizdl.tui import fmt
from quizdl.tui.screens.base import QuizdlScreen
from quizdl.tui.widgets.charts import HEAT, bars, columns, heatmap
from quizdl.tui.widgets.keybar import Key, KeyBar
from quizdl.tui.widgets.prose import ProseStatic

WEEKS = 26
MASTERY_BAR = 20
LABEL_WIDTH = 24
"""The narrowest column of topic titles under "mastery per topic"; a wider terminal gives
the titles the room they need."""
BESIDE_LABEL = 2 + 1 + MASTERY_BAR + 1 + 6 + 2
"""What a line of "mastery per topic" holds beside its title: the screen's margin, the bar,
the percentage, the scroll bar."""


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

    def __init__(self) -> None:
        super().__init__()
        self.data: Stats | None = None
        self.label_width = LABEL_WIDTH

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats"):
            yield ProseStatic(self.t("app.opening"), id="stats-body")
        yield KeyBar(self.KEYS, self.lang)

    def on_mount(self) -> None:
        study = self.study
        profile = self.qapp.opened.profile if self.qapp.opened is not None else "default"
        self.query_one("#stats").focus()
        self.study_call(lambda: compute(study.db, profile, study.clock), self.show, reading=True)

    def on_resize(self) -> None:
        if self.data is not None and self._label_width() != self.label_width:
            self.show(self.data)

    def _label_width(self) -> int:
        room = self.app.size.width - BESIDE_LABEL
        return max(LABEL_WIDTH, min(room, self.longest_title()))

    def show(self, data: Stats) -> None:
        self.data = data
        self.label_width = self._label_width()
        t = self.t
        first = data.study_day - timedelta(days=data.study_day.weekday(), weeks=WEEKS - 1)
        per_day = {d.day: d.count for d in data.reviews_per_day if d.day >= first and d.count}
        forecast = [d.count for d in data.forecast]
        legend = Content.assemble(
            (t("stats.less") + " ", "$text-muted"),
            *((("■ ", style)) for style in HEAT),
            (t("stats.more"), "$text-muted"),
        )
        parts: list[Content] = [
            Content.styled(t("stats.heatmap", weeks=WEEKS), "bold"),
            heatmap(per_day, data.study_day, WEEKS) if per_day else Content(t("stats.no_data")),
            legend,
            Content(""),
            Content.styled(t("stats.forecast"), "bold"),
            columns(forecast, height=4),
            Content.styled(" ".join(f"{n}" for n in forecast[:10]) + " …", "$text-muted"),
            Content(""),
            Content.styled(t("stats.retention"), "bold"),
        ]
        weeks = [w for w in data.retention_weeks if w.reviews]
        if weeks:
            parts.append(
                bars(
                    [
                        (
                            w.start.strftime("%m-%d"),
                            w.retention or 0.0,
                            f"{fmt.percent(w.retention)} ({w.reviews})",
                        )
                        for w in weeks[-8:]
                    ],
                    label_width=7,
                )
            )
        else:
            parts.append(Content.styled(t("stats.no_retention"), "$text-muted"))
        top = max((b.cards for b in data.intervals), default=0)
        parts += [Content(""), Content.styled(t("stats.intervals"), "bold")]
        if top:
            parts.append(
                bars(
                    [(interval_label(b), b.cards / top, str(b.cards)) for b in data.intervals],
                    label_width=9,
                )
            )
        else:
            parts.append(Content.styled(t("stats.no_intervals"), "$text-muted"))
        parts += [Content(""), Content.styled(t("stats.mastery"), "bold")]
        parts.append(
            bars(
                [
                    (self._title(topic.topic), topic.mastery or 0.0, fmt.percent(topic.mastery))
                    for topic in data.topics
                ],
                width=MASTERY_BAR,
                label_width=self.label_width,
            )
        )
        self.query_one("#stats-body", Static).update(Content("\n").join(parts))

    def _title(self, topic: str) -> str:
        meta = self.study.kb.topics.get(topic)
        return meta.title.get(self.lang) if meta is not None else topic

    def action_noop(self) -> None:
        """Listed for help only."""


def interval_label(bucket: IntervalBucket) -> str:
    """[min, max) days as a short label: "7-13d", "365d+"."""
    if bucket.max_days is None:
        return f"{bucket.min_days}d+"
    if bucket.max_days - bucket.min_days == 1:
        return f"{bucket.min_days}d"
    return f"{bucket.min_days}-{bucket.max_days - 1}d"
