"""The app on a 100,000-card, 1,000,000-review database (benchmarks/bigdb.py): key press
to the next card drawn during a review, headless (Textual's Pilot), as a learner answers:
basic cards revealed with space and rated (1 or 3), generated questions typed (some
wrong), checked with Enter and accepted with Enter. Each figure runs from the moment the
key is handled to the moment the screen has been refreshed with what it leads to: the next
card (rate, accept), the back of the card (reveal), the verdict (check). The Pilot's own
waits are left out. Budget (DESIGN.md): key press to the next card drawn, p99 under 16 ms.

    python benchmarks/tui_speed.py [--cards 500]
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
import quizdl.tui  # noqa: F401  (before textual: it sets the app's frame rate)
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

    # Stamp the moment a key is handled and the moment the screen has been refreshed with
    # what it leads to; the Pilot's own waits (tens of ms per key) are left out.
    pending: dict[str, tuple[str, float]] = {}
    samples: dict[str, list[float]] = {"rate": [], "accept": [], "reveal": [], "check": []}

    def stamp(kind: str) -> None:
        pending["key"] = (kind, time.perf_counter())

    def drawn_after(screen: ReviewScreen) -> None:
        if "key" not in pending:
            return
        kind, start = pending.pop("key")
        screen.call_after_refresh(
            lambda: samples[kind].append((time.perf_counter() - start) * 1000)
        )

    original_record = ReviewScreen._record
    original_show = ReviewScreen._show
    original_reveal = ReviewScreen.action_reveal
    original_submit = ReviewScreen._submit
    original_answered = ReviewScreen._answered

    def record(self: ReviewScreen, act: object) -> None:
        face = self.face
        stamp("accept" if face is not None and face.result is not None else "rate")
        original_record(self, act)

    def show(self: ReviewScreen, nxt: Any) -> None:
        original_show(self, nxt)
        drawn_after(self)

    def reveal(self: ReviewScreen) -> None:
        stamp("reveal")
        original_reveal(self)
        drawn_after(self)

    def submit(self: ReviewScreen, raw: str) -> None:
        stamp("check")
        original_submit(self, raw)

    def answered(self: ReviewScreen, result: Any) -> None:
        original_answered(self, result)
        drawn_after(self)

    ReviewScreen._record = record  # type: ignore[method-assign]
    ReviewScreen._show = show  # type: ignore[method-assign]
    ReviewScreen.action_reveal = reveal  # type: ignore[method-assign]
    ReviewScreen._submit = submit  # type: ignore[method-assign]
    ReviewScreen._answered = answered  # type: ignore[method-assign]
    app = make_app(AppSettings(), factory, lang="en")
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
        for number in range(cards):
            face = screen.face
            if face is None:
                break
            if face.item.question is None:  # a basic card: reveal, then rate
                await pilot.press("space")
                await settle(pilot)
                await pilot.press("3" if number % 10 else "1")
            else:  # a generated question: type the answer, check it, accept the rating
                question = face.item.question
                typed = repr(question.draft.answer) if number % 4 else "1"  # some wrong
                await pilot.press(*typed)
                await pilot.press("enter")
                await settle(pilot)
                await pilot.press("enter")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    nexts = samples["rate"] + samples["accept"]
    return {
        "size": "100x30",
        "textual_fps": textual_fps(),
        "key_to_next_card_drawn_ms": summary(nexts),
        "by_key": {kind: summary(values) for kind, values in samples.items()},
        "open_to_dashboard_s": round(dashboard_s, 3),
        "dashboard_to_first_card_s": round(first_card_s, 3),
        "budget_p99_ms": 16,
        "within_budget": bool(nexts) and percentile(nexts, 0.99) < 16,
    }


def textual_fps() -> int:
    from textual import constants

    return constants.MAX_FPS


def summary(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 2),
        "p99": round(percentile(values, 0.99), 2),
        "max": round(max(values), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "quizdl.db"
        shutil.copyfile(cached()[0], copy)
        print(json.dumps(asyncio.run(measure(copy, args.cards)), indent=2))


if __name__ == "__main__":
    main()
