"""Charts drawn with text: horizontal bars, columns and a calendar heatmap."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from textual.content import Content

from quizdl.tui.fmt import bar

LEVELS = " ▁▂▃▄▅▆▇█"
HEAT = ("$text-muted 30%", "$success 25%", "$success 50%", "$success 75%", "$success")


def bars(rows: Sequence[tuple[str, float, str]], width: int = 30, label_width: int = 24) -> Content:
    """One line per (label, fraction 0–1, value text)."""
    lines = []
    for label, fraction, value in rows:
        name = fit(label, label_width)
        lines.append(Content.assemble(name, " ", (bar(fraction, width), "$accent"), " ", value))
    return Content("\n").join(lines)


def columns(values: Sequence[int], height: int = 4, labels: str = "") -> Content:
    """Vertical columns, one cell wide each, scaled to the largest value; `labels` is a
    line printed under them."""
    top = max(values, default=0)
    rows = []
    for level in range(height, 0, -1):
        line = []
        for value in values:
            filled = value / top * height if top else 0.0
            part = min(1.0, max(0.0, filled - (level - 1)))
            line.append(LEVELS[round(part * 8)])
        rows.append(Content.styled("".join(line), "$accent"))
    if labels:
        rows.append(Content.styled(labels, "$text-muted"))
    return Content("\n").join(rows)


def heatmap(counts: dict[date, int], last_day: date, weeks: int) -> Content:
    """Seven rows (Monday first), one column of two cells per week, ending at `last_day`;
    darker for more reviews, in five levels relative to the busiest day."""
    first = last_day - timedelta(days=last_day.weekday()) - timedelta(weeks=weeks - 1)
    top = max(counts.values(), default=0)
    rows = []
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = first + timedelta(weeks=week, days=weekday)
            if day > last_day:
                cells.append(("  ", ""))
                continue
            n = counts.get(day, 0)
            level = 0 if n == 0 else max(1, min(4, -(-4 * n // max(top, 1))))  # ceil(4n/top)
            cells.append(("■ ", HEAT[level]))
        rows.append(Content.assemble(*cells))
    return Content("\n").join(rows)


def fit(text: str, width: int) -> Content:
    """Cut (with an ellipsis) or pad to `width` terminal cells; a Chinese character
    takes two cells."""
    return Content(text).truncate(width, ellipsis=True, pad=True)
