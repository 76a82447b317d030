"""The progress report as Markdown: tables, and the heatmap drawn in text."""

from __future__ import annotations

from collections.abc import Sequence

from quizdl.export.report import Report, level, week_grid
from quizdl.export.report_labels import label, percent, summary_rows

SHADES = "·░▒▓█"
BAR_WIDTH = 30


def render_markdown(report: Report) -> str:
    s, lang = report.stats, report.lang
    out = [f"# {label('title', lang, profile=_cell(s.profile))}", ""]
    out += [
        label(
            "day",
            lang,
            day=s.study_day.isoformat(),
            zone=s.time_zone,
            hour=s.rollover_hour,
            now=s.now.isoformat(timespec="seconds"),
        ),
        "",
    ]
    if report.only:
        out += [f"*{label('only', lang, topics=', '.join(report.only))}*", ""]
    out += [f"## {label('summary', lang)}", ""]
    out += _table(["", ""], summary_rows(report))
    out += [f"## {label('heatmap', lang)}", "", "```text", *_heatmap(report), "```", ""]
    peak = max((d.count for d in s.reviews_per_day), default=0)
    out += [label("heatmap_legend", lang, peak=f"{peak:,}"), ""]
    out += [f"## {label('retention', lang)}", ""]
    for key, periods in (("week_of", s.retention_weeks), ("month", s.retention_months)):
        out += _table(
            [label(key, lang), label("answers", lang), label("passed", lang), label("rate", lang)],
            [
                [p.start.isoformat(), f"{p.reviews:,}", f"{p.passed:,}", percent(p.retention)]
                for p in periods
            ],
        )
    out += [f"## {label('forecast', lang)}", ""]
    most = max((d.count for d in s.forecast), default=0)
    out += _table(
        [label("day_col", lang), label("due_col", lang), ""],
        [
            [
                d.day.isoformat(),
                f"{d.count:,}",
                "█" * round(BAR_WIDTH * d.count / most) if most else "",
            ]
            for d in s.forecast
        ],
    )
    out += [f"## {label('topics', lang)}", ""]
    out += _table(
        [
            label("topic", lang),
            label("cards", lang),
            label("seen", lang),
            label("mastery", lang),
            label("due", lang),
        ],
        [
            [
                f"{t.title} (`{t.topic}`)",
                f"{t.cards:,}",
                f"{t.seen:,}",
                percent(t.mastery),
                f"{t.due:,}",
            ]
            for t in report.topics
        ],
    )
    out += [f"## {label('leeches', lang)}", ""]
    if report.leeches:
        out += _table(
            [
                label("card", lang),
                label("topic", lang),
                label("lapses", lang),
                label("suspended", lang),
            ],
            [
                [
                    f"{leech.title} (`{leech.card_id}`)" if leech.title else f"`{leech.card_id}`",
                    leech.topic,
                    str(leech.lapses),
                    label("yes" if leech.suspended else "no", lang),
                ]
                for leech in report.leeches
            ],
        )
    else:
        out += [label("no_leeches", lang), ""]
    return "\n".join(out)


def _heatmap(report: Report) -> list[str]:
    peak = max((d.count for d in report.stats.reviews_per_day), default=0)
    names = label("weekdays", report.lang).split()
    width = max(len(n) for n in names)
    lines = []
    for name, row in zip(names, week_grid(report.stats), strict=True):
        cells = "".join(" " if c is None else SHADES[level(c[1], peak)] for c in row)
        lines.append(f"{name:<{width}} {cells}")
    return lines


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]
