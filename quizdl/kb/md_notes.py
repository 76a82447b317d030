"""Markdown study notes (Typora style) as a neutral outline: sections with their definitions,
excerpts, links and images.

The notes are parsed with markdown-it-py, so a ``**x**：y`` inside a code block, a table or
an HTML block is never taken for a definition. Text is kept verbatim (the markdown source
lines), because an excerpt or a definition is later read and rewritten by a person.

Sections: each ``##`` heading starts one; a ``#`` heading starts one too, which holds the
material between it and the next ``##`` (dropped when there is none). Material before any
heading forms a section titled by the front matter's ``title`` or the file's stem.
``###`` and deeper headings become the `subsection` of the definitions under them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

UNTITLED = "(untitled)"
"""The section name of a heading with no text (a section name may not be empty)."""

# A definition line: bold term, then a colon (ASCII or full-width) inside or after the bold.
_DEFINITION = [
    re.compile(
        r"^\*\*(?P<term>[^*\n]+?)\s*(?P<inner>[:：])?\s*\*\*\s*(?(inner)|[:：])\s*(?P<text>.*)$"
    ),
    re.compile(
        r"^__(?P<term>[^_\n]+?)\s*(?P<inner>[:：])?\s*__\s*(?(inner)|[:：])\s*(?P<text>.*)$"
    ),
]
# Bold labels that introduce a remark, not a term to learn ("**注意**：..." is a note).
_LABELS = frozenset(
    "注意 注 备注 提示 例如 例 比如 举例 总结 小结 结论 参考 参考资料 原因 问题 答 答案 解 证明 "
    "方法 步骤 优点 缺点 代码 note notes nb tip hint warning example e.g. eg summary "
    "conclusion reference references todo q a answer proof pros cons code".split()
)
# What a line holds besides references: markdown images and links, autolinks, bare URLs,
# HTML tags and the Typora [TOC] marker are references or layout, not text to keep.
_NOT_TEXT = re.compile(
    r"!?\[[^\]\n]*\]\([^)\n]*\)|<https?://[^>\s]*>|https?://\S+|<[^>\n]*>|\[toc\]", re.IGNORECASE
)
_BARE_URL = re.compile(r"https?://[^\s<>\"'`（）【】「」，。；！]+")
_URL_TRAILER = ".,;:!?)]}'\"*_~"
_HTML_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_HTML_HREF = re.compile(r"<a\b[^>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_TOC = re.compile(r"^\s*\[toc\]\s*$", re.IGNORECASE)
_FRONT_MATTER_TITLE = re.compile(r"^title\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    subsection: str | None
    line: int
    """1-based line of the notes where the definition starts."""


@dataclass(frozen=True)
class NoteReference:
    kind: Literal["link", "image"]
    target: str
    title: str = ""


@dataclass
class Section:
    heading: str
    """The heading text verbatim (markdown included): what ``source.section`` records."""
    title: str
    """The heading as plain text (markup removed), for the topic's title."""
    level: int
    line: int
    definitions: list[Definition] = field(default_factory=list)
    excerpts: list[str] = field(default_factory=list)
    references: list[NoteReference] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.definitions or self.excerpts or self.references)

    def add_reference(self, ref: NoteReference) -> None:
        if ref.target and all(
            (r.kind, r.target) != (ref.kind, ref.target) for r in self.references
        ):
            self.references.append(ref)


@dataclass
class Outline:
    title: str | None
    """The front matter's ``title``, if any."""
    sections: list[Section]


class _VerbatimMarkdown(MarkdownIt):
    """markdown-it that keeps link targets as written (no percent-encoding), so that
    ``深度学习.assets/x.png`` and ``C:\\Users\\x.png`` can be recorded and checked on disk."""

    def normalizeLink(self, url: str) -> str:
        return url


def _parser() -> MarkdownIt:
    return _VerbatimMarkdown("commonmark").enable("table")


def normalize_source(text: str) -> str:
    """Line endings and NUL as markdown-it sees them, so source lines and token maps agree."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def parse_notes(text: str, *, fallback_title: str) -> Outline:
    """The outline of markdown `text`; `fallback_title` names material before any heading."""
    lines = normalize_source(text).split("\n")
    front_title = _strip_front_matter(lines)
    tokens = _parser().parse("\n".join(lines))
    sections: list[Section] = []
    current: Section | None = None
    subsection: str | None = None
    for block in _top_level_blocks(tokens):
        opening = block[0]
        if opening.type == "heading_open":
            level = int(opening.tag[1:])
            raw = block[1].content.strip()
            title = _plain_text(block[1]) or raw
            if level <= 2:
                current = Section(raw or UNTITLED, title or UNTITLED, level, _line(opening))
                sections.append(current)
                subsection = None
                continue
            subsection = title or None
        if current is None:
            name = front_title or fallback_title or UNTITLED
            current = Section(name, name, 1, _line(opening))
            sections.append(current)
        if opening.type != "heading_open":
            _read_block(block, lines, current, subsection)
    kept = [s for s in sections if s.level == 2 or not s.empty]
    return Outline(front_title, kept)


def _strip_front_matter(lines: list[str]) -> str | None:
    """Blank out a ``---`` front matter block (keeping line numbers); its title, if any."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            title = None
            for i in range(end + 1):
                match = _FRONT_MATTER_TITLE.match(lines[i])
                if match and title is None:
                    title = match.group(1).strip("'\"").strip() or None
                lines[i] = ""
            return title
    return None


