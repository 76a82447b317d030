"""The worker side of the parallel exports' protocol (json_parallel.start_worker and
finish_worker): the job comes as JSON on stdin; the rows done so far are printed after each
block (by the job itself), `done N` at the end; a failure goes to stderr, exit status 1.
Standard library only, so that a worker is running within a few tens of milliseconds."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from typing import Any


def serve(run: Callable[[dict[str, Any]], int]) -> int:
    """Run the job read from stdin; returns the process's exit status."""
    try:
        written = run(json.load(sys.stdin))
    except Exception as error:  # reported to the parent, which names the table
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(f"done {written}", flush=True)
    return 0


BUSY_TIMEOUT_S = 30.0


def connect(job: dict[str, Any]) -> sqlite3.Connection:
    """The job's SQLite database, in autocommit (the worker opens its own read
    transaction), waiting for a writer's lock as the exporting process does."""
    return sqlite3.connect(job["database"], isolation_level=None, timeout=BUSY_TIMEOUT_S)
