"""What sibling burying costs a learner of the shipped content: a simulated learner studies
every day and answers every card the queue offers, with sibling burying on (the default) and
off, in the same run. Prints JSON.

Each day at 09:00 UTC a session starts; the learner rates every card shown (Again one time in
ten, else Good, from a seeded generator) and waits out learning steps for up to three hours.
Per side: after how many days every card had been seen, the cards seen and reviews done by
certain days, and the reviews left due at the end of each day (due before the next day's
rollover, in review state, not suspended): with burying, cards of a note section answered
today wait until tomorrow, due or not. The shipped notes have one section per topic.

    python benchmarks/bury_days.py [--days 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizdl.clock import Clock
from quizdl.study.opening import open_study

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WAIT = timedelta(minutes=10)  # the learner comes back for learning cards this often
WAIT_UNTIL = timedelta(hours=3)  # after this, the day's study is over
AGAIN_RATE = 0.1
REPORT_DAYS = (7, 14, 30)


def held_over(database: Path, day_end: datetime) -> int:
    """Cards in review that were due before `day_end` and are still due."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT due FROM card_states WHERE state = 2 AND suspended = 0 AND due IS NOT NULL"
        ).fetchall()
    connection.close()
    dues = (datetime.fromisoformat(due) for (due,) in rows)
    return sum(1 for due in dues if (due if due.tzinfo else due.replace(tzinfo=UTC)) < day_end)


def simulate(bury: bool, days: int, folder: Path) -> dict[str, Any]:
    database = folder / f"bury_{'on' if bury else 'off'}.db"
    opened = open_study(f"sqlite:///{database}", clock=Clock(fixed=START), rng=random.Random(1))
    ratings = random.Random(7)
    seen: set[str] = set()
    reviews = 0
    per_day: list[dict[str, int]] = []
    all_seen_on: int | None = None
    for day in range(days):
        now = START + timedelta(days=day)
        study = opened.new_session()
        study.clock = Clock(fixed=now)
        study.start(bury=bury)
        shown = 0
        while True:
            item = study.next_item()
            if item is None:
                if now - (START + timedelta(days=day)) >= WAIT_UNTIL:
                    break
                now += WAIT
                study.clock = Clock(fixed=now)
                continue
            seen.add(item.card_id)
            study.rate(1 if ratings.random() < AGAIN_RATE else 3)
            shown += 1
        study.end()
        reviews += shown
        day_end = study.clock.day_end(now)
        per_day.append({"shown": shown, "held_over": held_over(database, day_end)})
        if all_seen_on is None and len(seen) == len(study.kb.cards):
            all_seen_on = day + 1
        if day + 1 in REPORT_DAYS:
            per_day[-1]["seen"] = len(seen)
    opened.study.db.dispose()
    held = [d["held_over"] for d in per_day]
    return {
        "cards": len(opened.study.kb.cards),
        "all_cards_seen_after_days": all_seen_on,
        "seen_after_days": {str(d): per_day[d - 1]["seen"] for d in REPORT_DAYS if d <= days},
        "seen_at_end": len(seen),
        "answers": reviews,
        "held_over_reviews_per_day": {
            "max": max(held),
            "mean": round(sum(held) / len(held), 1),
            "days_with_any": sum(1 for h in held if h),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()
    started = time.perf_counter()
    os.environ.pop("QUIZDL_NOW", None)  # the simulation sets its own clock
    with tempfile.TemporaryDirectory() as scratch:
        result = {
            "benchmark": "bury_days",
            "days": args.days,
            "bury_on": simulate(True, args.days, Path(scratch)),
            "bury_off": simulate(False, args.days, Path(scratch)),
        }
    result["script_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
