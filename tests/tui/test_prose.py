"""Prose: Chinese lines break between ideographs, Latin text wraps as Textual wraps it."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Offset
from textual.selection import Selection
from tui_helpers import drive

from quizdl.tui.widgets.prose import IDEOGRAPHS, Prose, ProseStatic, break_lines

NOTE = (
    "笔记：主要是指激活函数的导数小于 1，例如 sigmoid、tanh。准确地说：根据链式法则，"
    "传到浅层的梯度是后面每一层一个因子（权重 × 激活函数导数）的连乘；这些因子的绝对值"
    "大多小于 1 时，乘积随深度指数级变小，浅层几乎学不动。"
)
"""A paragraph of the shipped notes' answers (deep-learning basics, vanishing gradients)."""
CLOSING = "，。、；：！？）」』》…”"
"""Punctuation a Chinese line may not start with (written here, not taken from the module)."""
OPENING = "（「『《“"
"""Punctuation a Chinese line may not end with."""


def shown(content: Content, width: int) -> list[str]:
    """The lines Textual draws for `content` at `width`."""
    return [line.plain for line in content.wrap(width)]


def is_ideograph(character: str) -> bool:
    return any(
        low <= character <= high
        for low, high in (
            ("\u3040", "\u30ff"),
            ("\u3400", "\u4dbf"),
            ("\u4e00", "\u9fff"),
            ("\uff01", "\uff60"),
        )
    )


def reference_lines(text: str, width: int) -> list[str]:
    """An independent line breaker, by brute force over character positions: a break may
    come after a space (before the next non-space), or between two characters either of
    which is an ideograph, or after closing punctuation; never before closing or after
    opening punctuation; each line
    takes the longest prefix, up to an allowed break, that fits once its trailing spaces are
    dropped. (For text without words wider than a line.)"""

    def allowed(i: int) -> bool:
        before, after = text[i - 1], text[i]
        if after.isspace() or after in CLOSING or before in OPENING:
            return False
        return before.isspace() or before in CLOSING or is_ideograph(before) or is_ideograph(after)

    lines: list[str] = []
    start = 0
    while start < len(text):
        best = len(text)
        if cell_len(text[start:].rstrip()) > width:
            fitting = [
                i
                for i in range(start + 1, len(text))
                if allowed(i) and cell_len(text[start:i].rstrip()) <= width
            ]
            best = max(fitting)
        lines.append(text[start:best] if best == len(text) else text[start:best].rstrip())
        start = best
    return lines


@pytest.mark.parametrize("width", [12, 20, 31, 40, 57, 76])
def test_chinese_lines_are_filled_and_broken_only_where_allowed(width: int) -> None:
    lines = shown(break_lines(Content(NOTE), width), width)
    assert lines == reference_lines(NOTE, width)
    assert "".join(lines).replace(" ", "") == NOTE.replace(" ", "")
    for line in lines:
        assert cell_len(line) <= width
    for line in lines[1:]:
        assert line[0] not in CLOSING, line
    for line in lines[:-1]:
        assert line[-1] not in OPENING, line


def test_a_chinese_line_no_longer_ends_at_the_last_space() -> None:
    # Textual alone breaks this paragraph at 76 columns after "例如" (41 cells) and after
    # "小于 1" (57): the rest of those lines stayed empty.
    textual_alone = shown(Content(NOTE), 76)
    assert min(cell_len(line) for line in textual_alone[:-1]) < 60
    lines = shown(break_lines(Content(NOTE), 76), 76)
    assert all(cell_len(line) >= 74 for line in lines[:-1])
    assert len(lines) < len(textual_alone)


def test_text_without_ideographs_wraps_exactly_as_textual_wraps_it() -> None:
    words = ["a", "bb", "ccc", "dddd", "eeeee", "f" * 14, "x(y)z,", "  ", "été", "×", "\n"]
    words += ["σ′(x)", "“quoted”", "(a)", "1.5e-3,", "\t"]
    draw = random.Random(7)
    for _ in range(3000):
        text = " ".join(draw.choice(words) for _ in range(draw.randint(0, 24)))
        # (a line that starts with spaces hangs: test_indented_lines_hang)
        text = "\n".join(line.lstrip(" \t") for line in text.split("\n"))
        width = draw.randint(1, 40)
        assert shown(break_lines(Content(text), width), width) == shown(Content(text), width), (
            text,
            width,
        )


