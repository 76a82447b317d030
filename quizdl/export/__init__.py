"""Exports and backups: `export(request, ...)` writes one format; `quizdl.export.restore`
reads a JSON backup back. Each format's writer is imported only when it is used.

Formats:
    json    a backup of the whole database (restore it with `quizdl restore`)
    csv     one row per card, and the review log as a second file
    revlog  the review log for the FSRS optimizer and benchmark tools
    apkg    an Anki deck of the content
    md      a progress report in Markdown
    html    the same report as one HTML file, charts inline
Every file is written under a temporary name and renamed when complete; an existing file
is replaced only with `force`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quizdl.errors import BadInput

if TYPE_CHECKING:
    from quizdl.export.atomic import AtomicOutputs
    from quizdl.export.progress import Progress
    from quizdl.kb.loader import KnowledgeBase
    from quizdl.kb.text import Lang
    from quizdl.store.db import Database

FORMATS = ("json", "csv", "revlog", "apkg", "md", "html")
NEEDS_DATABASE = frozenset({"json", "csv", "revlog", "md", "html"})
NEEDS_CONTENT = frozenset({"apkg", "md", "html"})


@dataclass(frozen=True)
class ExportRequest:
    format: str
    path: Path
    force: bool = False
    topics: tuple[str, ...] = ()
    profile: str = "default"
    lang: Lang = "en"
    now: datetime | None = None  # for "due today" and retrievability (default: the clock)


@dataclass
class ExportResult:
    paths: list[Path]
    counts: dict[str, int] = field(default_factory=dict)


def output_paths(request: ExportRequest) -> list[Path]:
    """The files an export writes: csv writes the review log beside the cards."""
    path = Path(request.path)
    if request.format == "csv":
        return [path, reviews_csv_path(path)]
    return [path]


def reviews_csv_path(cards_path: Path) -> Path:
    """cards.csv -> cards-reviews.csv"""
    return cards_path.with_name(f"{cards_path.stem}-reviews{cards_path.suffix or '.csv'}")


def export(
    request: ExportRequest,
    *,
    database: Database | None = None,
    kb: KnowledgeBase | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the export; an existing file is refused (BadInput) before anything is read."""
    from quizdl.export.atomic import atomic_outputs
    from quizdl.export.progress import Progress

    if request.format not in FORMATS:
        raise BadInput(f"unknown export format {request.format!r} (formats: {', '.join(FORMATS)})")
    if request.format in NEEDS_DATABASE and database is None:
        raise ValueError(f"the {request.format} export needs a database")
    if request.format in NEEDS_CONTENT and kb is None:
        raise ValueError(f"the {request.format} export needs the content")
    progress = progress or Progress(False)
    paths = output_paths(request)
    with atomic_outputs(paths, force=request.force) as outputs:
        counts = _write(request, outputs, paths, database, kb, progress)
    return ExportResult(paths, counts)


def _write(
    request: ExportRequest,
    outputs: AtomicOutputs,
    paths: list[Path],
    database: Database | None,
    kb: KnowledgeBase | None,
    progress: Progress,
) -> dict[str, int]:
    fmt = request.format
    if fmt == "json":
        from quizdl.export.json_backup import write_backup

        assert database is not None
        return write_backup(
            database,
            outputs.open(paths[0]),
            topics=request.topics,
            progress=progress,
            scratch=paths[0].parent,
        )
    if fmt == "revlog":
        from quizdl.export.revlog import write_revlog

        assert database is not None
        reviews = write_revlog(
            database,
            outputs.open(paths[0]),
            profile=request.profile,
            topics=request.topics,
            progress=progress,
            scratch=paths[0].parent,
        )
        return {"reviews": reviews}
    if fmt == "csv":
        from quizdl.export.csv_export import write_csv

        assert database is not None
        return write_csv(
            database,
            outputs.open(paths[0]),
            outputs.open(paths[1]),
            profile=request.profile,
            topics=request.topics,
            now=request.now,
            progress=progress,
        )
    if fmt == "apkg":
        from quizdl.export.apkg import write_apkg

        assert kb is not None
        return write_apkg(
            kb, outputs.open(paths[0]), topics=request.topics, lang=request.lang, now=request.now
        )
    from quizdl.export.report import write_report

    assert database is not None and kb is not None
    return write_report(
        database,
        kb,
        outputs.open(paths[0]),
        html=fmt == "html",
        profile=request.profile,
        topics=request.topics,
        lang=request.lang,
        now=request.now,
    )
