"""Markdown notes → topic YAML files, merged into what is already there.

The outline of the notes (:mod:`quizdl.kb.md_notes`) is merged into the YAML files of
`out_dir` with ruamel.yaml's round trip (:mod:`quizdl.kb.yaml_style`), so comments, key
order, quoting and hand edits survive. An existing topic is found by its ``source`` (note
and ``##`` heading), not by its id or file name, which a person may have changed; an
imported card by its ``origin``, which also records the definition it was made from
(:mod:`quizdl.kb.import_match`). Nothing is ever deleted or overwritten: material that left
the notes and definitions that changed since they were imported are flagged for a person
to decide. A file is written only when something in it changed (new material, an image
found or lost), atomically, so importing the same notes again leaves every file
byte-identical.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any
from urllib.parse import unquote

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from quizdl.errors import BadInput
from quizdl.kb import mathtext
from quizdl.kb.import_match import Origin, merge_excerpts, parse_origin, same_text, term_origin
from quizdl.kb.import_report import (
    CJK,
    UNTRANSLATED,
    ImportReport,
    format_report,
    review_flags,
)
from quizdl.kb.md_notes import Definition, NoteReference, Section, parse_notes
from quizdl.kb.slug import slugify, unique_slug
from quizdl.kb.yaml_style import (
    block,
    dig,
    flow,
    insert_in_order,
    round_trip_yaml,
    write_atomically,
)

__all__ = ["UNTRANSLATED", "ImportReport", "format_report", "import_notes"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\\)")
_TOPIC_KEYS = ("id", "title", "source", "order", "summary", "references", "excerpts")


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


def _read_existing(out_dir: Path) -> list[_YamlFile]:
    if not out_dir.is_dir():
        return []
    paths = sorted(p for p in out_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    files = []
    for path in paths:
        try:
            data = round_trip_yaml().load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YAMLError) as exc:
            raise BadInput(
                f"{path}: cannot read this YAML file, so nothing was imported: {exc}"
            ) from exc
        files.append(_YamlFile(path, data))
    return files


class _Merger:
    def __init__(self, note: str, notes_dir: Path, out_dir: Path, files: list[_YamlFile]) -> None:
        self.note, self.notes_dir, self.out_dir, self.files = note, notes_dir, out_dir, files
        self.report = ImportReport()
        self.topic_ids: set[str] = {f.path.stem for f in files}
        self.card_ids: set[str] = set()
        self.by_section: dict[str, list[_YamlFile]] = defaultdict(list)
        for f in files:
            self.topic_ids.add(str(dig(f.data, "topic", "id")))
            cards = dig(f.data, "cards")
            self.card_ids |= {str(dig(c, "id")) for c in cards or [] if isinstance(c, dict)}
            if dig(f.data, "topic", "source", "note") == note:
                self.by_section[str(dig(f.data, "topic", "source", "section"))].append(f)
        for same in self.by_section.values():
            same.sort(key=lambda f: (_sort_order(dig(f.data, "topic", "order")), str(f.path)))
        self.matched: set[Path] = set()
        self.mine: list[_YamlFile] = []

    def merge(self, section: Section, order: int, occurrence: int) -> None:
        """Merge one section; `occurrence` counts sections of the same heading so far."""
        candidates = self.by_section.get(section.heading, [])
        if occurrence <= len(candidates):
            target = candidates[occurrence - 1]
            self.report.kept.append(str(dig(target.data, "topic", "id")))
        else:
            topic_id = unique_slug(slugify(section.title), self.topic_ids)
            self.topic_ids.add(topic_id)
            topic = CommentedMap(
                id=topic_id,
                title=_text(section.title, section.title),
                source=flow(note=self.note, section=section.heading),
                order=order,
            )
            target = _YamlFile(self.out_dir / f"{topic_id}.yaml", CommentedMap(topic=topic), True)
            self.report.added.append(topic_id)
        self.matched.add(target.path)
        self.mine.append(target)
        self._merge_cards(target, section)
        self._merge_references(target, [self._reference(r) for r in section.references])
        self._merge_excerpts(target, section.excerpts)

    def _merge_cards(self, target: _YamlFile, section: Section) -> None:
        topic_id = str(dig(target.data, "topic", "id"))
        topic_id = topic_id if _SLUG.match(topic_id) else slugify(topic_id, "topic")
        cards = target.data.get("cards")
        cards = cards if isinstance(cards, list) else []
        by_key: dict[str, Any] = {}
        for card in cards:
            if isinstance(card, dict) and card.get("origin"):
                by_key.setdefault(parse_origin(str(card["origin"])).key, card)
        seen: Counter[str] = Counter()
        keys: set[str] = set()
        for definition in section.definitions:
            seen[definition.term] += 1
            origin = term_origin(definition.term, seen[definition.term], definition.text)
            keys.add(origin.key)
            existing = by_key.get(origin.key)
            if existing is not None:
                self.report.kept.append(str(existing.get("id")))
                self._check_definition(target, existing, origin, definition)
                continue
            card_id = unique_slug(f"{topic_id}/{slugify(definition.term, 'term')}", self.card_ids)
            self.card_ids.add(card_id)
            if not cards:  # a fresh block list, even where `cards: []` was written
                cards = target.data["cards"] = CommentedSeq()
            cards.append(self._new_card(card_id, origin, definition, section))
            target.changed = True
            self.report.added.append(card_id)
        for key, card in by_key.items():
            if key not in keys:
                self.report.flagged.append(f"gone from the notes: {card.get('id')} ({key})")

    def _check_definition(
        self, target: _YamlFile, card: CommentedMap, origin: Origin, definition: Definition
    ) -> None:
        """Flag `card` when the notes' definition is not the one it was imported from."""
        stored = parse_origin(str(card["origin"]))
        if stored.records(definition.text):
            return
        card_id, term, new = card.get("id"), definition.term, _clip(definition.text, 40)
        if stored.recorded is not None:
            self.report.flagged.append(
                f"{card_id}: the notes changed the definition of {term!r}: "
                f"{_clip(stored.recorded, 40)!r} → {new!r}; the card was kept as it is "
                "(once it says what the notes say, put the new text in its origin)"
            )
            return
        # The one-line origin of an earlier import recorded no definition. A back that
        # still says what the notes say shows what it was made from: record that.
        back = card.get("back")
        backs = [back] if isinstance(back, str) else [dig(back, "en"), dig(back, "zh")]
        texts = (definition.text, _safe(definition.text))
        if any(isinstance(b, str) and same_text(b, t) for b in backs for t in texts):
            card["origin"] = block(str(origin))
            target.changed = True
            return
        self.report.flagged.append(
            f"{card_id}: its origin records no definition, so a change of {term!r} in the "
            f"notes cannot be told; they say {new!r}; the card was kept as it is "
            "(once it says that, put this text in its origin, on a second line)"
        )

    def _new_card(
        self, card_id: str, origin: Origin, definition: Definition, section: Section
    ) -> CommentedMap:
        term, text = definition.term, definition.text
        card = CommentedMap(id=card_id, kind="basic")
        card["front"] = _text(f"What is {term}?", f"什么是{term}？")
        card["back"] = _text(text, text)
        if CJK.search(term + text):  # copied from Chinese: someone must write the English
            card["tags"] = CommentedSeq([UNTRANSLATED])
            card["tags"].fa.set_flow_style()
        sub = {"subsection": definition.subsection} if definition.subsection else {}
        card["source"] = flow(note=self.note, section=section.heading, **sub)
        card["origin"] = block(str(origin))
        return card

    def _reference(self, ref: NoteReference) -> CommentedMap:
        exists = self._exists(ref) if ref.kind == "image" else None
        checked = {} if exists is None else {"exists": exists}  # links and web images: unchecked
        return flow(kind=ref.kind, target=ref.target, title=ref.title, **checked)

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

    def _merge_references(self, target: _YamlFile, refs: list[CommentedMap]) -> None:
        """References are the same when kind and target are; a title edited by hand stays."""
        topic = target.data["topic"]
        stored = topic.get("references")
        stored = stored if isinstance(stored, list) else CommentedSeq()
        keys = [_reference_key(r) for r in stored]
        new_keys = {_reference_key(r) for r in refs}
        for ref in refs:
            key = _reference_key(ref)
            if key in keys:
                # An image's `exists` is a fact measured on disk, so it follows the disk.
                found = stored[keys.index(key)]
                if isinstance(found, dict) and "exists" in ref:
                    if found.get("exists") != ref["exists"]:
                        found["exists"] = ref["exists"]
                        target.changed = True
                continue
            if not stored:  # a fresh block list, even where `[]` was written
                stored = CommentedSeq()
                insert_in_order(topic, "references", stored, _TOPIC_KEYS)
            stored.append(ref)
            keys.append(key)
            target.changed = True
        for kind, value in keys:
            if (kind, value) not in new_keys:
                self.report.flagged.append(
                    f"gone from the notes: {dig(topic, 'id')} {kind} {_clip(value)!r}"
                )

    def _merge_excerpts(self, target: _YamlFile, excerpts: list[str]) -> None:
        """Add the excerpts not stored yet; one edited by hand is still the same excerpt."""
        topic = target.data["topic"]
        stored = topic.get("excerpts")
        stored = stored if isinstance(stored, list) else CommentedSeq()
        merged = merge_excerpts([str(e) for e in stored], excerpts)
        if merged.new:
            if not stored:  # a fresh block list, even where `[]` was written
                stored = CommentedSeq()
                insert_in_order(topic, "excerpts", stored, _TOPIC_KEYS)
            stored.extend(block(e) for e in merged.new)
            target.changed = True
        for excerpt in merged.gone:
            self.report.flagged.append(
                f"gone from the notes: {dig(topic, 'id')} excerpt {_clip(excerpt)!r}"
            )

    def finish(self) -> ImportReport:
        report = self.report
        for same in self.by_section.values():
            for f in same:
                if f.path not in self.matched:
                    section = dig(f.data, "topic", "source", "section")
                    topic_id = dig(f.data, "topic", "id")
                    report.flagged.append(f"gone from the notes: {topic_id} (section {section!r})")
        report.flagged += review_flags(f.data for f in self.mine)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for f in self.mine:
            if f.changed:
                write_atomically(f.path, f.data)
                report.files.append(f.path)
        return report


def _sort_order(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else float("inf")


def _text(en: str, zh: str) -> CommentedMap:
    if "\n" in en + zh:  # a block map, so that each line reads as written
        return CommentedMap(en=block(_safe(en)), zh=block(_safe(zh)))
    return flow(en=_safe(en), zh=_safe(zh))


def _safe(text: str) -> str:
    """`text` with its dollars escaped when its math would not pass the content check."""
    if mathtext.math_problems(text):
        return re.sub(r"(?<!\\)\$", r"\\$", text)
    return text


def _reference_key(ref: Any) -> tuple[str, str]:
    return (str(ref.get("kind")), str(ref.get("target"))) if isinstance(ref, dict) else ("", "")


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
