"""Speed and memory of `quizdl export` on 100,000 cards and 1,000,000 reviews. Prints JSON.

Budgets (the export issue): revlog export under 2 s, JSON export under 5 s, resident memory
under 150 MiB.

The database comes from benchmarks/bigdb.py (built once, cached under benchmarks/out/; only
read here). Each export runs in a fresh process, timed from the call to quizdl.export.export
to its return (the file complete, fsynced and renamed), so that its peak resident memory
(VmHWM) is its own. The JSON export encodes the reviews in worker processes when the machine
has several cores (quizdl/export/json_parallel.py); their CPU time is added to the export's,
and their peak memory is reported apart (an upper bound: a child's ru_maxrss starts from its
parent's resident size at fork). "json_one_process" is the same export held to one process.

Wall time on a shared machine includes waiting for a CPU, so the CPU time and the load
average are reported beside it.

Usage: python benchmarks/export_speed.py [--cards N] [--reviews N] [--seed N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bigdb

BUDGET_S = {"revlog": 2.0, "json": 5.0}
BUDGET_RSS_MIB = 150.0
KINDS = ("revlog", "json", "json_one_process")


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    status = Path("/proc/self/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(kib / 1024, 1)


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(kind: str, db_path: str, out: str) -> dict[str, Any]:
    """One export in this (fresh) process."""
    from quizdl.export import ExportRequest, export, json_parallel
    from quizdl.store.db import Database

    if kind == "json_one_process":
        json_parallel.MAX_WORKERS = 1
    database = Database(f"sqlite:///{db_path}")
    started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    result = export(
        ExportRequest("revlog" if kind == "revlog" else "json", Path(out)), database=database
    )
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    database.dispose()
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(
            cpu_seconds(resource.RUSAGE_SELF) - cpu + cpu_seconds(resource.RUSAGE_CHILDREN), 3
        ),
        "peak_rss_mib": peak_rss_mib(),
        "workers_peak_rss_mib_upper_bound": round(children.ru_maxrss / 1024, 1)
        if children.ru_maxrss
        else None,
        "rows": result.counts,
        "file_mib": round(Path(out).stat().st_size / 2**20, 1),
    }


def measure(kind: str, db_path: Path, runs: int) -> dict[str, Any]:
    samples = []
    with tempfile.TemporaryDirectory(prefix="quizdl-export-bench-") as scratch:
        for run in range(runs):
            out = Path(scratch) / f"{kind}-{run}.out"
            process = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(db_path), str(out)],
                capture_output=True,
                text=True,
                check=True,
            )
            samples.append(json.loads(process.stdout))
            out.unlink()
    walls = [s["wall_s"] for s in samples]
    budget = BUDGET_S["revlog" if kind == "revlog" else "json"]
    rss = max(s["peak_rss_mib"] for s in samples)
    return {
        "wall_s_median": round(statistics.median(walls), 3),
        "wall_s_min": min(walls),
        "cpu_s_median": round(statistics.median(s["cpu_s"] for s in samples), 3),
        "peak_rss_mib": rss,
        "workers_peak_rss_mib_upper_bound": samples[-1]["workers_peak_rss_mib_upper_bound"],
        "file_mib": samples[-1]["file_mib"],
        "rows": samples[-1]["rows"],
        "budget_s": budget,
        "within_time_budget": statistics.median(walls) < budget,
        "within_memory_budget": rss < BUDGET_RSS_MIB,
        "runs": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    db_path, build = bigdb.cached(args.cards, args.reviews, args.seed)
    load_before = os.getloadavg()
    results = {kind: measure(kind, db_path, args.runs) for kind in KINDS}
    report = {
        "database": {"path": str(db_path), **build},
        "cores": len(os.sched_getaffinity(0)),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "budget_rss_mib": BUDGET_RSS_MIB,
        **results,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
