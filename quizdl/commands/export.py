"""`quizdl export --format FORMAT -o PATH`: backups, spreadsheets, the FSRS review log,
an Anki deck, a progress report (see quizdl.export)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizdl.errors import BadInput, ContentError
from quizdl.export import NEEDS_CONTENT, NEEDS_DATABASE, ExportRequest, export, output_paths
from quizdl.export.atomic import check_target
from quizdl.export.progress import Progress


def run(args: argparse.Namespace) -> int:
    # The content (and its loader, a slow import) only for the formats that show it.
    needs_content = args.format in NEEDS_CONTENT
    if needs_content:
        from quizdl.commands.common import language, load_content
    request = ExportRequest(
        format=args.format,
        path=Path(args.output),
        force=args.force,
        topics=tuple(dict.fromkeys(args.topic)),
        profile=args.profile,
        lang=language(args) if needs_content else "en",
        now=_now(),
    )
    for path in output_paths(request):  # refuse before any slow work
        check_target(path, force=request.force)
    database = _database(args, request.topics) if request.format in NEEDS_DATABASE else None
    kb = None
    if needs_content:
        kb, problems = load_content(args)
        if problems:
            raise ContentError([f"{problems} problem(s) in the content"])
    progress = Progress.for_terminal(args.progress)
    try:
        result = export(request, database=database, kb=kb, progress=progress)
    finally:
        if database is not None:
            database.dispose()
    if progress.enabled:
        counts = ", ".join(f"{n:,} {name}" for name, n in result.counts.items())
        written = ", ".join(str(p) for p in result.paths)
        print(f"quizdl export: wrote {written} ({counts})", file=sys.stderr)
    return 0


def _now() -> Any:
    from quizdl.clock import Clock

    return Clock.from_env().now()


def _database(args: argparse.Namespace, topics: tuple[str, ...]) -> Any:
    """The home's database at the current schema (backed up first if it is upgraded);
    refused when it holds no quizdl data."""
    from sqlalchemy import select

    from quizdl.export.rawsql import ReadSnapshot
    from quizdl.lang import language
    from quizdl.store import backup, migrate
    from quizdl.store.db import default_url
    from quizdl.store.models import CARDS
    from quizdl.store.opening import open_database

    url = default_url(getattr(args, "db", None))
    opened = open_database(url, create=False, notify=backup.notice_printer(language(args)))
    database = opened.database
    if opened.is_new:
        database.dispose()
        raise BadInput(
            f"{migrate.describe(database)}: there is nothing to export yet "
            "(no quizdl database there; review some cards first, or pass --db)"
        )
    if topics:
        with ReadSnapshot(database) as snapshot:
            known = {row[0] for row in snapshot.rows(select(CARDS.c.topic).distinct())}
        unknown = [t for t in topics if t not in known]
        if unknown:
            database.dispose()
            listed = ", ".join(sorted(known)) or "none yet"
            raise BadInput(f"unknown topic {unknown[0]!r} (topics in the database: {listed})")
    return database
