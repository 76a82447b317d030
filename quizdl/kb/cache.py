"""A cache of validated content, so that unchanged files are not parsed again.

Parsing and validating YAML costs about a millisecond per card (ruamel's round-trip
loader is pure Python): 100,000 cards would take minutes on every start. The cache keeps,
for each content file that loaded without a problem, its topic and its cards in compact
form (cards.Segment), keyed by the file's path, size and modification time. An entry is
used only when it was written by the same code: a stamp covers quizdl's version, the
versions of Python and pydantic and the kb modules that validate (schema, text, math);
for a file with generated cards a second stamp covers the generator families (their names
and parameter ranges are checked at load).

One binary file, written whole to a temporary file and renamed over the old one; a file
that is damaged, foreign or from other code is ignored (and rewritten), never an error.
Nothing in it is executed: a JSON header and raw arrays, checked by a CRC.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import sys
import tempfile
import time
import zlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic.version import VERSION as PYDANTIC_VERSION

from quizdl import __version__
from quizdl.kb.cards import HASH_BYTES, Segment
from quizdl.kb.schema import TopicMeta

FORMAT = 1
MAGIC = b"quizdl-kb-cache\n"
_HEAD = struct.Struct("<16sIQ")  # magic, CRC-32 of all that follows, header length
CACHE_DIR_VARIABLE = "QUIZDL_CACHE_DIR"
HOME_VARIABLE = "QUIZDL_HOME"
CACHE_FILE = "kb-cache.bin"
RACY_NS = 2_000_000_000
"""A file changed less than this before it was read is not cached: a second edit within
the file system's timestamp granularity could keep size and mtime (git's "racy" files)."""

_KB_DIR = Path(__file__).resolve().parent
_ENGINE_DIR = _KB_DIR.parent / "engine"


def default_cache_file() -> Path:
    """$QUIZDL_CACHE_DIR, else $QUIZDL_HOME/cache, else the platform's user cache folder."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser() / CACHE_FILE
    home = os.environ.get(HOME_VARIABLE)
    if home:
        return Path(home).expanduser() / "cache" / CACHE_FILE
    from platformdirs import user_cache_path

    return user_cache_path("quizdl", appauthor=False) / CACHE_FILE


@dataclass(frozen=True)
class FileKey:
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileKey | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return cls(stat.st_size, stat.st_mtime_ns)

    def settled(self, now_ns: int) -> bool:
        """Old enough that an unseen edit could not have kept this key (see RACY_NS)."""
        return self.mtime_ns <= now_ns - RACY_NS


@dataclass
class CachedFile:
    """One content file as validated: its topic (and the line of its id) and its cards."""

    key: FileKey
    registry: str | None
    """The generator stamp the file was checked against; None when it has no generated card."""
    topic: TopicMeta
    topic_line: int
    segment: Segment


@dataclass
class CacheContents:
    entries: dict[str, CachedFile]
    usable: bool
    """False when a cache file was there but could not be used: it is to be rewritten."""


def _stamp_of_files(*folders: Path) -> list[str]:
    found = []
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py"):
                stat = entry.stat()
                found.append(f"{folder.name}/{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return found


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def code_stamp() -> str:
    """What the validation of a file depends on, besides the file and the generators."""
    machine = [sys.version.split()[0], sys.byteorder, f"{array('I').itemsize}{array('Q').itemsize}"]
    return _digest(
        [f"format {FORMAT}", __version__, PYDANTIC_VERSION, *machine, *_stamp_of_files(_KB_DIR)]
    )


def registry_stamp() -> str:
    """The generator families as files (importing them would cost more than the cache saves)."""
    return _digest(_stamp_of_files(_ENGINE_DIR, _ENGINE_DIR / "families"))


def read_cache(path: Path, stamp: str) -> CacheContents:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return CacheContents({}, usable=True)
    except OSError:
        return CacheContents({}, usable=False)
    try:
        return CacheContents(_parse(raw, stamp), usable=True)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, struct.error):
        return CacheContents({}, usable=False)  # damaged, foreign, or other code's


def _parse(raw: bytes, stamp: str) -> dict[str, CachedFile]:
    magic, crc, header_size = _HEAD.unpack_from(raw)
    rest = memoryview(raw)[_HEAD.size :]
    if magic != MAGIC or zlib.crc32(rest) != crc or header_size > len(rest):
        raise ValueError("not a readable cache file")
    header = json.loads(bytes(rest[:header_size]).decode("utf-8", "surrogatepass"))
    if header["format"] != FORMAT or header["stamp"] != stamp:
        raise ValueError("written by other code")
    body = rest[header_size:]
    return {item["path"]: _entry(item, body) for item in header["files"]}


