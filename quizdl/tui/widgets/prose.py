"""Text that breaks its lines where Chinese allows it, not only at spaces.

Textual wraps at whitespace: a run of Chinese characters is one word to it, so a line of a
Chinese card broke at the last space before it and left the rest of the line empty. Prose
breaks between any two ideographs as well, keeps closing punctuation (，。）」…) off the
start of a line and opening punctuation (（「“) off its end, and wraps text without
ideographs exactly as Textual does (a word and the spaces after it must fit; a word wider
than the line is folded).

A line that starts with spaces or a list mark (a step "  2. ", an option " 3  ○ ", "a) ",
"→ ") hangs: its continuation lines start under its text, not at the margin, so a wrapped
step or option reads as one item.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells
from textual.content import Content
from textual.css.styles import RulesMap
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

OPENING = "（［｛〔〈《「『【〘〖〝‘“｟«"
"""May not end a line: kept with what follows."""
CLOSING = "）］｝〕〉》」』】〙〗〟’”｠»、。，．：；！？…‥・ー％"
"""May not start a line: kept with what comes before."""
IDEOGRAPHS = (
    "\u1100-\u115f\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"
    "\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3200-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003ffff"
)
"""Characters a line may break before or after (Han, kana, Hangul, full-width forms)."""

TAB_SIZE = 8
"""As Textual's Content expands tabs before it wraps."""
_open = re.escape(OPENING)
_close = re.escape(CLOSING)
UNIT = re.compile(
    rf"\s*(?:[{_open}]*(?:(?![{_open}{_close}])[{IDEOGRAPHS}]|[^\s{IDEOGRAPHS}{_open}{_close}]+)"
    rf"[{_close}]*|[{_open}]+[{_close}]*|[{_close}]+)\s*"
)
"""What a line is never broken inside: one ideograph or one word, with the opening
punctuation before it, the closing punctuation after it and the spaces around it (as Rich's
words, which Textual's Content wraps by, carry theirs)."""
ANY_IDEOGRAPH = re.compile(rf"[{IDEOGRAPHS}{_open}{_close}]")
"""Text without any of these (and without hanging lines) is left to Textual's own wrapping:
it would break it alike."""
_MARK = r"\d{1,3}[.)]|[a-zA-Z]\)|\d{1,3} +[○●✓✗ ]|[→•–-]"
"""A list mark: a step "2.", "3)", "a)", an option "3  ○", an arrow or a bullet."""
HANGING = re.compile(rf" *(?:(?:{_MARK}) +)?")
"""What a line's continuation lines are indented by: its leading spaces and list mark."""
HANGS = re.compile(rf"^(?: +|(?:{_MARK}) +)\S", re.MULTILINE)
"""Some line of the text hangs."""


def break_offsets(text: str, width: int) -> list[int]:
    """Where to break one line of `text` (no newlines) so that each piece fits in `width`
    cells once the spaces at its end are dropped: character offsets, ascending. The rule is
    Rich's `divide_line` (a unit goes on the line if it fits without its trailing spaces; a
    unit wider than a line starts a new one and is cut into lines), with ideographs as units."""
    breaks: list[int] = []
    used = 0
    for match in UNIT.finditer(text):
        start = match.start()
        unit = match.group()
        unit_width = cell_len(unit.rstrip())
        if unit_width <= width - used:
            used += cell_len(unit)
        elif unit_width > width:
            pieces = chop_cells(unit, width)
            for piece in pieces:
                if start:
                    breaks.append(start)
                start += len(piece)
            used = cell_len(pieces[-1])
        elif used and start:
            breaks.append(start)
            used = cell_len(unit)
    return breaks


def break_lines(content: Content, width: int) -> Content:
    """`content` with a newline at each break `break_offsets` finds, styles kept; tabs are
    expanded first and the spaces before a break dropped, as Textual does."""
    if width <= 0:
        return content
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        line = line.expand_tabs(TAB_SIZE)
        if cell_len(line.plain) <= width:  # the usual case: nothing to break
            lines.append(line)
            continue
        mark = HANGING.match(line.plain)
        hang = mark.end() if mark else 0
        indent = cell_len(line.plain[:hang])
        if not 0 < indent <= width // 2 or hang == len(line.plain):
            hang = indent = 0
        head, rest = line[:hang], line[hang:]
        pieces = rest.divide(break_offsets(rest.plain, width - indent))
        pieces = [piece.rstrip() for piece in pieces[:-1]] + [pieces[-1]]
        lines.append(head + pieces[0])
        lines.extend(Content(" " * indent) + piece for piece in pieces[1:])
    return Content("\n").join(lines)


class Prose(Visual):
    """A Content shown with `break_lines` at the width it is given."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.shown = content
        """The text as last broken into lines (what a selection on screen refers to)."""
        self._width = -1
        plain = content.plain
        self._as_textual = ANY_IDEOGRAPH.search(plain) is None and HANGS.search(plain) is None

    def __str__(self) -> str:
        return self.content.plain

    def lines_at(self, width: int) -> Content:
        if self._as_textual:
            return self.content
        if width != self._width:
            self.shown = break_lines(self.content, width)
            self._width = width
        return self.shown

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        inner = width - 2 * int(options.rules.get("line_pad", 0))
        return self.lines_at(inner).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        inner = width - 2 * int(rules.get("line_pad", 0))
        return self.lines_at(inner).get_height(rules, width)


class ProseStatic(Static):
    """A Static whose text (a string or Content, as a Static takes) is shown as Prose. A
    selection made with the mouse is read from the lines shown (Textual reads only a
    Content's text, and would copy nothing)."""

    _prose: Prose | None = None

    @property
    def visual(self) -> Visual:
        visual = super().visual
        if not isinstance(visual, Content):
            return visual
        if self._prose is None or self._prose.content is not visual:
            self._prose = Prose(visual)
        return self._prose

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        visual = self.visual
        if isinstance(visual, Prose):
            return selection.extract(visual.shown.plain), "\n"
        return super().get_selection(selection)
