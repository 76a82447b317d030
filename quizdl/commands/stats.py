"""`quizdl stats [--json]`: a profile's statistics, as rich tables or as JSON (keys in
quizdl/stats/__init__.py)."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from quizdl.lang import language
    from quizdl.stats import compute
    from quizdl.store import backup
    from quizdl.store.db import default_url
    from quizdl.store.opening import open_database

    notify = backup.notice_printer(language(args))
    database = open_database(default_url(args.db), notify=notify).database
    try:
        stats = compute(database, args.profile)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
        return 0
    # Imported here: the JSON path needs neither the content's modules nor rich.
    from rich.console import Console

    from quizdl.commands.common import language
    from quizdl.stats.render import render

    render(stats, language(args), Console())
    return 0