def _entry(item: dict[str, Any], body: memoryview) -> CachedFile:
    blocks = []
    for start, size in item["blocks"]:
        if not (0 <= start and 0 <= size and start + size <= len(body)):
            raise ValueError("a block lies outside the file")
        blocks.append(body[start : start + size])
    section, kind, tags, lines, id_lines, ends = (
        array(code, bytes(block)) for code, block in zip("IIIIIQ", blocks, strict=False)
    )
    ids, strings = list(item["ids"]), list(item["strings"])
    seg = Segment(
        ids,
        strings,
        section,
        kind,
        tags,
        lines,
        id_lines,
        hashes=blocks[6],
        ends=ends,
        payload=blocks[7],
    )
    count = len(ids)
    if any(len(a) != count for a in (section, kind, tags, lines, id_lines, ends)):
        raise ValueError("arrays of different lengths")
    if len(seg.hashes) != count * HASH_BYTES or (ends[-1] if count else 0) != len(seg.payload):
        raise ValueError("hashes or cards of the wrong size")
    if count and max(max(section), max(kind), max(tags)) >= len(strings):
        raise ValueError("a string index out of range")
    key = FileKey(int(item["size"]), int(item["mtime_ns"]))
    registry = item["registry"]
    if not (registry is None or isinstance(registry, str)):
        raise TypeError("registry stamp")
    topic = TopicMeta.model_validate(item["topic"])
    return CachedFile(key, registry, topic, int(item["topic_line"]), seg)


def write_cache(path: Path, stamp: str, entries: Mapping[str, CachedFile]) -> bool:
    """Write `entries` as the whole cache, atomically. False (and no file) when it cannot be
    written: a cache is never worth an error."""
    files: list[dict[str, Any]] = []
    blocks: list[bytes | memoryview] = []
    offset = 0
    for name, entry in entries.items():
        seg = entry.segment
        parts = [
            seg.section.tobytes(),
            seg.kind.tobytes(),
            seg.tags.tobytes(),
            seg.lines.tobytes(),
            seg.id_lines.tobytes(),
            seg.ends.tobytes(),
            seg.hashes,
            seg.payload,
        ]
        spans = []
        for part in parts:
            spans.append([offset, len(part)])
            offset += len(part)
            blocks.append(part)
        files.append(
            {
                "path": name,
                "size": entry.key.size,
                "mtime_ns": entry.key.mtime_ns,
                "registry": entry.registry,
                "topic_line": entry.topic_line,
                "topic": entry.topic.model_dump(mode="json", exclude_unset=True),
                "ids": seg.ids,
                "strings": seg.strings,
                "blocks": spans,
            }
        )
    header = json.dumps(
        {"format": FORMAT, "stamp": stamp, "files": files},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    head = header.encode("utf-8", "surrogatepass")
    crc = zlib.crc32(head)
    for block in blocks:
        crc = zlib.crc32(block, crc)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".kb-cache-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(_HEAD.pack(MAGIC, crc, len(head)))
            out.write(head)
            for block in blocks:
                out.write(block)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    return True


class CacheRun:
    """The content cache during one load: the entries read, and those to write back (this
    load's valid files, plus entries of files not loaded this time that are unchanged, such
    as another content folder's)."""

    def __init__(self, cache_file: Path | None) -> None:
        self.file = cache_file
        self.stamp = code_stamp() if cache_file else ""
        self.before = read_cache(cache_file, self.stamp) if cache_file else CacheContents({}, True)
        self.kept: dict[str, CachedFile] = {}
        self.started_ns = time.time_ns()
        self._registry: str | None = None

    def registry(self) -> str:
        if self._registry is None:
            self._registry = registry_stamp()
        return self._registry

    def entry(self, path: Path, key: FileKey | None) -> CachedFile | None:
        """The cached form of `path`, if it is still what the file holds."""
        entry = self.before.entries.get(str(path))
        if entry is None or key is None or entry.key != key:
            return None
        if entry.registry is not None and entry.registry != self.registry():
            return None
        return entry

    def keep(self, path: Path, entry: CachedFile) -> None:
        self.kept[str(path)] = entry

    def remember(
        self, path: Path, key: FileKey | None, topic: TopicMeta, topic_line: int, seg: Segment
    ) -> None:
        """Keep a file just parsed without a problem (unless it changed too recently)."""
        if self.file is None or key is None or not key.settled(self.started_ns):
            return
        registry = self.registry() if seg.has_kind("generated") else None
        self.keep(path, CachedFile(key, registry, topic, topic_line, seg))

    def save(self) -> None:
        """Write the cache if anything changed."""
        if self.file is None:
            return
        before = self.before.entries
        changed = not self.before.usable or any(
            before.get(p) is not e for p, e in self.kept.items()
        )
        merged = dict(self.kept)
        for name, entry in before.items():
            if name in self.kept:
                continue
            if entry.key == FileKey.of(Path(name)):
                merged[name] = entry
            else:
                changed = True  # the file changed, went away or no longer loads
        if changed:
            write_cache(self.file, self.stamp, merged)
