from __future__ import annotations

from pathlib import Path

import pytest

from quizdl.kb.md_notes import UNTITLED, NoteReference, Outline, Section, parse_notes

NOTES = Path(__file__).parent / "data" / "notes"


@pytest.fixture(scope="module")
def tricky() -> Outline:
    return parse_notes((NOTES / "tricky.md").read_text(encoding="utf-8"), fallback_title="tricky")


def section(outline: Outline, heading: str, nth: int = 0) -> Section:
    return [s for s in outline.sections if s.heading == heading][nth]


def terms(s: Section) -> list[str]:
    return [d.term for d in s.definitions]


def test_sections_follow_the_headings(tricky: Outline) -> None:
    assert tricky.title == "Tricky notes"
    assert [(s.heading, s.level) for s in tricky.sections] == [
        ("Tricky notes", 1),  # material before any heading: named by the front matter
        ("总览", 1),
        ("卷积", 2),
        ("卷积", 2),
        ("？！…", 2),
        ("🎉 SE block 🎉", 2),
    ]


def test_front_matter_and_toc_are_not_material(tricky: Outline) -> None:
    preamble = tricky.sections[0]
    assert preamble.excerpts == ["Material before any heading belongs to the front matter's title."]
    everything = "\n".join(e for s in tricky.sections for e in s.excerpts)
    assert "tags: [test]" not in everything
    assert "[TOC]" not in everything


def test_definition_colons_inside_and_outside_the_bold(tricky: Outline) -> None:
    intro = section(tricky, "总览")
    assert [(d.term, d.text) for d in intro.definitions] == [
        ("激活函数", "把线性变换的输出变成非线性的函数"),  # full-width colon after the bold
        ("ReLU", "max(0, x), the usual default"),  # ASCII colon inside the bold
        ("Dropout", "randomly zeroes activations during training"),  # space before the colon
    ]
    # A bold label ("注意") and a term without a definition stay as note text.
    assert intro.excerpts == [
        "**注意**：a bold label is a remark, not a term",
        "**empty**：",
        "如果激活函数是**sigmoid**就会产生梯度消失",
    ]


def test_code_tables_and_html_never_give_definitions(tricky: Outline) -> None:
    conv = section(tricky, "卷积")
    assert terms(conv) == ["转置卷积", "nested", "quoted"]
    excerpts = "\n".join(conv.excerpts)
    for kept in (
        'print("**fake**：not a card")',
        "**indented**:",
        "| **cell**：inside |",
        "**html**：",
    ):
        assert kept in excerpts  # kept verbatim as note text instead
    assert (
        '```python\n# a code block is never a definition\nprint("**fake**：not a card")\n```'
        in (conv.excerpts)
    )


def test_subsections_and_nested_definitions(tricky: Outline) -> None:
    conv = section(tricky, "卷积")
    assert {d.term: d.subsection for d in conv.definitions} == {
        "转置卷积": "反卷积",
        "nested": "反卷积",
        "quoted": "反卷积",
    }
    # The definition's line is left out of the list's excerpt; the rest stays verbatim.
    assert "- first level\n  - plain item\n- ![list image](tricky.assets/present.png)" in (
        conv.excerpts
    )


def test_definition_lines_point_into_the_notes(tricky: Outline) -> None:
    lines = (NOTES / "tricky.md").read_text(encoding="utf-8").split("\n")
    for s in tricky.sections:
        for d in s.definitions:
            assert f"**{d.term}" in lines[d.line - 1]


def test_same_heading_twice_gives_two_sections(tricky: Outline) -> None:
    first, second = section(tricky, "卷积", 0), section(tricky, "卷积", 1)
    assert terms(second) == ["stride"]
    assert second.excerpts == ["Second section with the same heading."]
    assert first.line < second.line


def test_images_keep_their_paths_as_written(tricky: Outline) -> None:
    assert section(tricky, "？！…").references == [
        NoteReference("image", "tricky.assets/absent.png", "missing"),
        NoteReference(
            "image",
            r"C:\Users\Administrator\AppData\Roaming\Typora\typora-user-images\image-1.png",
            "windows",
        ),
        NoteReference("image", "tricky.assets/present.png", ""),  # from <img src=...>
    ]
    assert section(tricky, "？！…").excerpts == []  # image-only paragraphs are no text


def test_bare_urls_links_and_continued_definitions(tricky: Outline) -> None:
    se = section(tricky, "🎉 SE block 🎉")
    assert se.references == [
        NoteReference("link", "https://arxiv.org/abs/1709.01507"),  # the comma is not part of it
        NoteReference("link", "https://arxiv.org/abs/1709.01507v4", "the paper"),
    ]
    assert [(d.term, d.text) for d in se.definitions] == [
        ("Squeeze", "global average pooling, one number per channel\ncontinues on the next line"),
        ("cost", "costs $5 to train"),
    ]


def test_heading_rules() -> None:
    text = "# Empty intro\n\n## \n\n## A\n\n# Second intro\n\ntext\n\nSetext\n------\n"
    outline = parse_notes(text, fallback_title="x")
    # An intro without material is dropped; a `##` section is kept even when empty.
    assert [s.heading for s in outline.sections] == [UNTITLED, "A", "Second intro", "Setext"]
    assert outline.sections[2].excerpts == ["text"]


def test_heading_markup_stays_in_the_section_name_not_the_title() -> None:
    outline = parse_notes("## **GAN** 与 `WGAN`\n", fallback_title="x")
    assert outline.sections[0].heading == "**GAN** 与 `WGAN`"
    assert outline.sections[0].title == "GAN 与 WGAN"


def test_windows_line_endings_and_a_bom() -> None:
    outline = parse_notes("\ufeff## A\r\n\r\n**x**：y\r\ntext\r\n", fallback_title="n")
    (a,) = outline.sections
    assert [(d.term, d.text, d.line) for d in a.definitions] == [("x", "y\ntext", 3)]


def test_material_before_headings_without_front_matter_uses_the_fallback() -> None:
    outline = parse_notes("hello\n\n## A\n", fallback_title="deep-learning")
    assert [s.heading for s in outline.sections] == ["deep-learning", "A"]
    assert outline.title is None


def test_text_then_definition_in_one_paragraph() -> None:
    (a,) = parse_notes("## A\nintro line\n**k**: v\n", fallback_title="n").sections
    assert [(d.term, d.text) for d in a.definitions] == [("k", "v")]
    assert a.excerpts == ["intro line"]


def test_the_real_notes() -> None:
    text = (NOTES / "deep-learning.md").read_text(encoding="utf-8")  # a copy of the notes
    outline = parse_notes(text, fallback_title="deep-learning")
    level2 = [line[3:].strip() for line in text.split("\n") if line.startswith("## ")]
    assert [s.heading for s in outline.sections] == ["Deep Learning", *level2]
    assert terms(outline.sections[0]) == ["梯度消失", "梯度爆炸"]
