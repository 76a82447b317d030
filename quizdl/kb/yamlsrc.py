"""Reading YAML safely while keeping where every key and value stands.

ruamel.yaml's round-trip loader constructs only plain data (no tag builds a Python
object), and every node keeps its line and column. The tree is turned into plain
Python data plus an index of positions by path, so that any problem found later
(by pydantic or by cross-file checks) can be reported at its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from quizdl.kb.problems import Problem

PathKey = tuple[str | int, ...]
Pos = tuple[int, int]  # 1-based line, column


@dataclass
class Document:
    """A YAML file as plain data, with the position of every value and key by path."""

    path: str
    data: Any
    values: dict[PathKey, Pos] = field(default_factory=dict)
    keys: dict[PathKey, Pos] = field(default_factory=dict)

    def pos(self, path: PathKey, *, key: bool = False) -> Pos:
        """The position of the value (or key) at `path`, or of its nearest ancestor."""
        index = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if prefix in index:
                return index[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        line, col = self.pos(path, key=key)
        return Problem(self.path, line, col, message)


def read_document(path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
    """Read `path` (shown to the learner as `shown`); problems instead of exceptions."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                shown,
                line,
                col,
                f"the file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; "
                "save the file as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    yaml = YAML(typ="rt", pure=True)
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(shown, exc, text)]
    except YAMLError as exc:  # unmarked errors are rare; report at the top of the file
        return None, [Problem(shown, 1, 1, f"YAML error: {exc}")]
    if tree is None:
        return None, [
            Problem(
                shown, 1, 1, "the file is empty; expected a mapping with keys 'topic' and 'cards'"
            )
        ]
    doc = Document(shown, None)
    problems: list[Problem] = []
    doc.values[()] = (1, 1)
    doc.data = _plain(tree, (), doc, problems)
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else f"a single value {doc.data!r}"
        line, col = _start(tree)
        problems.append(
            Problem(
                shown,
                line,
                col,
                f"the top level is {found}; expected a mapping with keys 'topic' and 'cards'",
            )
        )
    return doc, problems


def _syntax_problem(shown: str, exc: MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "'\\t'" in problem or "tab" in problem:
        message = "tab character: YAML indentation must use spaces, not tabs"
    elif problem.startswith("found duplicate key"):
        key = re.match(r'found duplicate key "(.*?)" with value', problem, re.DOTALL)
        name = key.group(1) if key else ""
        message = f"duplicate key {name!r}"
        first = _first_key_line(text, name, exc.context_mark.line if exc.context_mark else 0, line)
        if first is not None:
            message += f"; first given at line {first}"
    else:
        message = f"YAML syntax error: {problem}"
        if exc.context and exc.context_mark is not None and mark is not exc.context_mark:
            message += f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
    return Problem(shown, line, col, message)


def _first_key_line(text: str, key: str, start: int, stop: int) -> int | None:
    """The 1-based line where `key` is first given between two 0-based/1-based lines."""
    pattern = re.compile(rf"^\s*(?:-\s+)?['\"]?{re.escape(key)}['\"]?\s*:")
    for number, content in enumerate(text.splitlines()[start : stop - 1], start=start + 1):
        if pattern.match(content):
            return number
    return None


def _start(node: Any) -> Pos:
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return (lc.line + 1, lc.col + 1)
    return (1, 1)


def _at(mark: tuple[int, int] | None, fallback: Pos | None) -> Pos:
    """1-based position from ruamel's 0-based mark; nodes under a tag may have none."""
    if mark is None or mark[0] is None:
        return fallback or (1, 1)
    return (mark[0] + 1, mark[1] + 1)


def _tag_of(node: Any) -> str | None:
    tag = getattr(node, "tag", None)
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) and value else None


def _plain(node: Any, path: PathKey, doc: Document, problems: list[Problem]) -> Any:
    """Plain Python data from a round-trip node, recording positions; tags are refused."""
    tag = _tag_of(node)
    if tag is not None:
        line, col = doc.values.get(path, (1, 1))
        problems.append(
            Problem(doc.path, line, col, f"YAML tags are not allowed here (found {tag}); remove it")
        )
        if isinstance(node, TaggedScalar):
            return str(node.value)
    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            child = (*path, str(key))
            doc.keys[child] = _at(node.lc.key(key), doc.values.get(path))
            doc.values[child] = _at(node.lc.value(key), doc.keys[child])
            result[str(key)] = _plain(node[key], child, doc, problems)
        return result
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for index, item in enumerate(node):
            child = (*path, index)
            doc.values[child] = _at(node.lc.item(index), doc.values.get(path))
            items.append(_plain(item, child, doc, problems))
        return items
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node
