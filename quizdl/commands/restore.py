"""`quizdl restore FILE [--merge]`: rebuild the home's database from a JSON backup (see
quizdl.export.restore), or merge one into it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from quizdl.export.progress import Progress
    from quizdl.export.restore import restore
    from quizdl.lang import language
    from quizdl.store import backup, migrate
    from quizdl.store.db import default_url
    from quizdl.store.opening import open_database

    # Nothing is changed before the backup file has been checked: restore() upgrades the
    # schema itself, after its checks, so that a bad file leaves the home as it was.
    database = open_database(default_url(getattr(args, "db", None)), upgrade=False).database
    progress = Progress.for_terminal(args.progress)
    try:
        if args.merge:
            # A merge writes into the learner's data: back it up if its schema is about to
            # be upgraded. A restore without --merge goes only into an empty home (restore
            # refuses any other), where there is nothing to back up.
            backup.backup_before_upgrade(database, notify=backup.notice_printer(language(args)))
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
