"""The crash test, run longer: `quizdl review --jsonl` killed with SIGKILL N times.

Uses the harness of tests/study/test_crash.py (chains of runs on one SQLite database,
each process killed after a random number of lines, at a random time in the session
or during start-up; the database checked after every kill). Prints JSON; exits 1 when
a problem was found.

    .venv/bin/python benchmarks/crash_soak.py 500
    .venv/bin/python benchmarks/crash_soak.py 2000 --chain 20 --workers 4 --seed 7
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

HARNESS = Path(__file__).resolve().parents[1] / "tests" / "study" / "test_crash.py"


def load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_harness", HARNESS)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the crash harness from {HARNESS}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int, help="number of processes to start and kill")
    parser.add_argument("--chain", type=int, default=10, help="runs per database (default 10)")
    parser.add_argument(
        "--workers", type=int, default=max(2, os.cpu_count() or 2), help="chains at once"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the first chain")
    parser.add_argument("--keep", metavar="DIR", help="keep the databases in DIR")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.chain < 1 or args.workers < 1:
        parser.error("runs, --chain and --workers must be at least 1")
    harness = load_harness()
    chains, rest = divmod(args.runs, args.chain)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="quizdl-soak-") as scratch:
        workdir = Path(args.keep or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        report = harness.run_chains(workdir, chains, args.chain, args.seed, args.workers)
        if rest:  # the runs that do not fill a chain
            harness.run_chain(
                workdir / "chain-rest",
                workdir / "template" / "quizdl.db",
                args.seed - 1,
                rest,
                report,
            )
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "benchmark": "crash_soak",
                "runs": report.runs,
                "killed": report.killed,
                "killed_while_handling_a_line": report.killed_mid_action,
                "lines_sent": report.lines_sent,
                "recorded_reviews_checked": report.recorded_checked,
                "seconds": round(seconds, 1),
                "runs_per_second": round(report.runs / seconds, 2),
                "problems": report.problems,
                "ok": not report.problems,
            },
            indent=2,
        )
    )
    return 0 if not report.problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
