"""`quizdl export --format md|html`: a progress report to read or share.

The figures come from quizdl.stats (the same numbers `quizdl stats` shows); this module
adds the content's titles and the topic filter, and hands the result to the Markdown or
HTML writer. With --topic the topic table and the leeches are those of the topics asked
for; the other figures stay those of the whole profile (the report says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from quizdl.clock import Clock
from quizdl.errors import BadInput
from quizdl.kb.loader import KnowledgeBase
from quizdl.kb.schema import card_title
from quizdl.kb.text import Lang
from quizdl.stats import compute
from quizdl.stats.model import Stats
from quizdl.store.db import Database


@dataclass(frozen=True)
class TopicRow:
    topic: str
    title: str
    cards: int
    seen: int
    mastery: float | None
    due: int


@dataclass(frozen=True)
class LeechRow:
    card_id: str
    title: str
    topic: str
    lapses: int
    suspended: bool


@dataclass(frozen=True)
class Report:
    stats: Stats
    lang: Lang
    topics: list[TopicRow]
    leeches: list[LeechRow]
    only: tuple[str, ...]  # the topics asked for (empty: all)

    @property
    def answers_last_year(self) -> int:
        return sum(day.count for day in self.stats.reviews_per_day)

    @property
    def retention_12_weeks(self) -> float | None:
        weeks = self.stats.retention_weeks
        answers = sum(w.reviews for w in weeks)
        return sum(w.passed for w in weeks) / answers if answers else None


def build_report(
    database: Database,
    kb: KnowledgeBase,
    *,
    profile: str = "default",
    topics: Sequence[str] = (),
    lang: Lang = "en",
    now: datetime | None = None,
) -> Report:
    stats = compute(database, profile, Clock(fixed=now) if now else None)
    known = {t.topic for t in stats.topics} | set(kb.topics)
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise BadInput(f"unknown topic {unknown[0]!r} (topics: {', '.join(sorted(known))})")
    rows = [
        TopicRow(
            t.topic,
            kb.topics[t.topic].title.render(lang) if t.topic in kb.topics else t.topic,
            t.cards,
            t.seen,
            t.mastery,
            t.due.total,
        )
        for t in stats.topics
        if not topics or t.topic in topics
    ]
    leeches = [
        LeechRow(
            leech.card_id,
            _title(kb, leech.card_id, lang),
            leech.topic,
            leech.lapses,
            leech.suspended,
        )
        for leech in stats.leeches
        if not topics or leech.topic in topics
    ]
    return Report(stats, lang, rows, leeches, tuple(topics))


def _title(kb: KnowledgeBase, card_id: str, lang: Lang) -> str:
    """The card's one-line title; empty when it has none but its id (or is gone)."""
    if card_id not in kb.cards:
        return ""
    title = card_title(kb.cards[card_id], lang)
    return "" if title == card_id else title


def write_report(
    database: Database,
    kb: KnowledgeBase,
    out: BinaryIO,
    *,
    html: bool,
    profile: str = "default",
    topics: Sequence[str] = (),
    lang: Lang = "en",
    now: datetime | None = None,
) -> dict[str, int]:
    report = build_report(database, kb, profile=profile, topics=topics, lang=lang, now=now)
    if html:
        from quizdl.export.report_html import render_html

        text = render_html(report)
    else:
        from quizdl.export.report_md import render_markdown

        text = render_markdown(report)
    out.write(text.encode("utf-8"))
    return {"topics": len(report.topics), "leeches": len(report.leeches)}


def level(count: int, peak: int) -> int:
    """A day's shade in the heatmap: 0 none, then 1..4 up to the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, -(-4 * count // peak))


def week_grid(stats: Stats) -> list[list[tuple[str, int] | None]]:
    """The heatmap's days as rows Monday..Sunday and columns week by week, oldest first;
    a cell is (day, answers), or None outside the 365 days."""
    days = stats.reviews_per_day
    if not days:
        return [[] for _ in range(7)]
    lead = days[0].day.weekday()
    cells: list[tuple[str, int] | None] = [None] * lead
    cells += [(d.day.isoformat(), d.count) for d in days]
    cells += [None] * (-len(cells) % 7)
    weeks = len(cells) // 7
    return [[cells[w * 7 + weekday] for w in range(weeks)] for weekday in range(7)]
