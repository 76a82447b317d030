"""Small charts as inline SVG text (no script, nothing fetched): the report's heatmap and
bar charts. Each cell or bar carries a <title>, which browsers show on hover."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

HEAT_COLOURS = ("#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127")
BAR_COLOUR = "#4a7fc1"
CELL, GAP = 11, 2
FONT = 'font-family="sans-serif" font-size="10" fill="#555"'


def heatmap(
    grid: Sequence[Sequence[tuple[str, int] | None]],
    levels: Sequence[Sequence[int]],
    weekday_names: Sequence[str],
    description: str,
) -> str:
    """Days as squares: rows Monday..Sunday, a column per week; `levels` 0..4 per cell."""
    left = 30
    weeks = max((len(row) for row in grid), default=0)
    width = left + weeks * (CELL + GAP)
    height = 7 * (CELL + GAP)
    parts = [_open(width, height, description)]
    for weekday, (row, shades) in enumerate(zip(grid, levels, strict=True)):
        y = weekday * (CELL + GAP)
        if weekday % 2 == 0:
            parts.append(
                f'<text x="0" y="{y + CELL - 1}" {FONT}>{escape(weekday_names[weekday])}</text>'
            )
        for week, (cell, shade) in enumerate(zip(row, shades, strict=True)):
            if cell is None:
                continue
            x = left + week * (CELL + GAP)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" '
                f'fill="{HEAT_COLOURS[shade]}"><title>{escape(cell[0])}: {cell[1]:,}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bars(
    values: Sequence[tuple[str, float]],
    top: float,
    show: Sequence[str],
    description: str,
    *,
    bar_width: int = 18,
    height: int = 120,
    top_label: str = "",
) -> str:
    """Vertical bars scaled to `top`; `show[i]` is the text written above bar i when there
    are few bars (always in its title); the first, the middle and the last names are written
    under the axis; `top_label` marks the height of `top` at the right."""
    bottom = 16
    above = 12
    width = len(values) * (bar_width + 4) + 4
    parts = [_open(width, height + bottom + above, description)]
    marked = {0, len(values) // 2, len(values) - 1}
    for i, ((name, value), text) in enumerate(zip(values, show, strict=True)):
        x = 4 + i * (bar_width + 4)
        h = 0 if top <= 0 else round(height * max(0.0, min(value, top)) / top)
        y = above + height - h
        parts.append(
            f'<rect x="{x}" y="{y}" width="{bar_width}" height="{h}" fill="{BAR_COLOUR}">'
            f"<title>{escape(name)}: {escape(text)}</title></rect>"
        )
        if text and len(values) <= 14:
            parts.append(
                f'<text x="{x + bar_width / 2}" y="{y - 2}" text-anchor="middle" {FONT}>'
                f"{escape(text)}</text>"
            )
        if i in marked:
            anchor, at = "middle", x + bar_width // 2
            if i == 0:
                anchor, at = "start", x
            elif i == len(values) - 1:
                anchor, at = "end", x + bar_width
            parts.append(
                f'<text x="{at}" y="{above + height + 12}" text-anchor="{anchor}" {FONT}>'
                f"{escape(name)}</text>"
            )
    parts.append(
        f'<line x1="0" y1="{above + height}" x2="{width}" y2="{above + height}" stroke="#999"/>'
    )
    if top_label:
        parts.append(
            f'<line x1="0" y1="{above}" x2="{width}" y2="{above}" stroke="#ccc" '
            f'stroke-dasharray="3,3"/><text x="{width - 2}" y="{above - 2}" text-anchor="end" '
            f"{FONT}>{escape(top_label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(description)}">'
    )
