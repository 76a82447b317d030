"""The floor under tui_start.py's figure: a Textual app that does nothing but what every
Textual app does, timed from the spawn to a "first card" drawn, side by side with the `anki`
library's open-collection-plus-first-card in the same run. Prints JSON.

The floor app imports Textual and nothing of quizdl. It draws one line holding the word
tui_start.py takes for the dashboard ("Mastery"); on `r` it reads the first due card's id from
bigdb.py's 100,000-card database with the standard library's sqlite3 (no SQLAlchemy, no
content, no scheduler) and draws it. It is measured exactly as tui_start.py measures quizdl
(the same pseudo-terminal, the same reading of its output, `r` typed as the dashboard shows),
and the two sides take turns, run by run.

What it tells: any app built on Textual starts at least this slowly on this machine. The
budget of DESIGN.md (quizdl's process start to first card at most 1.25 times anki's) leaves
quizdl `budget_left_ms` beyond this floor for everything it adds: SQLAlchemy, the content,
the scheduler's queue, the dashboard's figures and drawing the card.

    python benchmarks/tui_floor.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.anki_peer import cached_collection, open_and_first_card
from benchmarks.bigdb import cached
from benchmarks.tui_speed import BUDGET_P99_MS, Terminal, summary
from benchmarks.tui_start import (
    BUDGET_RATIO,
    CARDS,
    SIZE,
    median_ms,
    print_result,
    spawn_command,
    stages_of,
    stop_app,
)

FLOOR_APP = """
import sqlite3, sys
from textual.app import App
from textual.widgets import Static

TEXT = "A card of the floor: a few lines of text to draw, about as long as a card's front. " * 4

class Floor(App):
    CSS = "#keys { dock: bottom; }"

    def compose(self):
        yield Static("Due today: Mastery", id="head")
        yield Static("", id="card")
        yield Static("r review", id="keys")

    def on_key(self, event):
        head, card, keys = (self.query_one(f"#{n}", Static) for n in ("head", "card", "keys"))
        if event.key == "r":
            with sqlite3.connect(sys.argv[1]) as connection:
                (card_id,) = connection.execute(
                    "SELECT card_id FROM card_states WHERE due IS NOT NULL "
                    "ORDER BY due LIMIT 1"
                ).fetchone()
            connection.close()
            self.done = 0
            head.update(f"Review ━━━━ 0/1000")
            card.update(f"FIRST CARD {card_id}.\\n\\n{TEXT}")
            keys.update("space reveal  ? help  esc end")
        elif event.key == "space":
            card.update(f"{TEXT}\\n\\nThe back.")
            keys.update("1 again  2 hard  3 good  4 easy\\n1-4 rate  u undo  ? help")
        elif event.key in ("1", "2", "3", "4"):
            self.done += 1
            head.update(f"Review ━━━━ {self.done}/1000")
            card.update(f"Card {self.done}.\\n\\n{TEXT}")
            keys.update("space reveal  ? help  esc end")

Floor().run()
"""
CARD_MARK = re.compile(rb"FIRST CARD [^.]+\.")


def floor_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COLUMNS", "LINES"))}
    env["TERM"] = "xterm-256color"
    env["TEXTUAL_FPS"] = "240"  # as quizdl sets it (quizdl/tui/__init__.py)
    return env


def key_to_next_card(command: list[str], cards: int) -> dict[str, list[float]]:
    """The floor app reviewed as tui_speed.py reviews quizdl (every card basic: space
    reveals, a rating shows the next card), timed by tui_speed.Terminal: milliseconds per
    step, by key."""
    import pyte

    master, child, _ = spawn_command(command, floor_env())
    screen = pyte.Screen(*SIZE)
    terminal = Terminal(master, child, screen, pyte.ByteStream(screen))
    try:
        terminal.feed_until(lambda: any("Mastery" in line for line in terminal.lines()), 60)
        terminal.quiet(0.3)
        os.write(master, b"r")
        terminal.feed_until(lambda: terminal.done() == 0, 60)
        for number in range(cards):
            done = terminal.done()
            assert done is not None
            terminal.timed("reveal", b" ", terminal.ratings_shown)
            terminal.next_card_timed("rate", b"3" if number % 10 else b"1", done)
    finally:
        stop_app(child, master)
    return terminal.samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cards", type=int, default=300, help="cards reviewed on the floor")
    args = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()
    anki_path, _ = cached_collection(CARDS, 1_000_000, 0)
    database, _ = cached()
    command = [sys.executable, "-c", FLOOR_APP, str(database)]
    with tempfile.TemporaryDirectory() as folder:
        anki_copy = Path(folder) / "collection.anki2"
        shutil.copyfile(anki_path, anki_copy)
        stages_of(spawn_command(command, floor_env()), CARD_MARK)  # caches warmed
        open_and_first_card(anki_copy, 1)
        stages: dict[str, list[float]] = {}
        anki_ms_all: list[float] = []
        for _ in range(args.runs):  # the two sides take turns
            anki_ms_all.append(
                open_and_first_card(anki_copy, 1)["process_start_to_first_card_ms_median"]
            )
            for name, value in stages_of(spawn_command(command, floor_env()), CARD_MARK).items():
                stages.setdefault(name, []).append(value)
    keys = key_to_next_card(command, args.cards)
    floor_ms = median_ms(stages["first_card"])
    anki_ms = statistics.median(anki_ms_all)
    result: dict[str, Any] = {
        "benchmark": "tui_floor",
        "runs": args.runs,
        "terminal": f"{SIZE[0]}x{SIZE[1]}",
        "floor_process_start_to_first_card_ms_median": floor_ms,
        "anki_process_start_to_first_card_ms_median": anki_ms,
        "ratio": round(floor_ms / anki_ms, 2),
        "budget_ratio": BUDGET_RATIO,
        "budget_left_ms": round(BUDGET_RATIO * anki_ms - floor_ms, 1),
        "floor_stages_ms_median": {
            "first_output": median_ms(stages["first_output"]),
            "dashboard": median_ms(stages["dashboard"]),
        },
        "floor_first_card_ms_all": [round(v * 1000, 1) for v in stages["first_card"]],
        "anki_first_card_ms_all": anki_ms_all,
        "floor_key_to_next_card_drawn_ms": summary(keys["rate"]),
        "floor_reveal_ms": summary(keys["reveal"]),
        "key_budget_p99_ms": BUDGET_P99_MS,
    }
    print_result(result, load_before, started)


if __name__ == "__main__":
    main()
