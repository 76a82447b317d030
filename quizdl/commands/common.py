"""Small helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizdl.errors import ContentError
from quizdl.kb.loader import KnowledgeBase, load
from quizdl.lang import language as language


def load_content(
    args: argparse.Namespace, extra: list[Path] | None = None
) -> tuple[KnowledgeBase, int]:
    """The knowledge base; problems are printed to stderr and counted."""
    paths = [Path(p) for p in getattr(args, "content", [])] + (extra or [])
    kb, problems = load(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    return kb, len(problems)


def open_study(args: argparse.Namespace) -> Any:
    """The database (backed up and upgraded if its schema is old), the content and a Study
    for the profile, for a session about to start: the first one of a study day (the
    profile's rollover) backs the database up first."""
    from quizdl.store import backup
    from quizdl.store.db import default_url
    from quizdl.store.opening import open_database
    from quizdl.study.service import Study

    kb, count = load_content(args)
    if count:
        raise ContentError([f"{count} problem(s) in the content"])
    url = default_url(getattr(args, "db", None))
    database = open_database(url, notify=backup.notice_printer(language(args))).database
    study = Study(database, kb, profile=getattr(args, "profile", "default"), lang=language(args))
    backup.daily_backup(database, clock=study.clock)
    return study