@pytest.mark.parametrize(
    ("head", "indent"),
    [("  ", 2), ("  3. ", 5), (" 2  ○ ", 6), (" 1  ✓ ", 6), ("a) ", 3), ("→ ", 2), ("12. ", 4)],
)
def test_indented_lines_hang(head: str, indent: int) -> None:
    """A step, an option or an indented line goes on under its own text: its continuation
    lines are indented as far as its text starts, and the text is broken as Textual breaks
    it at the width left."""
    draw = random.Random(11)
    words = ["a", "bb", "ccc", "dddd", "eeeee", "σ′(x)", "(a)", "1.5e-3,", "f" * 9]
    for _ in range(300):
        rest = " ".join(draw.choice(words) for _ in range(draw.randint(1, 30)))
        width = draw.randint(2 * indent, 50)
        lines = shown(break_lines(Content(head + rest), width), width)
        assert lines[0].startswith(head)
        assert all(line.startswith(" " * indent) for line in lines[1:]), lines
        body = [lines[0][indent:]] + [line[indent:] for line in lines[1:]]
        assert body == shown(Content(rest), width - indent), (head + rest, width)


def test_a_line_hangs_only_where_the_width_allows() -> None:
    text = "  3. " + "word " * 10
    assert shown(break_lines(Content(text), 9), 9)[1] == "word word"  # 5 > 9 // 2: no hang
    assert shown(break_lines(Content(text), 12), 12)[1] == "     word"


def test_a_word_wider_than_the_line_is_folded_as_textual_folds_it() -> None:
    text = "激活 " + "x" * 30 + " 函数"
    lines = shown(break_lines(Content(text), 12), 12)
    assert lines == ["激活", "x" * 12, "x" * 12, "xxxxxx 函数"]


def test_styles_stay_on_their_characters() -> None:
    content = Content.assemble("链式法则：", ("传到浅层的梯度", "bold"), "是连乘。")
    broken = break_lines(content, 8)
    assert "\n" in broken.plain
    bold = "".join(
        broken.plain[span.start : span.end] for span in broken.spans if span.style == "bold"
    )
    assert bold.replace("\n", "") == "传到浅层的梯度"


def test_every_ideograph_range_is_well_formed() -> None:
    assert len(IDEOGRAPHS) % 3 == 0
    for i in range(0, len(IDEOGRAPHS) - 2, 3):
        low, dash, high = IDEOGRAPHS[i : i + 3]
        assert dash == "-" and low <= high


class ProseApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ProseStatic(Content(NOTE), id="note")


@drive
async def test_the_widget_draws_prose_and_copies_the_lines_shown() -> None:
    app = ProseApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        widget = app.query_one("#note", ProseStatic)
        assert str(widget.render()) == NOTE
        expected = shown(break_lines(Content(NOTE), 40), 40)
        assert widget.size.height == len(expected)
        drawn = [
            "".join(segment.text for segment in strip).rstrip()
            for strip in (widget.render_line(y) for y in range(widget.size.height))
        ]
        assert drawn == expected
        copied = widget.get_selection(Selection(Offset(0, 0), Offset(4, 1)))
        assert copied is not None
        assert copied[0] == expected[0] + "\n" + expected[1][:4]


def test_text_without_ideographs_is_left_to_textual() -> None:
    content = Content("Vanishing gradients: each factor (weight × σ′) is below 1.")
    assert Prose(content).lines_at(20) is content
    steps = Content("Solution:\n  1. each factor (weight × σ′) is below 1")
    assert Prose(steps).lines_at(20).plain.splitlines()[2].startswith("     ")  # hangs
    chinese = Content("梯度消失：每个因子都小于 1。")
    assert Prose(chinese).lines_at(10).plain != chinese.plain