def _top_level_blocks(tokens: list[Token]) -> Iterator[list[Token]]:
    start = 0
    depth = 0
    for i, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            yield tokens[start : i + 1]
            start = i + 1


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _plain_text(inline: Token) -> str:
    parts = [c.content for c in inline.children or [] if c.type in ("text", "code_inline")]
    return " ".join("".join(parts).split())


def _read_block(block: list[Token], lines: list[str], section: Section, sub: str | None) -> None:
    """Add the definitions, references and the verbatim excerpt of one top-level block."""
    consumed: set[int] = set()
    has_text = False
    for i, token in enumerate(block):
        if token.type == "inline" and i > 0 and block[i - 1].type == "paragraph_open":
            first = token.map[0] if token.map else 0
            consumed |= _read_definitions(token.content, first, section, sub)
            if any(
                first + n not in consumed and _has_text(line)
                for n, line in enumerate(token.content.split("\n"))
            ):
                has_text = True
        if token.type in ("inline", "html_block"):
            _read_references(token, section)
        if token.type in ("fence", "code_block", "table_open"):
            has_text = True
        elif token.type == "html_block" and _has_text(token.content):
            has_text = True
    span = block[0].map
    if not has_text or not span:
        return
    start, stop = span
    kept = [lines[n] for n in range(start, min(stop, len(lines))) if n not in consumed]
    excerpt = "\n".join(kept).strip("\n")
    if excerpt.strip():
        section.excerpts.append(excerpt)


def _has_text(line: str) -> bool:
    return re.search(r"\w", _NOT_TEXT.sub(" ", line)) is not None


def _read_definitions(content: str, first_line: int, section: Section, sub: str | None) -> set[int]:
    """Definitions in one paragraph; returns the (0-based) source lines they consumed.

    A line that follows a definition in the same paragraph (a soft line break) continues it.
    """
    consumed: set[int] = set()
    term: str | None = None
    text: list[str] = []
    start = 0

    def finish() -> None:
        if term is not None:
            section.definitions.append(Definition(term, "\n".join(text), sub, start + 1))

    for n, line in enumerate(content.split("\n")):
        match = _definition(line.strip())
        if match:
            finish()
            term, text, start = match[0], [match[1]], first_line + n
            consumed.add(first_line + n)
        elif term is not None and _has_text(line):
            text.append(line.strip())
            consumed.add(first_line + n)
        else:
            finish()
            term = None
    finish()
    return consumed


def _definition(line: str) -> tuple[str, str] | None:
    for pattern in _DEFINITION:
        match = pattern.match(line)
        if match:
            term, text = match.group("term").strip(), match.group("text").strip()
            if term and _has_text(term) and _has_text(text) and term.lower() not in _LABELS:
                return term, text
    return None


def _read_references(token: Token, section: Section) -> None:
    if token.type == "html_block":
        _read_html(token.content, section)
        return
    children = token.children or []
    in_link = 0
    for i, child in enumerate(children):
        if child.type == "image":
            section.add_reference(
                NoteReference("image", str(child.attrs.get("src", "")), child.content)
            )
        elif child.type == "link_open":
            in_link += 1
            href = str(child.attrs.get("href", ""))
            title = _link_text(children[i + 1 :])
            section.add_reference(NoteReference("link", href, "" if title == href else title))
        elif child.type == "link_close":
            in_link = max(0, in_link - 1)
        elif child.type == "html_inline":
            _read_html(child.content, section)
        elif child.type == "text" and not in_link:
            for match in _BARE_URL.finditer(child.content):
                section.add_reference(NoteReference("link", match.group().rstrip(_URL_TRAILER)))


def _link_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type == "link_close":
            break
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
    return "".join(parts).strip()


def _read_html(html: str, section: Section) -> None:
    for match in _HTML_IMG.finditer(html):
        section.add_reference(
            NoteReference("image", next(g for g in match.groups() if g is not None))
        )
    for match in _HTML_HREF.finditer(html):
        section.add_reference(
            NoteReference("link", next(g for g in match.groups() if g is not None))
        )
