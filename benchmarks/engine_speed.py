"""Speed of the numeric engine. Prints JSON; never part of the pass/fail suite.

- variants per second of every generator family: the best of several runs over the same
  seeds;
- the numeric check (number, vector and choice questions): p50 and p99 over the exact
  answer and every declared mistake, typed as a learner would type them;
- the symbolic check (expression questions): p50 and p99 after `symbolic.warm_up()`, again
  with every cache emptied before each check (an expression never seen before), and the
  first check of a fresh process without the warm-up (sympy imported on the way);
- hostile answers against every answer kind: the worst time to a verdict;
- whether importing the engine, its registry or its answer package loads sympy.

Budgets (DESIGN.md): every family ≥ 20,000 variants/s, numeric p99 < 1 ms, symbolic
p99 < 50 ms, any hostile answer < 1 s. Every time is CPU time (of the process, or of the
thread for one check), so that other work on a shared machine does not count; the load
average is printed beside the figures, as a busy machine still slows them a little.

    python benchmarks/engine_speed.py [--seeds 2000] [--runs 5] [--check-seeds 100]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from quizdl.engine import registry
from quizdl.engine.answers import check, symbolic
from quizdl.engine.answers.expression import values_at_points
from quizdl.engine.answers.parse import read_expression
from quizdl.engine.fmt import typed
from quizdl.engine.question import AnswerKind, Family, Question

BUDGET_VARIANTS_PER_S = 20_000
BUDGET_NUMERIC_P99_MS = 1.0
BUDGET_SYMBOLIC_P99_MS = 50.0
BUDGET_HOSTILE_S = 1.0

HOSTILE: tuple[tuple[str, str], ...] = (
    ("10**10**10", "10**10**10"),
    ("9^9^9^9", "9^9^9^9"),
    ("2^2^2^2^2^2^2", "2^2^2^2^2^2^2"),
    ("1e999999", "1e999999"),
    ("exp(exp(exp(10)))", "exp(exp(exp(10)))"),
    ("5,000 nested parentheses", "(" * 5000 + "1" + ")" * 5000),
    ("400 nested parentheses", "(" * 400 + "1" + ")" * 400),
    ("100 kB of digits", "9" * 100_000),
    ("100 kB of letters", "x" * 100_000),
    ("1,999 minus signs", "-" * 1999 + "1"),
    ("999 additions", "1+" * 999 + "1"),
    ("__import__('os').system('x')", "__import__('os').system('x')"),
    ("().__class__.__bases__", "().__class__.__bases__"),
    ("SQL", "'; DROP TABLE reviews; --"),
    ("NUL", "\x00"),
    ("x^(10^10^10)", "x^(10^10^10)"),
    ("(x+1)^1000000", "(x+1)^1000000"),
    ("x^x^…^x (50)", "x" + "^x" * 49),
    ("exp(exp(…(x))) (49)", "exp(" * 49 + "x" + ")" * 49),
    ("sigma(sigma(…(x))) (49)", "sigma(" * 49 + "x" + ")" * 49),
    ("product of 60 factors", "x*" + "*".join(f"(x+{k})" for k in range(1, 60))),
    ("39 nested sigmoids", "+".join(f"sigma(sigma({k}x)^2)" for k in range(1, 40))),
    ("max of 400", "max(" + ",".join(["x"] * 400) + ")"),
    ("heavy but equal", "sigma(x)*(1-sigma(x))*(sigma(x)+sigma(-x))^30"),
)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 4)


def _percentiles(times: Sequence[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": _ms(ordered[len(ordered) // 2]),
        "p99_ms": _ms(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]),
        "max_ms": _ms(ordered[-1]),
        "checks": len(ordered),
    }


def variants_per_second(family: Family, seeds: int, runs: int) -> float:
    """Questions per second of this process's CPU time: other load on the machine (tests,
    builds) slows the clock on the wall but not this figure."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        for seed in range(seeds):
            family.generate(seed)
        best = min(best, time.process_time() - start)
    return seeds / best


def check_times(
    questions: Sequence[Question], before: Callable[[], object] | None = None
) -> list[float]:
    """One timed check per typed value: the exact answer and each declared mistake;
    `before` runs (untimed) before each check."""
    times: list[float] = []
    for question in questions:
        draft = question.draft
        for value in (draft.answer, *(m.value for m in draft.mistakes)):
            raw = typed(value)
            if before is not None:
                before()
            start = time.thread_time()
            check(question, raw)
            times.append(time.thread_time() - start)
    return times


def forget_expressions() -> None:
    """Empty every cache an expression check fills (ours and sympy's): a check as if the
    expression had never been seen."""
    from sympy.core.cache import clear_cache

    read_expression.cache_clear()
    values_at_points.cache_clear()
    symbolic.to_sympy.cache_clear()
    clear_cache()


def kind_of(family: Family) -> AnswerKind:
    return family.generate(0).draft.kind


