"""Speed and memory of `quizdl stats` on 100,000 cards and 1,000,000 reviews. Prints JSON.

Budget (DESIGN.md, issue 6): stats under 200 ms, resident memory under 150 MiB.

The database comes from benchmarks/bigdb.py (built once, cached under benchmarks/out/). Each
measurement runs in a fresh process, so that its peak resident memory (VmHWM) is its own:
- in-process: quizdl.stats.compute() once to warm up, then `--runs` timed calls (median and
  max of wall time, and of CPU time summed over threads: on a busy machine wall time also
  counts the waits for a CPU);
- cold: `quizdl stats --json` as a learner runs it, interpreter start and imports included
  (wall time from spawn to exit, and the process's CPU time).

When the schema has no index on reviews (profile_id, state_before, rating, reviewed_at), the
figures are also taken on a copy with that index added ("with_outcome_index"): true
retention reads state_before and rating, which the shipped time index does not cover.

Usage: python benchmarks/stats_speed.py [--cards N] [--reviews N] [--seed N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bigdb

BUDGET_MS = 200.0
BUDGET_RSS_MIB = 150.0
OUTCOME_INDEX = (
    "CREATE INDEX ix_reviews_outcome ON reviews (profile_id, state_before, rating, reviewed_at)"
)
OUTCOME_COLUMNS = ["profile_id", "state_before", "rating", "reviewed_at"]


def peak_rss_mib() -> float:
    status = Path("/proc/self/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(kib / 1024, 1)


def _summary(values_s: list[float]) -> dict[str, Any]:
    ms = [v * 1000 for v in values_s]
    return {
        "median": round(statistics.median(ms), 1),
        "max": round(max(ms), 1),
        "all": [round(v, 1) for v in ms],
    }


def in_process(path: Path, runs: int) -> dict[str, Any]:
    """Run in a child process: warm-up, then `runs` timed calls of compute()."""
    from quizdl.clock import Clock
    from quizdl.stats import compute
    from quizdl.store.db import Database

    database = Database(f"sqlite:///{path}")
    clock = Clock(fixed=bigdb.REFERENCE_NOW)
    start = time.perf_counter()
    stats = compute(database, clock=clock)
    first = time.perf_counter() - start
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        compute(database, clock=clock)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    database.dispose()
    return {
        "first_call_ms": round(first * 1000, 1),
        "wall_ms": _summary(wall),
        "cpu_ms": _summary(cpu),
        "peak_rss_mib": peak_rss_mib(),
        "check": {
            "cards": stats.cards.total,
            "reviews_last_365_days": sum(d.count for d in stats.reviews_per_day),
            "due": stats.due.total,
        },
    }


_COLD = """
import resource, sys
from quizdl.cli import main
code = main(sys.argv[1:])
status = open("/proc/self/status").read().split("VmHWM:")[1]
usage = resource.getrusage(resource.RUSAGE_SELF)
print(int(status.split()[0]), usage.ru_utime + usage.ru_stime, file=sys.stderr)
sys.exit(code)
"""


def cold(path: Path, runs: int = 3) -> dict[str, Any]:
    """`quizdl stats --json` in fresh processes (what a learner waits for)."""
    env = {**os.environ, "QUIZDL_NOW": bigdb.REFERENCE_NOW.isoformat()}
    argv = [sys.executable, "-c", _COLD, "stats", "--json", "--db", f"sqlite:///{path}"]
    wall, cpu, rss = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        wall.append(time.perf_counter() - start)
        if out.returncode:
            raise RuntimeError(f"quizdl stats failed:\n{out.stderr}")
        json.loads(out.stdout)
        kib, seconds = out.stderr.split()[-2:]
        rss.append(int(kib) / 1024)
        cpu.append(float(seconds))
    bare = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    return {
        "wall_ms": _summary(wall),
        "cpu_ms": _summary(cpu),
        "peak_rss_mib": round(max(rss), 1),
        "bare_python_start_ms": round(statistics.median(bare) * 1000, 1),
    }


def measure(path: Path, runs: int) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, __file__, "child", str(path), f"--runs={runs}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode:
        raise RuntimeError(f"in-process measurement failed:\n{child.stderr}")
    result: dict[str, Any] = {"in_process": json.loads(child.stdout), "cold": cold(path)}
    inner = result["in_process"]
    result["within_budget"] = {
        "time": inner["wall_ms"]["median"] < BUDGET_MS,
        # On a machine shared with other work, CPU time is what the code itself costs.
        "time_cpu": inner["cpu_ms"]["median"] < BUDGET_MS,
        "memory": max(inner["peak_rss_mib"], result["cold"]["peak_rss_mib"]) < BUDGET_RSS_MIB,
    }
    return result


def has_outcome_index(path: Path) -> bool:
    # Not a read-only connection: closing one of those leaves the -wal and -shm files behind.
    connection = sqlite3.connect(path)
    try:
        names = [row[1] for row in connection.execute("PRAGMA index_list(reviews)")]
        return any(
            [c[2] for c in connection.execute(f"PRAGMA index_info({name})")] == OUTCOME_COLUMNS
            for name in names
        )
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mode", nargs="?", default="all", choices=["all", "child"])
    parser.add_argument("path", nargs="?", help="database (child only)")
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.mode == "child":
        print(json.dumps(in_process(Path(args.path), args.runs)))
        return
    started = time.perf_counter()
    path, build = bigdb.cached(args.cards, args.reviews, args.seed)
    result: dict[str, Any] = {
        "benchmark": "stats_speed",
        "budget": {"time_ms": BUDGET_MS, "peak_rss_mib": BUDGET_RSS_MIB},
        "parameters": {k: getattr(args, k) for k in ("cards", "reviews", "seed", "runs")},
        "database": str(path),
        "build": build,
        "sqlite_version": sqlite3.sqlite_version,
        "python": sys.version.split()[0],
        "load_average": os.getloadavg(),
        "schema_as_shipped": measure(path, args.runs),
    }
    if not has_outcome_index(path):
        with tempfile.TemporaryDirectory(dir=bigdb.OUT_DIR) as scratch:
            copy = Path(scratch) / "quizdl.db"
            shutil.copyfile(path, copy)
            connection = sqlite3.connect(copy)
            connection.execute(OUTCOME_INDEX)
            connection.close()
            result["with_outcome_index"] = measure(copy, args.runs)
    result["script_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
