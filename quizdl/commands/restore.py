"""`quizdl restore FILE [--merge]`: rebuild the home's database from a JSON backup."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from quizdl.export.progress import Progress
    from quizdl.export.restore import restore
    from quizdl.store import migrate
    from quizdl.store.db import Database, default_url

    database = Database(default_url(getattr(args, "db", None)))
    progress = Progress.for_terminal(args.progress)
    try:
        report = restore(database, Path(args.file), merge=args.merge, progress=progress)
    finally:
        database.dispose()
    where = migrate.describe(database)
    if report.merged:
        parts = [
            f"{name}: {report.inserted.get(name, 0):,} added, {report.updated.get(name, 0):,} "
            f"updated, {report.skipped.get(name, 0):,} already there"
            for name in report.inserted
        ]
        print(f"merged {args.file} into {where}: " + "; ".join(parts))
    else:
        counts = ", ".join(f"{n:,} {name}" for name, n in report.inserted.items())
        print(f"restored {args.file} into {where}: {counts}")
    sys.stdout.flush()
    return 0