def cold_first_symbolic_check(family_id: str) -> float:
    """Seconds for the first expression check of a fresh process, sympy not yet imported."""
    code = (
        "import time\n"
        "from quizdl.engine import registry\n"
        "from quizdl.engine.answers import check\n"
        "from quizdl.engine.fmt import typed\n"
        f"question = registry.get({family_id!r}).generate(0)\n"
        "start = time.process_time()\n"
        "check(question, typed(question.draft.answer))\n"
        "print(time.process_time() - start)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def loads_sympy(module: str) -> bool:
    code = f"import sys, {module}; print('sympy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


def hostile_times(questions: dict[str, Question]) -> dict[str, Any]:
    worst: dict[str, Any] = {"seconds": 0.0}
    by_kind: dict[str, float] = {}
    for kind, question in questions.items():
        for name, raw in HOSTILE:
            start = time.thread_time()
            check(question, raw)
            elapsed = time.thread_time() - start
            by_kind[kind] = max(by_kind.get(kind, 0.0), elapsed)
            if elapsed > worst["seconds"]:
                worst = {"seconds": elapsed, "answer": name, "kind": kind}
    return {
        "answers": len(HOSTILE),
        "kinds": sorted(questions),
        "worst_s": round(worst["seconds"], 4),
        "worst_answer": worst.get("answer"),
        "worst_kind": worst.get("kind"),
        "worst_s_by_kind": {kind: round(t, 4) for kind, t in sorted(by_kind.items())},
        "budget_s": BUDGET_HOSTILE_S,
        "within_budget": worst["seconds"] < BUDGET_HOSTILE_S,
    }


def _timed(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=2000, help="seeds per speed run")
    parser.add_argument("--runs", type=int, default=5, help="speed runs per family (best kept)")
    parser.add_argument("--check-seeds", type=int, default=100, help="questions per family")
    args = parser.parse_args()
    imports = {
        module: loads_sympy(module)
        for module in ("quizdl.engine", "quizdl.engine.registry", "quizdl.engine.answers")
    }
    families = registry.families()
    kinds = {family_id: kind_of(family) for family_id, family in families.items()}
    expression_ids = [family_id for family_id, kind in kinds.items() if kind == "expression"]
    cold = {family_id: cold_first_symbolic_check(family_id) for family_id in expression_ids}

    speed = {
        family_id: variants_per_second(family, args.seeds, args.runs)
        for family_id, family in families.items()
    }
    warm_up_s = _timed(symbolic.warm_up)
    numeric: dict[str, dict[str, float]] = {}
    symbolic_checks: dict[str, dict[str, float]] = {}
    all_numeric: list[float] = []
    all_symbolic: list[float] = []
    uncached: dict[str, dict[str, float]] = {}
    for family_id, family in families.items():
        seeds = args.check_seeds if kinds[family_id] != "expression" else args.check_seeds // 2
        times = check_times([family.generate(seed) for seed in range(seeds)])
        if kinds[family_id] == "expression":
            symbolic_checks[family_id] = _percentiles(times)
            all_symbolic += times
            questions = [family.generate(seed) for seed in range(seeds)]
            uncached[family_id] = _percentiles(check_times(questions, forget_expressions))
        else:
            numeric[family_id] = _percentiles(times)
            all_numeric += times

    first_of_kind: dict[str, Question] = {}
    for family_id, family in families.items():
        first_of_kind.setdefault(kinds[family_id], family.generate(0))
    slowest = sorted(speed, key=speed.__getitem__)
    result = {
        "benchmark": "engine_speed",
        "python": sys.version.split()[0],
        "load_average_1_5_15_min": [round(load, 2) for load in os.getloadavg()],
        "families": len(families),
        "generate": {
            "clock": "CPU time of the process, best run",
            "seeds_per_run": args.seeds,
            "runs": args.runs,
            "budget_per_s": BUDGET_VARIANTS_PER_S,
            "within_budget": all(v >= BUDGET_VARIANTS_PER_S for v in speed.values()),
            "median_per_s": round(statistics.median(speed.values())),
            "slowest": [{"family": f, "per_s": round(speed[f])} for f in slowest[:8]],
            "per_family_per_s": {f: round(speed[f]) for f in sorted(speed)},
        },
        "numeric_check": {
            **_percentiles(all_numeric),
            "budget_p99_ms": BUDGET_NUMERIC_P99_MS,
            "within_budget": _percentiles(all_numeric)["p99_ms"] < BUDGET_NUMERIC_P99_MS,
            "worst_family_p99": max(
                ({"family": f, "p99_ms": p["p99_ms"]} for f, p in numeric.items()),
                key=lambda row: row["p99_ms"],
            ),
            "per_family": numeric,
        },
        "symbolic_check": {
            **(_percentiles(all_symbolic) if all_symbolic else {}),
            "families": expression_ids,
            "warm_up_ms": _ms(warm_up_s),
            "cold_first_check_ms": {f: _ms(t) for f, t in cold.items()},
            "budget_p99_ms": BUDGET_SYMBOLIC_P99_MS,
            "within_budget": bool(all_symbolic)
            and _percentiles(all_symbolic)["p99_ms"] < BUDGET_SYMBOLIC_P99_MS,
            "per_family": symbolic_checks,
            "per_family_caches_emptied_before_each_check": uncached,
        },
        "hostile": hostile_times(first_of_kind),
        "imports_sympy": imports,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
