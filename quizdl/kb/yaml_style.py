"""How the importer writes YAML: round trip, plain where safe, quoted where needed, atomically.

Files are read and written with ruamel.yaml's round trip, so comments, key order and quoting
that a person wrote survive a re-import. New strings get the plainest style that surely
reads back the same, and a file is replaced in one step, so a crash never leaves half a file.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

# Characters a literal block cannot hold as they are (controls, other line breaks, BOM).
_NOT_IN_BLOCK = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Plain (unquoted) only when nothing in it could mean something to YAML.
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}\n]*(?<!\s)$")


def round_trip_yaml() -> YAML:
    """A reader and writer that keeps comments, order and quoting, in the content's layout."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long note line
    yaml.preserve_quotes = True
    return yaml


def dig(node: Any, *keys: str) -> Any:
    """`node[k1][k2]...` of loaded YAML, or None where a level is missing or not a mapping:
    hand-edited files may hold anything, and the loader, not the importer, reports that."""
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def flow(**values: Any) -> CommentedMap:
    """A one-line mapping (``{note: a.md, section: GAN}``); strings styled by :func:`scalar`."""
    node = CommentedMap({k: scalar(v) if isinstance(v, str) else v for k, v in values.items()})
    node.fa.set_flow_style()
    return node


def block(text: str) -> str:
    """A text in a block context: multi-line text as a literal block (``|-``)."""
    return scalar(text, block=True)


def scalar(text: str, *, block: bool = False) -> str:
    """`text` in the plainest YAML style that surely reads back the same.

    ruamel.yaml leaves some strings plain that its own parser then rejects in a flow
    mapping (``{en: :<}``), so anything beyond plain words is quoted here: single quotes
    keep backslashes (Windows paths) as written, double quotes can escape anything.
    A literal block (``|-``) shows lines as written but cannot hold control characters.
    """
    odd = _NOT_IN_BLOCK.search(text)
    if _PLAIN.match(text) and not odd:
        return text
    if block and "\n" in text and not odd:
        style: type[str] = LiteralScalarString
    elif "\n" not in text and not odd:
        style = SingleQuotedScalarString
    else:
        style = DoubleQuotedScalarString
    return style(text)


def insert_in_order(node: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    """Set `key` in `node`; a new key goes where `order` puts it (before the keys after it)."""
    if key in node:
        node[key] = value
        return
    later = order[order.index(key) + 1 :]
    node.insert(next((i for i, k in enumerate(node) if k in later), len(node)), key, value)


def write_atomically(path: Path, data: Any) -> None:
    """Dump `data` to `path` through a temporary file in the same folder, then replace."""
    buffer = io.StringIO()
    round_trip_yaml().dump(data, buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(buffer.getvalue())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
