"""Time to load and validate the whole shipped knowledge base. Prints JSON.

Two figures: in-process (imports done, median and worst of N loads) and a cold process
(`python -c` importing the loader and loading once: what a learner waits for).
Budget (issue: knowledge base): under 300 ms.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from quizdl.kb.loader import load

RUNS = 20
BUDGET_MS = 300.0


def main() -> None:
    timings = []
    kb = None
    for _ in range(RUNS):
        start = time.perf_counter()
        kb, problems = load()
        timings.append((time.perf_counter() - start) * 1000)
        assert not problems, problems[:3]
    assert kb is not None
    cold_code = (
        "import time; t = time.perf_counter(); from quizdl.kb.loader import load; "
        "kb, p = load(); print((time.perf_counter() - t) * 1000)"
    )
    cold = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", cold_code], capture_output=True, text=True, check=True
        )
        cold.append(float(out.stdout))
    result = {
        "benchmark": "kb_load",
        "topics": len(kb.topics),
        "cards": len(kb.cards),
        "files": len(kb.files),
        "in_process_ms": {
            "median": round(statistics.median(timings), 1),
            "max": round(max(timings), 1),
        },
        "cold_process_ms_including_imports": {
            "median": round(statistics.median(cold), 1),
            "max": round(max(cold), 1),
        },
        "budget_ms": BUDGET_MS,
        "within_budget": statistics.median(cold) < BUDGET_MS,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
