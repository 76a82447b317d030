"""The app on a 100,000-card, 1,000,000-review database (benchmarks/bigdb.py): time to the
dashboard, then key press to the next card drawn during a review, headless (Textual's
Pilot). The rating figure runs from the moment the key is handled to the moment the screen has
been refreshed with the next card; the Pilot figures add the Pilot's own waits (an upper
bound). Budget (DESIGN.md): p99 under 16 ms.

    python benchmarks/tui_speed.py [--cards 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bigdb import REFERENCE_NOW, cached
from benchmarks.study_speed import synthetic_kb


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(path: Path, cards: int) -> dict[str, Any]:
    from textual.worker import WorkerState

    from quizdl.clock import Clock
    from quizdl.store.db import Database
    from quizdl.study.opening import Opened
    from quizdl.study.service import Study
    from quizdl.tui.app import make_app
    from quizdl.tui.config import AppSettings
    from quizdl.tui.screens.review import ReviewScreen

    kb = synthetic_kb(100_000)
    from quizdl.study import repo

    # the database already holds these cards: mark it so (no reconciliation at start)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE profiles SET content_fingerprint = ?", (repo.fingerprint(kb),))

    def factory() -> Opened:
        study = Study(
            Database(f"sqlite:///{path}"),
            kb,
            clock=Clock(fixed=REFERENCE_NOW),
            rng=random.Random(0),
        )
        return Opened(study, [], clock=Clock(fixed=REFERENCE_NOW))

    async def settle(pilot: Any) -> None:
        for _ in range(1000):
            await pilot.pause()
            busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
            if not busy:
                return
            await app.workers.wait_for_complete(busy)

    # Stamp the moment a rating key is handled and the moment the screen has been refreshed
    # with the next card: the Pilot's own waits (tens of ms per key) are left out.
    marks: dict[str, float] = {}
    drawn: list[float] = []
    original_record = ReviewScreen._record
    original_show = ReviewScreen._show

    def record(self: ReviewScreen, act: object) -> None:
        marks["key"] = time.perf_counter()
        original_record(self, act)

    def show(self: ReviewScreen, nxt: Any) -> None:
        original_show(self, nxt)
        if "key" in marks:
            start = marks.pop("key")
            self.call_after_refresh(lambda: drawn.append((time.perf_counter() - start) * 1000))

    ReviewScreen._record = record  # type: ignore[method-assign]
    ReviewScreen._show = show  # type: ignore[method-assign]
    app = make_app(AppSettings(), factory, lang="en")
    presses: list[float] = []
    reveals: list[float] = []
    started = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dashboard_s = time.perf_counter() - started
        begin = time.perf_counter()
        await pilot.press("r")
        await settle(pilot)
        first_card_s = time.perf_counter() - begin
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for _ in range(cards):
            face = screen.face
            if face is None:
                break
            if face.item.expects == "rating":
                t0 = time.perf_counter()
                await pilot.press("space")
                await settle(pilot)
                reveals.append((time.perf_counter() - t0) * 1000)
                key = "3"
            else:
                key = "b"  # bury a generated question: the same path to the next card
            t0 = time.perf_counter()
            await pilot.press(key)
            await settle(pilot)
            presses.append((time.perf_counter() - t0) * 1000)
        await pilot.press("escape")
        await settle(pilot)
    return {
        "cards": len(presses),
        "open_to_dashboard_s": round(dashboard_s, 3),
        "dashboard_to_first_card_s": round(first_card_s, 3),
        "rating_key_to_next_card_refreshed_ms": {
            "p50": round(statistics.median(drawn), 2),
            "p99": round(percentile(drawn, 0.99), 2),
            "max": round(max(drawn), 2),
        },
        "pilot_key_to_idle_ms": {
            "p50": round(statistics.median(presses), 2),
            "p99": round(percentile(presses, 0.99), 2),
            "max": round(max(presses), 2),
        },
        "pilot_reveal_to_idle_ms": {
            "p50": round(statistics.median(reveals), 2),
            "p99": round(percentile(reveals, 0.99), 2),
        },
        "budget_p99_ms": 16,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "quizdl.db"
        shutil.copyfile(cached()[0], copy)
        print(json.dumps(asyncio.run(measure(copy, args.cards)), indent=2))


if __name__ == "__main__":
    main()
