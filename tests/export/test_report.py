"""The progress report (md and html): summary, heatmap, retention, forecast, topics and
leeches; the HTML holds its charts inline and fetches nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from quizdl.export import ExportRequest, export
from quizdl.kb.loader import KnowledgeBase
from quizdl.store.db import Database
from quizdl.store.models import CardState, Review
from tests.export.conftest import T0

NOW = T0 + timedelta(days=4, hours=6)  # the evening of the fifth (last) study day


def report(database: Database, kb: KnowledgeBase, path: Path, **kwargs: object) -> str:
    export(ExportRequest(path.suffix[1:], path, now=NOW, **kwargs), database=database, kb=kb)  # type: ignore[arg-type]
    return path.read_text(encoding="utf-8")


def true_retention(database: Database) -> str:
    """Answers to cards in the review state not rated Again, from the rows themselves."""
    with database.sessions() as session:
        ratings = list(session.scalars(select(Review.rating).where(Review.state_before == 2)))
    return f"{sum(r > 1 for r in ratings) / len(ratings):.1%}"


def make_leech(database: Database, card_id: str) -> None:
    with database.transaction() as session:
        session.execute(
            update(CardState).where(CardState.card_id == card_id).values(leech=True, lapses=9)
        )


def test_markdown_report(studied: Database, kb: KnowledgeBase, tmp_path: Path) -> None:
    make_leech(studied, "beta/deconv")
    text = report(studied, kb, tmp_path / "report.md")
    assert text.startswith("# quizdl progress report: default\n")
    for heading in (
        "Summary",
        "Answers per day",
        "True retention",
        "Forecast",
        "Topics",
        "Leeches",
    ):
        assert f"\n## {heading}" in text
    assert "| Answers, last 365 days | 200 |" in text
    assert f"| True retention, last 12 weeks | {true_retention(studied)} |" in text
    assert "| Streak | 5 days |" in text
    # mastery as a percentage, as `quizdl stats` and the app show it (the report wrote a fraction)
    assert re.search(r"\| Mastery \(mean retrievability of seen cards\) \| \d+\.\d% \|", text)
    assert re.search(r"\| Alpha basics \(`alpha`\) \| 5 \| 5 \| \d+\.\d% \|", text)
    heatmap = text.split("```text\n")[1].split("\n```")[0].splitlines()
    assert [line.split()[0] for line in heatmap] == "Mon Tue Wed Thu Fri Sat Sun".split()
    cells = "".join(line[4:] for line in heatmap)
    assert len(cells.replace(" ", "")) == 365  # a cell per study day of the last year
    assert sum(c in "░▒▓█" for c in cells) == 5 and cells.count("█") == 5  # 40 answers each
    assert "| Alpha basics (`alpha`) | 5 | 5 |" in text
    assert "| Beta: training (`beta`) | 3 | 3 |" in text
    assert "ConvTranspose" not in text  # a generated card has no title of its own...
    assert "| `beta/deconv` | beta | 9 | no |" in text  # ...so the leech is named by its id


def test_html_report_has_its_charts_inline(
    studied: Database, kb: KnowledgeBase, tmp_path: Path
) -> None:
    text = report(studied, kb, tmp_path / "report.html")
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") == 3
    assert "<script" not in text.lower() and "<link" not in text.lower()
    urls = set(re.findall(r"https?://[^\s\"'<>]+", text))
    assert urls == {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched
    heatmap = text.split("<svg")[1]
    days = re.findall(r"<title>(\d{4}-\d\d-\d\d): ([\d,]+)</title>", heatmap)
    assert len(days) == 365
    studied_days = {day: count for day, count in days if count != "0"}
    assert studied_days == {(T0 + timedelta(days=d)).date().isoformat(): "40" for d in range(5)}
    assert f"<td>{true_retention(studied)}</td>" in text.replace('<td class="n">', "<td>")


def test_a_topic_report_says_what_it_covers(
    studied: Database, kb: KnowledgeBase, tmp_path: Path
) -> None:
    text = report(studied, kb, tmp_path / "beta.md", topics=("beta",))
    assert "Topic table and leeches: beta only" in text
    assert "(`beta`)" in text and "(`alpha`)" not in text


def test_chinese_report(studied: Database, kb: KnowledgeBase, tmp_path: Path) -> None:
    text = report(studied, kb, tmp_path / "zh.html", lang="zh")
    assert '<html lang="zh">' in text and "学习报告" in text and "真实保留率" in text
    assert "基础 (alpha)" in text
