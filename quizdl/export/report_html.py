"""The progress report as one HTML file: tables, and the charts inline as SVG (no script,
no style sheet or font fetched: the file reads the same offline and when sent on)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from quizdl.export import svg_charts
from quizdl.export.report import Report, level, week_grid
from quizdl.export.report_labels import label, percent, summary_rows

STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.8em; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #666; } .chart { overflow-x: auto; }
"""


def render_html(report: Report) -> str:
    s, lang = report.stats, report.lang
    title = label("title", lang, profile=s.profile)
    body = [f"<h1>{escape(title)}</h1>"]
    day = label(
        "day",
        lang,
        day=s.study_day.isoformat(),
        zone=s.time_zone,
        hour=s.rollover_hour,
        now=s.now.isoformat(timespec="seconds"),
    )
    body.append(f'<p class="note">{escape(day)}</p>')
    if report.only:
        body.append(
            f'<p class="note">{escape(label("only", lang, topics=", ".join(report.only)))}</p>'
        )
    body += _section(label("summary", lang))
    body.append(_table([], summary_rows(report)))
    body += _section(label("heatmap", lang))
    grid = week_grid(s)
    peak = max((d.count for d in s.reviews_per_day), default=0)
    levels = [[0 if cell is None else level(cell[1], peak) for cell in row] for row in grid]
    chart = svg_charts.heatmap(
        grid, levels, label("weekdays", lang).split(), label("heatmap", lang)
    )
    body.append(f'<div class="chart">{chart}</div>')
    body.append(f'<p class="note">{escape(label("heatmap_legend", lang, peak=f"{peak:,}"))}</p>')
    body += _section(label("retention", lang))
    weeks = s.retention_weeks
    chart = svg_charts.bars(
        [(w.start.isoformat(), w.retention or 0.0) for w in weeks],
        1.0,
        [percent(w.retention) for w in weeks],
        label("retention", lang),
        bar_width=40,
    )
    body.append(f'<div class="chart">{chart}</div>')
    for key, periods in (("week_of", weeks), ("month", s.retention_months)):
        body.append(
            _table(
                [
                    label(key, lang),
                    label("answers", lang),
                    label("passed", lang),
                    label("rate", lang),
                ],
                [
                    [p.start.isoformat(), f"{p.reviews:,}", f"{p.passed:,}", percent(p.retention)]
                    for p in periods
                ],
                numeric=(1, 2, 3),
            )
        )
    body += _section(label("forecast", lang))
    most = max((d.count for d in s.forecast), default=0)
    chart = svg_charts.bars(
        [(d.day.isoformat(), float(d.count)) for d in s.forecast],
        float(most),
        [f"{d.count:,}" for d in s.forecast],
        label("forecast", lang),
        top_label=f"{most:,}",
    )
    body.append(f'<div class="chart">{chart}</div>')
    body += _section(label("topics", lang))
    body.append(
        _table(
            [label(k, lang) for k in ("topic", "cards", "seen", "mastery", "due")],
            [
                [
                    f"{t.title} ({t.topic})",
                    f"{t.cards:,}",
                    f"{t.seen:,}",
                    percent(t.mastery),
                    f"{t.due:,}",
                ]
                for t in report.topics
            ],
            numeric=(1, 2, 3, 4),
        )
    )
    body += _section(label("leeches", lang))
    if report.leeches:
        body.append(
            _table(
                [label(k, lang) for k in ("card", "topic", "lapses", "suspended")],
                [
                    [
                        f"{leech.title} ({leech.card_id})" if leech.title else leech.card_id,
                        leech.topic,
                        str(leech.lapses),
                        label("yes" if leech.suspended else "no", lang),
                    ]
                    for leech in report.leeches
                ],
                numeric=(2,),
            )
        )
    else:
        body.append(f"<p>{escape(label('no_leeches', lang))}</p>")
    html_lang = "zh" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _section(title: str) -> list[str]:
    return [f"<h2>{escape(title)}</h2>"]


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        kind = ' class="n"' if i in numeric else ""
        return f"<{tag}{kind}>{escape(text)}</{tag}>"

    head = ""
    if header:
        head = "<tr>" + "".join(cell("th", i, h) for i, h in enumerate(header)) + "</tr>"
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table>{head}{body}</table>"
