"""Markdown notes → topic YAML files, merged into what is already there.

The outline of the notes (:mod:`quizdl.kb.md_notes`) is merged into the YAML files of
`out_dir` with ruamel.yaml's round trip, so comments, key order, quoting and hand edits
survive. An existing topic is found by its ``source`` (note and ``##`` heading), not by its
id or file name, which a person may have changed; an imported card is found by its
``origin``. Nothing is ever deleted or overwritten: material that left the notes and
definitions that changed are flagged for a person to decide. A file is written only when
something in it changed (new material, an image found or lost), atomically, so importing
the same notes again leaves every file byte-identical.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any
from urllib.parse import unquote

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from quizdl.errors import BadInput
from quizdl.kb import mathtext
from quizdl.kb.md_notes import Definition, NoteReference, Section, parse_notes
from quizdl.kb.slug import slugify, unique_slug

UNTRANSLATED = "untranslated"
"""The tag of a card whose text the importer could only copy from Chinese notes."""
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\\)")
# Characters a literal block cannot hold as they are (controls, other line breaks, BOM).
_NOT_IN_BLOCK = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Plain (unquoted) only when nothing in it could mean something to YAML.
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}\n]*(?<!\s)$")
_TOPIC_KEYS = ("id", "title", "source", "order", "summary", "references", "excerpts")


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    """Topic and card ids added."""
    kept: list[str] = field(default_factory=list)
    """Ids already present and kept as they are."""
    flagged: list[str] = field(default_factory=list)
    """What a person should look at: material gone from the notes, definitions that changed,
    missing images, text that needs an English version."""
    files: list[Path] = field(default_factory=list)
    """YAML files written."""


@dataclass
class _YamlFile:
    path: Path
    data: Any
    changed: bool = False


def import_notes(notes: Path, out_dir: Path, *, note_name: str | None = None) -> ImportReport:
    """Build or update the topic YAML files in `out_dir` from the markdown `notes`."""
    try:
        text = notes.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{notes}: cannot read the notes: {exc}") from exc
    outline = parse_notes(text, fallback_title=notes.stem)
    merger = _Merger(note_name or notes.name, notes.parent, out_dir, _read_existing(out_dir))
    seen: Counter[str] = Counter()
    for order, section in enumerate(outline.sections):
        seen[section.heading] += 1
        merger.merge(section, order, seen[section.heading])
    return merger.finish()


def format_report(report: ImportReport) -> str:
    """The report as `quizdl import` prints it."""
    out = [f"added {len(report.added)}:" if report.added else "added nothing"]
    out += [f"  + {item}" for item in report.added]
    out.append(f"kept {len(report.kept)} (unchanged)")
    out.append(f"flagged {len(report.flagged)}:" if report.flagged else "flagged nothing")
    out += [f"  ! {line}" for line in report.flagged]
    out.append(f"wrote {len(report.files)} file(s)" + (":" if report.files else ""))
    out += [f"  {path}" for path in report.files]
    return "\n".join(out)


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, order and quoting are kept
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long note line
    yaml.preserve_quotes = True
    return yaml


def _read_existing(out_dir: Path) -> list[_YamlFile]:
    if not out_dir.is_dir():
        return []
    paths = sorted(p for p in out_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    files = []
    for path in paths:
        try:
            files.append(_YamlFile(path, _yaml().load(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, YAMLError) as exc:
            raise BadInput(
                f"{path}: cannot read this YAML file, so nothing was imported: {exc}"
            ) from exc
    return files


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


class _Merger:
    def __init__(self, note: str, notes_dir: Path, out_dir: Path, files: list[_YamlFile]) -> None:
        self.note, self.notes_dir, self.out_dir, self.files = note, notes_dir, out_dir, files
        self.report = ImportReport()
        self.topic_ids: set[str] = {f.path.stem for f in files}
        self.card_ids: set[str] = set()
        self.by_section: dict[str, list[_YamlFile]] = defaultdict(list)
        for f in files:
            self.topic_ids.add(str(_get(f.data, "topic", "id")))
            cards = _get(f.data, "cards")
            self.card_ids |= {str(_get(c, "id")) for c in cards or [] if isinstance(c, dict)}
            if _get(f.data, "topic", "source", "note") == note:
                self.by_section[str(_get(f.data, "topic", "source", "section"))].append(f)
        for same in self.by_section.values():
            same.sort(key=lambda f: (_sort_order(_get(f.data, "topic", "order")), str(f.path)))
        self.matched: set[Path] = set()
        self.mine: list[_YamlFile] = []

    def merge(self, section: Section, order: int, occurrence: int) -> None:
        """Merge one section; `occurrence` counts sections of the same heading so far."""
        candidates = self.by_section.get(section.heading, [])
        if occurrence <= len(candidates):
            target = candidates[occurrence - 1]
            self.report.kept.append(str(_get(target.data, "topic", "id")))
        else:
            topic_id = unique_slug(slugify(section.title), self.topic_ids)
            self.topic_ids.add(topic_id)
            topic = CommentedMap(
                id=topic_id,
                title=_text(section.title, section.title),
                source=_flow(note=self.note, section=section.heading),
                order=order,
            )
            target = _YamlFile(self.out_dir / f"{topic_id}.yaml", CommentedMap(topic=topic), True)
            self.report.added.append(topic_id)
        self.matched.add(target.path)
        self.mine.append(target)
        self._merge_cards(target, section)
        self._merge_list(target, "references", [self._reference(r) for r in section.references])
        self._merge_list(target, "excerpts", [_excerpt(e) for e in section.excerpts])

    def _merge_cards(self, target: _YamlFile, section: Section) -> None:
        topic_id = str(_get(target.data, "topic", "id"))
        topic_id = topic_id if _SLUG.match(topic_id) else slugify(topic_id, "topic")
        cards = target.data.get("cards")
        cards = cards if isinstance(cards, list) else []
        by_origin = {c["origin"]: c for c in cards if isinstance(c, dict) and c.get("origin")}
        seen: Counter[str] = Counter()
        origins: set[str] = set()
        for definition in section.definitions:
            seen[definition.term] += 1
            n = seen[definition.term]
            origin = f"term:{definition.term}" + (f"#{n}" if n > 1 else "")
            origins.add(origin)
            existing = by_origin.get(origin)
            if existing is not None:
                self.report.kept.append(str(existing.get("id")))
                back = existing.get("back")
                backs = [back] if isinstance(back, str) else [_get(back, "en"), _get(back, "zh")]
                if _safe(definition.text) not in backs:
                    self.report.flagged.append(
                        f"{existing.get('id')}: the notes now define {definition.term!r} as "
                        f"{_clip(definition.text)!r}; the card was kept as it is"
                    )
                continue
            card_id = unique_slug(f"{topic_id}/{slugify(definition.term, 'term')}", self.card_ids)
            self.card_ids.add(card_id)
            if not cards:  # a fresh block list, even where `cards: []` was written
                cards = target.data["cards"] = CommentedSeq()
            cards.append(self._new_card(card_id, origin, definition, section))
            target.changed = True
            self.report.added.append(card_id)
        for origin, card in by_origin.items():
            if origin not in origins:
                self.report.flagged.append(f"gone from the notes: {card.get('id')} ({origin})")

    def _new_card(
        self, card_id: str, origin: str, definition: Definition, section: Section
    ) -> CommentedMap:
        term, text = definition.term, definition.text
        card = CommentedMap(id=card_id, kind="basic")
        card["front"] = _text(f"What is {term}?", f"什么是{term}？")
        card["back"] = _text(text, text)
        if _CJK.search(term + text):  # copied from Chinese: someone must write the English
            card["tags"] = CommentedSeq([UNTRANSLATED])
            card["tags"].fa.set_flow_style()
        sub = {"subsection": definition.subsection} if definition.subsection else {}
        card["source"] = _flow(note=self.note, section=section.heading, **sub)
        card["origin"] = _scalar(origin)
        return card

    def _reference(self, ref: NoteReference) -> CommentedMap:
        exists = self._exists(ref) if ref.kind == "image" else None
        checked = {} if exists is None else {"exists": exists}  # links and web images: unchecked
        return _flow(kind=ref.kind, target=ref.target, title=ref.title, **checked)

    def _exists(self, ref: NoteReference) -> bool | None:
        target = unquote(ref.target.strip("<>"))
        if _WINDOWS_ABSOLUTE.match(target):
            # Checked as given, which only means something on Windows (the machine that
            # wrote it); elsewhere such a path names nothing.
            return os.name == "nt" and Path(target).exists()
        if _URL.match(target):
            return None  # on the web: not checked
        path = Path(PureWindowsPath(target).as_posix()) if "\\" in target else Path(target)
        try:
            return (self.notes_dir / path).exists()
        except (OSError, ValueError):
            return False

    def _merge_list(self, target: _YamlFile, key: str, items: list[Any]) -> None:
        topic = target.data["topic"]
        old = topic.get(key)
        if not isinstance(old, list):
            old = CommentedSeq()
        old_keys = [_item_key(x) for x in old]
        new_keys = [_item_key(x) for x in items]
        for item, item_key in zip(items, new_keys, strict=True):
            if item_key in old_keys:
                # An image's `exists` is a fact measured on disk, so it follows the disk.
                found = old[old_keys.index(item_key)]
                if (
                    isinstance(found, dict)
                    and "exists" in item
                    and found.get("exists") != item["exists"]
                ):
                    found["exists"] = item["exists"]
                    target.changed = True
                continue
            if not old:  # a fresh block list, even where `[]` was written
                old = CommentedSeq()
                _set_topic_key(topic, key, old)
            old.append(item)
            old_keys.append(item_key)
            target.changed = True
        for kind, value in old_keys:
            if (kind, value) not in new_keys:
                self.report.flagged.append(
                    f"gone from the notes: {_get(topic, 'id')} {kind} {_clip(value)!r}"
                )

    def finish(self) -> ImportReport:
        report = self.report
        for same in self.by_section.values():
            for f in same:
                if f.path not in self.matched:
                    section = _get(f.data, "topic", "source", "section")
                    topic_id = _get(f.data, "topic", "id")
                    report.flagged.append(f"gone from the notes: {topic_id} (section {section!r})")
        untranslated: list[str] = []
        titles: list[str] = []
        for f in self.mine:
            topic_id = _get(f.data, "topic", "id")
            title = _get(f.data, "topic", "title")
            if _CJK.search(str(title if isinstance(title, str) else _get(title, "en"))):
                titles.append(str(topic_id))
            for ref in _get(f.data, "topic", "references") or []:
                if _get(ref, "kind") == "image" and _get(ref, "exists") is False:
                    report.flagged.append(f"missing image in {topic_id}: {_get(ref, 'target')}")
            for card in _get(f.data, "cards") or []:
                tags = _get(card, "tags") or []
                english = f"{_get(card, 'front', 'en')}{_get(card, 'back', 'en')}"
                if UNTRANSLATED in tags and _CJK.search(english):
                    untranslated.append(str(_get(card, "id")))
        if titles:
            report.flagged.append(
                f"{len(titles)} topic title(s) need an English text: {', '.join(titles)}"
            )
        if untranslated:
            report.flagged.append(
                f"{len(untranslated)} card(s) need an English text "
                f"(tagged {UNTRANSLATED}): {', '.join(untranslated)}"
            )
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for f in self.mine:
            if f.changed:
                _write_atomically(f.path, f.data)
                report.files.append(f.path)
        return report


def _sort_order(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else float("inf")


def _flow(**values: Any) -> CommentedMap:
    node = CommentedMap({k: _scalar(v) if isinstance(v, str) else v for k, v in values.items()})
    node.fa.set_flow_style()
    return node


def _text(en: str, zh: str) -> CommentedMap:
    if "\n" in en + zh:  # a block map, so that each line reads as written
        return CommentedMap(en=_excerpt(_safe(en)), zh=_excerpt(_safe(zh)))
    return _flow(en=_safe(en), zh=_safe(zh))


def _safe(text: str) -> str:
    """`text` with its dollars escaped when its math would not pass the content check."""
    if mathtext.math_problems(text):
        return re.sub(r"(?<!\\)\$", r"\\$", text)
    return text


def _excerpt(text: str) -> str:
    """A text in a block context: multi-line text as a literal block (``|-``)."""
    return _scalar(text, block=True)


def _scalar(text: str, *, block: bool = False) -> str:
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


def _item_key(item: Any) -> tuple[str, str]:
    if isinstance(item, dict):
        return str(item.get("kind")), str(item.get("target"))
    return "excerpt", str(item)


def _set_topic_key(topic: CommentedMap, key: str, value: Any) -> None:
    """Set `key`, inserting it where the format puts it (after the keys that precede it)."""
    if key in topic:
        topic[key] = value
        return
    later = _TOPIC_KEYS[_TOPIC_KEYS.index(key) + 1 :]
    topic.insert(next((i for i, k in enumerate(topic) if k in later), len(topic)), key, value)


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _write_atomically(path: Path, data: Any) -> None:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
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
